// A factory-fresh chip's metadata and status values equal the spec defaults (§6.1, §6.2, §6.3, §7.1),
// written out here byte by byte for Trust M V3, Trust M V1 and Trust X.
#include <map>

#include "core/chip/uid.h"
#include "engine_harness.h"

namespace optiga::sim::test {
namespace {

using Expected = std::map<std::uint16_t, std::string>;

const char* const status_alw = "20 0F C0 01 07 C4 01 01 C5 01 01 D0 01 00 D1 01 00";
const char* const status_nev = "20 0F C0 01 07 C4 01 01 C5 01 01 D0 01 FF D1 01 00";
const char* const cert_slot = "20 18 C0 01 01 C4 02 06 C0 C5 01 00 D0 03 E1 FC 07 D1 01 00 D3 01 00 E8 01 12";
const char* const anchor = "20 18 C0 01 01 C4 02 04 B0 C5 01 00 D0 03 E1 FC 07 D1 01 00 D3 01 00 E8 01 11";
const char* const key_e0f0 = "20 0F C0 01 01 D0 01 FF D3 01 00 E0 01 03 E1 01 01";
const char* const key_empty = "20 0B C0 01 01 D0 03 E1 FC 07 D3 01 00";
const char* const counter = "20 17 C0 01 01 C4 01 08 C5 01 08 D0 03 E1 FC 07 D1 01 00 D3 01 00 E8 01 01";
const char* const binding =
    "20 1D C0 01 01 C4 01 40 C5 01 00 D0 07 E1 FC 07 FE 20 E1 40 D1 03 E1 FC 07 D3 01 00 E8 01 22";
const char* const aes = "20 09 C0 01 01 D0 01 FF D3 01 00";
const char* const data_140 = "20 11 C0 01 01 C4 01 8C C5 01 00 D0 03 E1 FC 07 D1 01 00";
const char* const data_100 = "20 11 C0 01 01 C4 01 64 C5 01 00 D0 03 E1 FC 07 D1 01 00";
const char* const data_1500 = "20 12 C0 01 01 C4 02 05 DC C5 01 00 D0 03 E1 FC 07 D1 01 00";

Expected expected_metadata(chip::Model model) {
  const bool m = model != chip::Model::trust_x;
  const bool v3 = model == chip::Model::trust_m_v3;
  Expected e;
  e[0xE0C0] = status_alw;
  e[0xE0C1] = status_alw;
  e[0xE0C2] = "20 0F C0 01 07 C4 01 1B C5 01 1B D0 01 FF D1 01 00";
  e[0xE0C3] = status_alw;
  e[0xE0C4] = status_alw;
  e[0xE0C5] = status_nev;
  e[0xE0C6] = "20 0F C0 01 07 C4 01 02 C5 01 02 D0 01 FF D1 01 00";
  if (v3) e[0xE0C9] = "20 11 C0 01 07 C4 01 08 C5 01 08 D0 03 E1 FC 07 D1 01 00";
  // 0xE0E0's used size depends on the provisioned certificate; checked separately.
  for (std::uint16_t o = 0xE0E1; o <= 0xE0E3; ++o) e[o] = cert_slot;
  e[0xE0E8] = anchor;
  if (m) e[0xE0E9] = anchor;
  e[0xE0EF] = anchor;
  e[0xE0F0] = key_e0f0;
  for (std::uint16_t o = 0xE0F1; o <= 0xE0F3; ++o) e[o] = key_empty;
  if (m) {
    e[0xE0FC] = key_empty;
    e[0xE0FD] = key_empty;
    for (std::uint16_t o = 0xE120; o <= 0xE123; ++o) e[o] = counter;
    e[0xE140] = binding;
  }
  if (v3) e[0xE200] = aes;
  e[0xF1C0] = status_alw;
  e[0xF1C1] = status_alw;
  e[0xF1C2] = status_nev;
  const std::uint16_t last_small = m ? 0xF1DB : 0xF1DF;
  for (std::uint16_t o = 0xF1D0; o <= last_small; ++o) e[o] = m ? data_140 : data_100;
  e[0xF1E0] = data_1500;
  e[0xF1E1] = data_1500;
  return e;
}

class FactoryMetadata : public ::testing::TestWithParam<chip::Model> {};

TEST_P(FactoryMetadata, EveryObjectMatchesTheSpecDefaults) {
  Harness h(options(GetParam()));
  for (const auto& [oid, hex] : expected_metadata(GetParam())) {
    const Response r = h.read_metadata(oid);
    ASSERT_TRUE(r.ok()) << std::hex << oid;
    EXPECT_EQ(to_hex(r.data, " "), to_hex(from_hex(hex), " ")) << "object " << std::hex << oid;
  }
}

TEST_P(FactoryMetadata, DeviceCertificateOneIsProvisionedAndLocked) {
  Harness h(options(GetParam()));
  const Response cert = h.read(0xE0E0, 0, 1553);
  ASSERT_TRUE(cert.ok());
  ASSERT_GT(cert.data.size(), 9u);
  EXPECT_EQ(cert.data[0], 0xC0);  // TLS identity format (spec §8.2)
  chip::Metadata expected = chip::Metadata::parse(
      from_hex("20 17 C0 01 01 C4 02 06 C0 C5 02 00 00 D0 01 FF D1 01 00 D3 01 00 E8 01 12"));
  expected.used_size = static_cast<std::uint16_t>(cert.data.size());
  EXPECT_EQ(h.read_metadata(0xE0E0).data, expected.serialize());
}

TEST_P(FactoryMetadata, SessionContextsAreNotAddressable) {
  Harness h(options(GetParam()));
  for (std::uint16_t o = 0xE100; o <= 0xE103; ++o) {
    EXPECT_FALSE(h.read_metadata(o).ok());
    EXPECT_EQ(h.last_error(), chip::err::invalid_oid);
  }
}

TEST_P(FactoryMetadata, StatusObjectValues) {
  Harness h(options(GetParam()));
  const std::map<std::uint16_t, std::string> values = {
      {0xE0C0, "07"}, {0xE0C1, "20"}, {0xE0C3, "14"}, {0xE0C4, "06"}, {0xE0C5, "00"},
      {0xE0C6, "06 15"}, {0xF1C0, "01"}, {0xF1C1, "20"}, {0xF1C2, "00"}};
  for (const auto& [oid, hex] : values) {
    const Response r = h.read(oid);
    ASSERT_TRUE(r.ok()) << std::hex << oid;
    EXPECT_EQ(to_hex(r.data, " "), hex) << std::hex << oid;
  }
  const Response uid = h.read(0xE0C2);
  ASSERT_TRUE(uid.ok());
  ASSERT_EQ(uid.data.size(), 27u);
  EXPECT_EQ(chip::Uid::parse(uid.data).model(), GetParam());
}

INSTANTIATE_TEST_SUITE_P(Models, FactoryMetadata,
                         ::testing::Values(chip::Model::trust_m_v3, chip::Model::trust_m_v1, chip::Model::trust_x),
                         [](const auto& info) {
                           std::string s(chip::model_token(info.param));
                           for (auto& c : s)
                             if (c == '-') c = '_';
                           return s;
                         });

TEST(FactoryObjects, ModelSpecificObjectsAreAbsent) {
  Harness x(options(chip::Model::trust_x));
  for (std::uint16_t o : {0xE0E9, 0xE0FC, 0xE120, 0xE140, 0xE200, 0xE0C9}) {
    EXPECT_FALSE(x.read_metadata(o).ok()) << std::hex << o;
    EXPECT_EQ(x.last_error(), chip::err::invalid_oid);
  }
  Harness v1(options(chip::Model::trust_m_v1));
  for (std::uint16_t o : {0xE200, 0xE0C9, 0xF1DC}) {
    EXPECT_FALSE(v1.read_metadata(o).ok()) << std::hex << o;
    EXPECT_EQ(v1.last_error(), chip::err::invalid_oid);
  }
  EXPECT_EQ(to_hex(v1.read(0xE0C9).data), "");
  EXPECT_EQ(to_hex(Harness(options(chip::Model::trust_m_v3)).read(0xE0C9).data, " "), "50 00 05 01 00 00 00 00");
}

}  // namespace
}  // namespace optiga::sim::test
