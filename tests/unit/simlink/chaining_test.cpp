// Transport-layer chaining (spec §3.2): a 1557-byte command in and a 1557-byte response out.
#include <gtest/gtest.h>

#include "tests/unit/simlink/sim_test_support.h"

namespace optiga::sim::test {
namespace {

Bytes pattern(std::size_t n, std::uint8_t seed) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(seed + i * 7);
  return b;
}

TEST(Chaining, LongCommandAndLongResponse) {
  Rig rig;
  Bytes command{0x82, 0x00, 0x06, 0x11};  // SetDataObject, InLen 1553
  append(command, pattern(1553, 3));
  Bytes response{0x00, 0x00, 0x06, 0x11};
  append(response, pattern(1553, 9));
  rig.log->respond = [&](ByteView) { return ApduResult{response, 2'000}; };

  // Host side: 5 packets of 272 bytes (PCTR + 271) and a last one of 1 + 202.
  unsigned frnr = 0, acknr = 3;
  std::size_t offset = 0;
  int packets = 0;
  while (offset < command.size()) {
    const std::size_t n = std::min<std::size_t>(271, command.size() - offset);
    std::uint8_t pctr = offset == 0 ? 0x01 : (offset + n == command.size() ? 0x04 : 0x02);
    Bytes packet{pctr};
    append(packet, ByteView(command).subspan(offset, n));
    rig.write_frame(host_frame(static_cast<std::uint8_t>((frnr << 2) | acknr), packet));
    offset += n;
    ++packets;
    if (offset < command.size()) {
      EXPECT_EQ(rig.read_frame(), host_frame(static_cast<std::uint8_t>(0x80 | frnr))) << "packet " << packets;
    }
    frnr = (frnr + 1) & 3;
  }
  EXPECT_EQ(packets, 6);
  ASSERT_EQ(rig.log->apdus.size(), 1u);
  EXPECT_EQ(rig.log->apdus[0], command);

  // Chip side: 6 data frames, first/intermediate packets exactly 272 bytes.
  rig.sleep(5'000);
  Bytes received;
  const std::uint8_t expected_pctr[] = {0x01, 0x02, 0x02, 0x02, 0x02, 0x04};
  for (int i = 0; i < 6; ++i) {
    const Bytes frame = rig.read_frame();
    ASSERT_GE(frame.size(), 6u) << i;
    const std::size_t len = get_u16(frame, 1);
    EXPECT_EQ(frame[0] >> 2, i & 3) << i;
    EXPECT_EQ(frame[3], expected_pctr[i]) << i;
    if (i < 5) {
      EXPECT_EQ(len, 272u);
    }
    received.insert(received.end(), frame.begin() + 4, frame.end() - 2);
    // Nothing more until this frame is acknowledged.
    EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
    rig.write_frame(host_frame(static_cast<std::uint8_t>(0x80 | (i & 3))));
  }
  EXPECT_EQ(received, response);
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
}

TEST(Chaining, BrokenChainGetsChainErrorPacket) {
  Rig rig;
  // An intermediate packet without a first one.
  Bytes packet{0x02};
  append(packet, pattern(271, 1));
  rig.write_frame(host_frame(0x03, packet));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, from_hex("07")));
  rig.write_frame(host_frame(0x80));
  // A short first packet.
  rig.write_frame(host_frame(0x07, from_hex("01 01 02 03")));
  EXPECT_EQ(rig.read_frame(), host_frame(0x05, from_hex("07")));
  EXPECT_TRUE(rig.log->apdus.empty());
  EXPECT_EQ(rig.bus->counters().chain_errors, 2u);
}

TEST(Chaining, SmallerDataRegLenGivesSmallerPackets) {
  Rig rig;
  rig.write_register(0x81, from_hex("00 37"));  // 55, the FT260 build's frame size
  Bytes response{0x00, 0x00, 0x00, 0x64};
  append(response, pattern(100, 1));
  rig.log->respond = [&](ByteView) { return ApduResult{response, 0}; };
  rig.write_frame(host_frame(0x03, from_hex("00 81 00 00 00")));
  const Bytes frame = rig.read_frame();
  ASSERT_EQ(frame.size(), 55u);
  EXPECT_EQ(frame[3], 0x01);
}

}  // namespace
}  // namespace optiga::sim::test
