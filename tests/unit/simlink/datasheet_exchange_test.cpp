// The datasheet's register-level log (spec §5.8) and the Trust M presentation-layer exchange
// (spec §2.3), reproduced byte for byte.
#include <gtest/gtest.h>

#include "tests/unit/simlink/sim_test_support.h"

namespace optiga::sim::test {
namespace {

const Bytes uid = from_hex(
    "CD 16 33 82 01 00 1C 00 05 00 00 0A 09 1B 5C 00 07 00 6B 00 28 80 10 10 71 08 09");

TEST(DatasheetExchange, OpenApplicationAndUidReadMatchTheLog) {
  Rig rig(Rig::model(chip::Model::trust_m_v3));
  rig.log->respond = [](ByteView apdu) -> ApduResult {
    if (apdu[0] == 0x70) return {{0x00, 0x00, 0x00, 0x00}, 20'000};  // slower than one poll: separate ACK
    Bytes r{0x00, 0x00, 0x00, 0x1B};
    append(r, uid);
    return {r, 1'000};  // done before the first poll: piggy-backed ACK
  };

  // 1-2: idle after power-up.
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
  // 3: OpenApplication in frame 0 / ACK 3.
  rig.write_frame(from_hex("03 00 15 00 70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C 04 1A"));
  // 4: busy, 5-byte control ACK waiting.
  rig.sleep(50);
  EXPECT_EQ(rig.state(), from_hex("C8 80 00 05"));
  // 5: ACK frame 0.
  rig.sleep(50);
  EXPECT_EQ(rig.read_register(0x80, 5), from_hex("80 00 00 0C EC"));
  // Still executing, nothing more to read yet.
  EXPECT_EQ(rig.state(), from_hex("88 80 00 00"));
  // 6: after the execution time the 10-byte response is ready.
  rig.sleep(20'000);
  EXPECT_EQ(rig.state(), from_hex("48 80 00 0A"));
  // 7: the response frame, "success, no data".
  EXPECT_EQ(rig.read_register(0x80, 10), from_hex("00 00 05 00 00 00 00 00 14 87"));
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
  // 8: host ACK.
  rig.write_frame(from_hex("80 00 00 0C EC"));
  // 9: GetDataObject(E0C2, 0, 0x64) in frame 1 / ACK 0.
  rig.write_frame(from_hex("04 00 0B 00 01 00 00 06 E0 C2 00 00 00 64 F0 9F"));
  rig.sleep(5'000);
  // 10: 37-byte response ready, no separate ACK was offered for reading.
  EXPECT_EQ(rig.state(), from_hex("48 80 00 25"));
  // 11: data frame 1 acknowledging host frame 1 (FCTR 05).
  const Bytes expected = host_frame(0x05, cat(from_hex("00 00 00 00 1B"), uid));
  const Bytes got = rig.read_register(0x80, 37);
  EXPECT_EQ(got, expected);
  EXPECT_EQ(Bytes(got.begin(), got.begin() + 6), from_hex("05 00 20 00 00 00"));
  // 12: host ACK for frame 1; the chip is idle again.
  rig.write_frame(from_hex("81 00 00 56 30"));
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));

  ASSERT_EQ(rig.log->apdus.size(), 2u);
  EXPECT_EQ(rig.log->apdus[0], from_hex("70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C"));
  EXPECT_EQ(rig.log->apdus[1], from_hex("01 00 00 06 E0 C2 00 00 00 64"));
}

TEST(DatasheetExchange, TrustMPresentationLayerFrame) {
  Rig rig(Rig::model(chip::Model::trust_m_v3));
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 0}; };
  const Bytes frame = from_hex(
      "03 00 16 08 20 F0 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C BE 40");
  rig.write_frame(frame);
  EXPECT_EQ(rig.read_frame(), from_hex("00 00 06 08 20 00 00 00 00 19 04"));
  ASSERT_EQ(rig.log->apdus.size(), 1u);
  EXPECT_EQ(rig.log->apdus[0], from_hex("F0 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C"));
}

TEST(DatasheetExchange, PresentationLayerIsMandatoryOnceSeen) {
  Rig rig(Rig::model(chip::Model::trust_m_v3));
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 0}; };
  rig.write_frame(host_frame(0x03, from_hex("08 20 F0 00 00 00")));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, from_hex("08 20 00 00 00 00")));
  rig.write_frame(host_frame(0x80));
  // A plain packet now: refused with the fatal alert, engine not called.
  rig.write_frame(host_frame(0x04, from_hex("00 81 00 00 00")));
  EXPECT_EQ(rig.read_frame(), host_frame(0x05, from_hex("08 40")));
  rig.write_frame(host_frame(0x81));
  // A handshake Hello: not implemented, fatal alert.
  rig.write_frame(host_frame(0x09, from_hex("08 00 01")));
  EXPECT_EQ(rig.read_frame(), host_frame(0x0A, from_hex("08 40")));
  EXPECT_EQ(rig.log->apdus.size(), 1u);
  // After a reset plain packets are fine again.
  ASSERT_TRUE(rig.bus->hardware_reset());
  rig.sleep(20'000);
  rig.write_frame(host_frame(0x03, from_hex("00 F0 00 00 00")));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, from_hex("00 00 00 00 00")));
}

TEST(DatasheetExchange, TrustXIdleStateAndPresenceFlagRefused) {
  Rig rig(Rig::model(chip::Model::trust_x));
  EXPECT_EQ(rig.state(), from_hex("08 00 00 00"));
  rig.write_frame(host_frame(0x03, from_hex("08 20 F0 00 00 00")));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, from_hex("07")));
  EXPECT_TRUE(rig.log->apdus.empty());
  EXPECT_EQ(rig.bus->counters().chain_errors, 1u);
}

}  // namespace
}  // namespace optiga::sim::test
