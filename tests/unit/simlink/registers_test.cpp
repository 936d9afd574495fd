// Register file of the emulated chip (spec §1.2, §1.3).
#include <gtest/gtest.h>

#include "tests/unit/simlink/sim_test_support.h"

namespace optiga::sim::test {
namespace {

TEST(Registers, DataRegLenClampsAndReadsBack) {
  Rig rig;
  EXPECT_EQ(rig.read_register(0x81, 2), from_hex("01 15"));
  rig.write_register(0x81, from_hex("FF FF"));
  EXPECT_EQ(rig.read_register(0x81, 2), from_hex("01 15"));
  rig.write_register(0x81, from_hex("00 05"));
  EXPECT_EQ(rig.read_register(0x81, 2), from_hex("00 10"));
  rig.write_register(0x81, from_hex("00 40"));
  EXPECT_EQ(rig.read_register(0x81, 2), from_hex("00 40"));
  // A frame longer than the new size is refused with a NAK.
  Bytes packet(70, 0x00);
  rig.write_frame(host_frame(0x03, packet));
  EXPECT_EQ(rig.read_frame(), from_hex("A0 00 00 0F D7"));
}

TEST(Registers, ReadPastEndAndInvalidRegistersGiveFF) {
  Rig rig;
  EXPECT_EQ(rig.read_register(0x82, 6), from_hex("08 80 00 00 FF FF"));
  EXPECT_EQ(rig.read_register(0x81, 4), from_hex("01 15 FF FF"));
  EXPECT_EQ(rig.read_register(0x42, 3), from_hex("FF FF FF"));
  EXPECT_EQ(rig.read_register(0x83, 2), from_hex("FF FF"));  // BASE_ADDR is write-only
  EXPECT_EQ(rig.read_register(0x80, 4), from_hex("FF FF FF FF"));  // nothing ready
  EXPECT_EQ(rig.read_register(0x85, 4), from_hex("FF FF FF FF"));
  EXPECT_EQ(rig.read_register(0x86, 4), from_hex("FF FF FF FF"));
}

TEST(Registers, MaxSclFollowsI2cMode) {
  Rig rig;
  EXPECT_EQ(rig.read_register(0x84, 4), from_hex("00 00 01 90"));
  rig.write_register(0x89, from_hex("80 04"));
  EXPECT_EQ(rig.read_register(0x84, 4), from_hex("00 00 03 E8"));
  EXPECT_EQ(rig.read_register(0x89, 2), from_hex("00 04"));
  rig.write_register(0x89, from_hex("00 03"));
  EXPECT_EQ(rig.read_register(0x84, 4), from_hex("00 00 01 90"));
  rig.write_register(0x83, from_hex("80 30"));  // accepted, no effect
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
}

TEST(Registers, SoftResetResetsLinkAndEngineThenNacksDuringStartup) {
  Rig rig;
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 0}; };
  rig.write_frame(host_frame(0x03, from_hex("00 F0 00 00 00")));
  rig.write_register(0x81, from_hex("00 40"));
  rig.write_register(0x88, from_hex("00 00"));
  EXPECT_EQ(rig.log->resets, 1);
  EXPECT_EQ(rig.bus->write(Bytes{0x82}), hal::I2cStatus::nack);
  rig.sleep(15'000);
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));  // the offered answer is gone
  EXPECT_EQ(rig.read_register(0x81, 2), from_hex("01 15"));
  // Counters are back at 3: the next frame 0 is a new command.
  rig.write_frame(host_frame(0x03, from_hex("00 F0 00 00 00")));
  EXPECT_EQ(rig.read_frame(), host_frame(0x00, from_hex("00 00 00 00 00")));
  EXPECT_EQ(rig.log->apdus.size(), 2u);
  EXPECT_GE(rig.bus->counters().nacks, 1u);
}

TEST(Registers, HardwareResetResetsEngine) {
  Rig rig;
  EXPECT_TRUE(rig.bus->hardware_reset());
  EXPECT_EQ(rig.log->resets, 1);
  EXPECT_EQ(rig.bus->counters().resets, 1u);
  EXPECT_EQ(rig.bus->describe(), "emulated OPTIGA Trust M V3 (sim:memory)");
}

}  // namespace
}  // namespace optiga::sim::test
