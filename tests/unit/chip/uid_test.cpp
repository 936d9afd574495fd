#include "core/chip/uid.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

namespace optiga::chip {
namespace {

// The two real UIDs published for Trust M (spec §6.3).
const Bytes v1_uid = from_hex("CD 16 33 82 01 00 1C 00 05 00 00 0A 09 1B 5C 00 07 00 20 00 8E 80 10 10 71 08 09");
const Bytes v3_uid = from_hex("CD 16 33 94 01 00 1C 00 01 00 00 0A 09 A4 13 00 0B 00 42 00 78 80 10 10 71 24 40");

TEST(Uid, ParsesRealTrustMV1) {
  const Uid u = Uid::parse(v1_uid);
  EXPECT_EQ(u.cim_id, 0xCD);
  EXPECT_EQ(u.platform_id, 0x16);
  EXPECT_EQ(u.model_id, 0x33);
  EXPECT_EQ(u.rom_mask, 0x8201);
  EXPECT_EQ(u.chip_type, (std::array<std::uint8_t, 6>{0x00, 0x1C, 0x00, 0x05, 0x00, 0x00}));
  EXPECT_EQ(u.batch, (std::array<std::uint8_t, 6>{0x0A, 0x09, 0x1B, 0x5C, 0x00, 0x07}));
  EXPECT_EQ(u.wafer_x, 0x0020);
  EXPECT_EQ(u.wafer_y, 0x008E);
  EXPECT_EQ(u.firmware_id, 0x80101071u);
  EXPECT_EQ(u.build, 0x0809);
  EXPECT_EQ(u.model(), Model::trust_m_v1);
  EXPECT_EQ(u.firmware_version(), "1.30.809");
}

TEST(Uid, ParsesRealTrustMV3) {
  const Uid u = Uid::parse(v3_uid);
  EXPECT_EQ(u.rom_mask, 0x9401);
  EXPECT_EQ(u.wafer_x, 0x0042);
  EXPECT_EQ(u.wafer_y, 0x0078);
  EXPECT_EQ(u.model(), Model::trust_m_v3);
  EXPECT_EQ(u.firmware_version(), "3.00.2440");
}

TEST(Uid, SerializeRoundTrips) {
  EXPECT_EQ(Uid::parse(v1_uid).serialize(), v1_uid);
  EXPECT_EQ(Uid::parse(v3_uid).serialize(), v3_uid);
}

TEST(Uid, RejectsWrongLength) {
  Bytes short_uid(v3_uid.begin(), v3_uid.end() - 1);
  Bytes long_uid = v3_uid;
  long_uid.push_back(0);
  EXPECT_THROW(Uid::parse(short_uid), ParseError);
  EXPECT_THROW(Uid::parse(long_uid), ParseError);
  EXPECT_THROW(Uid::parse({}), ParseError);
}

TEST(Uid, BuildNumbersMapToModelsAndVersions) {
  Uid u = Uid::parse(v3_uid);
  u.build = build::trust_x_1_40_1118;
  EXPECT_EQ(u.model(), Model::trust_x);
  EXPECT_EQ(u.firmware_version(), "1.40.1118");
  u.build = build::trust_x_1_0_510;
  EXPECT_EQ(u.model(), Model::trust_x);
  EXPECT_EQ(u.firmware_version(), "1.0.510");
  u.build = build::trust_m_v3_3_02_2564;
  EXPECT_EQ(u.model(), Model::trust_m_v3);
  EXPECT_EQ(u.firmware_version(), "3.02.2564");
  u.build = 0x1234;
  EXPECT_EQ(u.model(), std::nullopt);
  EXPECT_EQ(u.firmware_version(), "build 0x1234");
}

TEST(Uid, SerialIsSixteenHexCharsAndDistinguishesChips) {
  const std::string s1 = Uid::parse(v1_uid).serial();
  const std::string s3 = Uid::parse(v3_uid).serial();
  EXPECT_EQ(s1, "1B5C00070020008E");
  EXPECT_EQ(s3, "A413000B00420078");
  EXPECT_LE(s1.size(), 16u);
  EXPECT_NE(s1, s3);
}

}  // namespace
}  // namespace optiga::chip
