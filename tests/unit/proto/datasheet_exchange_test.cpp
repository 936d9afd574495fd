// The complete Trust M exchange of spec §5.8 (datasheet App. B), byte for byte, plus the
// start-up negotiation of §1.4 as a real chip would answer it.
#include <gtest/gtest.h>

#include "core/chip/crc16.h"
#include "core/proto/ifx_i2c_stack.h"
#include "core/util/error.h"
#include "scripted_transport.h"

namespace optiga::proto {
namespace {

using testing::ScriptedTransport;

// Soft reset, speed and frame-size negotiation, then the I2C_STATE read of §5.8 steps 1-2.
void script_open(ScriptedTransport& t, std::string_view max_scl = "00 00 01 90") {
  t.expect_register(0x82, "08 80 00 00");  // soft reset supported
  t.expect_write("88 00 00");
  t.expect_register(0x84, max_scl);
  t.expect_write("81 01 15");
  t.expect_register(0x81, "01 15");
  t.expect_register(0x82, "08 80 00 00");  // §5.8 steps 1-2
}

const Bytes uid = from_hex("CD 16 33 82 01 00 1C 00 05 00 00 0A 09 1B 5C 00 07 00 20 00 8E 80 10 10 71 08 09");

TEST(DatasheetExchange, OpenApplicationAndReadUid) {
  ScriptedTransport t;
  script_open(t);
  // Step 3: OpenApplication, frame 0 / ACK 3.
  t.expect_write("80 03 00 15 00 70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C 04 1A");
  t.expect_register(0x82, "C8 80 00 05");                   // step 4
  t.expect_register(0x80, "80 00 00 0C EC");                // step 5: ACK frame 0
  t.expect_register(0x82, "48 80 00 0A");                   // step 6
  t.expect_register(0x80, "00 00 05 00 00 00 00 00 14 87"); // step 7: success
  t.expect_write("80 80 00 00 0C EC");                      // step 8: host ACK
  t.expect_write("80 04 00 0B 00 01 00 00 06 E0 C2 00 00 00 64 F0 9F");  // step 9
  t.expect_register(0x82, "48 80 00 25");                   // step 10
  Bytes uid_frame = from_hex("05 00 20 00 00 00 00 1B");
  append(uid_frame, uid);
  put_u16(uid_frame, chip::crc16(uid_frame));
  ASSERT_EQ(uid_frame.size(), 37u);
  t.steps_add_register_read(0x80, uid_frame);
  t.expect_write("80 81 00 00 56 30");                      // step 12

  IfxI2cOptions options;
  options.presentation = PresentationMode::off;
  IfxI2cStack stack(t, options);
  stack.open();
  EXPECT_EQ(stack.frame_size(), 277u);
  EXPECT_FALSE(stack.presentation_layer());
  EXPECT_EQ(t.bitrates, (std::vector<unsigned>{100, 400}));

  EXPECT_EQ(stack.transceive(from_hex("70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C")),
            from_hex("00 00 00 00"));
  Bytes expected = from_hex("00 00 00 1B");
  append(expected, uid);
  EXPECT_EQ(stack.transceive(from_hex("01 00 00 06 E0 C2 00 00 00 64")), expected);
  EXPECT_TRUE(t.finished()) << "stopped at step " << t.position();
  EXPECT_EQ(stack.stats().apdus, 2u);
  EXPECT_EQ(stack.stats().retransmissions, 0u);
  EXPECT_EQ(stack.stats().naks_sent, 0u);
}

TEST(DatasheetExchange, PresentationLayerDetectedFromI2cState) {
  ScriptedTransport t;
  script_open(t);
  t.expect_write("80 03 00 16 08 20 F0 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C BE 40");
  t.expect_register(0x82, "48 80 00 0B");
  t.expect_register(0x80, "00 00 06 08 20 00 00 00 00 19 04");  // answer with piggy-backed ACK
  t.expect_write("80 80 00 00 0C EC");
  IfxI2cStack stack(t);  // presentation: automatic
  stack.open();
  EXPECT_TRUE(stack.presentation_layer());
  EXPECT_EQ(stack.transceive(from_hex("F0 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C")),
            from_hex("00 00 00 00"));
  EXPECT_TRUE(t.finished()) << "stopped at step " << t.position();
}

TEST(Negotiation, SwitchesToFastModePlusWhenAskedFor1MHz) {
  ScriptedTransport t;
  t.expect_register(0x82, "08 80 00 00");
  t.expect_write("88 00 00");
  t.expect_register(0x84, "00 00 01 90");
  t.expect_write("89 80 04");
  t.expect_register(0x84, "00 00 03 E8");
  t.expect_write("81 01 15");
  t.expect_register(0x81, "00 40");  // chip wants a smaller frame: adopted
  t.expect_register(0x82, "08 00 00 00");
  IfxI2cOptions options;
  options.scl_khz = 1000;
  IfxI2cStack stack(t, options);
  stack.open();
  EXPECT_EQ(t.bitrates, (std::vector<unsigned>{100, 1000}));
  EXPECT_EQ(stack.frame_size(), 0x40u);
  EXPECT_FALSE(stack.presentation_layer());  // Trust X style I2C_STATE
  EXPECT_TRUE(t.finished());
}

TEST(Negotiation, SwitchesBackToFastModeAndFailsOnLargerFrame) {
  ScriptedTransport t;
  t.expect_register(0x82, "08 80 00 00");
  t.expect_write("88 00 00");
  t.expect_register(0x84, "00 00 03 E8");
  t.expect_write("89 80 03");
  t.expect_register(0x84, "00 00 01 90");
  t.expect_write("81 01 15");
  t.expect_register(0x81, "01 16");
  IfxI2cStack stack(t);
  EXPECT_THROW(stack.open(), ProtocolError);
  EXPECT_FALSE(stack.is_open());
  EXPECT_TRUE(t.finished());
}

TEST(Negotiation, FailsWhenChipIsSlowerThanWanted) {
  ScriptedTransport t;
  t.expect_register(0x82, "08 80 00 00");
  t.expect_write("88 00 00");
  t.expect_register(0x84, "00 00 00 64");  // 100 kHz only
  IfxI2cStack stack(t);
  try {
    stack.open();
    FAIL() << "open() accepted a chip limited to 100 kHz";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("at most 100 kHz"), std::string::npos) << e.what();
  }
}

TEST(Negotiation, WaitsTheStartUpTimeAfterSoftReset) {
  ScriptedTransport t;
  script_open(t);
  IfxI2cOptions options;
  options.startup_us = 15'000;
  IfxI2cStack stack(t, options);
  stack.open();
  EXPECT_GE(t.clock().now_us(), 15'000u);
  EXPECT_EQ(stack.stats().resets, 1u);
}

}  // namespace
}  // namespace optiga::proto
