// Data-link error handling of the emulated chip (spec §2.4, §2.5).
#include <gtest/gtest.h>

#include <random>

#include "tests/unit/simlink/sim_test_support.h"

namespace optiga::sim::test {
namespace {

const Bytes open_packet = from_hex("00 F0 00 00 00");
const Bytes ok_response = from_hex("00 00 00 00 00");  // PCTR + "success, no data"

Rig fast_rig() {
  Rig rig;
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 0}; };
  return rig;
}

TEST(LinkErrors, CrcErrorIsNakedAndNotExecuted) {
  Rig rig = fast_rig();
  Bytes frame = host_frame(0x03, open_packet);
  frame.back() ^= 0x01;
  rig.write_frame(frame);
  EXPECT_EQ(rig.read_frame(), from_hex("A0 00 00 0F D7"));  // NAK frame 0 (spec §2.3 vector)
  EXPECT_TRUE(rig.log->apdus.empty());
  EXPECT_EQ(rig.bus->counters().crc_errors, 1u);
  EXPECT_EQ(rig.bus->counters().naks_sent, 1u);
  // The good frame is then accepted as frame 0.
  rig.write_frame(host_frame(0x03, open_packet));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, ok_response));
}

TEST(LinkErrors, LengthMismatchIsNaked) {
  Rig rig = fast_rig();
  Bytes frame{0x03, 0x00, 0x09};  // claims 9 bytes, carries 5
  append(frame, open_packet);
  put_u16(frame, chip::crc16(frame));
  rig.write_frame(frame);
  EXPECT_EQ(rig.read_frame(), from_hex("A0 00 00 0F D7"));
  EXPECT_TRUE(rig.log->apdus.empty());
}

TEST(LinkErrors, WrongFrameNumberGetsAckOfLastGood) {
  Rig rig = fast_rig();
  rig.write_frame(host_frame(0x07, open_packet));  // FRNR 1, but 0 is expected after reset
  EXPECT_EQ(rig.read_frame(), from_hex("83 00 00 E3 88"));  // ACK 3 = last good (reset value)
  EXPECT_TRUE(rig.log->apdus.empty());
}

TEST(LinkErrors, ResyncResetsCounters) {
  Rig rig = fast_rig();
  rig.write_frame(host_frame(0x03, open_packet));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, ok_response));
  rig.write_frame(host_frame(0x80));
  rig.write_frame(from_hex("C0 00 00 0A 9A"));
  EXPECT_EQ(rig.bus->counters().resyncs, 1u);
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
  // Frame 0 again is a new command, not a duplicate.
  rig.write_frame(host_frame(0x03, open_packet));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, ok_response));
  EXPECT_EQ(rig.log->apdus.size(), 2u);
}

TEST(LinkErrors, RetransmittedCommandIsNotExecutedTwice) {
  Rig rig = fast_rig();
  rig.write_frame(host_frame(0x03, open_packet));
  const Bytes first = rig.read_frame();
  ASSERT_EQ(first, host_frame(0x00, ok_response));
  // The host lost the answer and sends the same frame again: the chip offers its answer again.
  rig.write_frame(host_frame(0x03, open_packet));
  EXPECT_EQ(rig.read_frame(), first);
  EXPECT_EQ(rig.log->apdus.size(), 1u);
  EXPECT_EQ(rig.bus->counters().retransmissions, 1u);
}

TEST(LinkErrors, NakMakesTheChipReofferItsFrame) {
  Rig rig = fast_rig();
  rig.write_frame(host_frame(0x03, open_packet));
  const Bytes first = rig.read_frame();
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
  rig.write_frame(host_frame(0xA0));  // NAK frame 0
  EXPECT_EQ(rig.read_frame(), first);
  // ACK for it ends the exchange; a stale NAK afterwards is ignored.
  rig.write_frame(host_frame(0x80));
  rig.write_frame(host_frame(0xA0));
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
}

TEST(LinkErrors, RetransmissionWhileBusyGetsTheAckAgain) {
  Rig rig;
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 50'000}; };
  rig.write_frame(host_frame(0x03, open_packet));
  EXPECT_EQ(rig.read_frame(), from_hex("80 00 00 0C EC"));
  rig.sleep(10'000);
  rig.write_frame(host_frame(0x03, open_packet));
  EXPECT_EQ(rig.state(), from_hex("C8 80 00 05"));
  EXPECT_EQ(rig.read_frame(), from_hex("80 00 00 0C EC"));
  rig.sleep(50'000);
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, ok_response));
  EXPECT_EQ(rig.log->apdus.size(), 1u);
}

TEST(LinkErrors, MalformedFramesNeverCrash) {
  Rig rig = fast_rig();
  std::mt19937_64 rng(42);
  for (int i = 0; i < 5000; ++i) {
    const std::size_t len = rng() % 300;
    Bytes data(len);
    for (auto& b : data) b = static_cast<std::uint8_t>(rng());
    // Half of them with a valid FCS so they get past the CRC into the upper layers.
    if (len >= 5 && (i & 1)) {
      data[1] = static_cast<std::uint8_t>((len - 5) >> 8);
      data[2] = static_cast<std::uint8_t>(len - 5);
      const auto crc = chip::crc16(ByteView(data).first(len - 2));
      data[len - 2] = static_cast<std::uint8_t>(crc >> 8);
      data[len - 1] = static_cast<std::uint8_t>(crc);
    }
    Bytes w{0x80};
    append(w, data);
    rig.bus->write(w);
    Bytes out(1 + rng() % 300);
    rig.bus->read(out);
    if (i % 97 == 0) rig.bus->write(Bytes{static_cast<std::uint8_t>(rng())});
  }
  // Still a working chip after a reset (random frames may have switched the presentation
  // layer on, which only a reset switches off).
  EXPECT_GT(rig.bus->counters().crc_errors, 0u);
  ASSERT_TRUE(rig.bus->hardware_reset());
  rig.sleep(20'000);
  rig.write_frame(host_frame(0x03, open_packet));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, ok_response));
}

}  // namespace
}  // namespace optiga::sim::test
