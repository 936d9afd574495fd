// The per-model object tables (spec §6.1, §6.2) and their factory-fresh metadata (§7.1).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/chip/object_map.h"

using namespace optiga;
using namespace optiga::chip;

namespace {
std::string meta(Model m, std::uint16_t oid) {
  const ObjectInfo* o = find_object(m, oid);
  return o ? to_hex(o->default_metadata.serialize(), " ") : "missing";
}
std::size_t count_kind(Model m, ObjectKind k) {
  const auto& v = objects(m);
  return static_cast<std::size_t>(std::count_if(v.begin(), v.end(), [k](const ObjectInfo& o) { return o.kind == k; }));
}
}  // namespace

TEST(ObjectMap, SortedAndUniquePerModel) {
  for (Model m : {Model::trust_x, Model::trust_m_v1, Model::trust_m_v3}) {
    const auto& v = objects(m);
    ASSERT_FALSE(v.empty());
    EXPECT_TRUE(std::is_sorted(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.oid < b.oid; }));
    std::set<std::uint16_t> ids;
    for (const auto& o : v) EXPECT_TRUE(ids.insert(o.oid).second) << std::hex << o.oid;
  }
}

TEST(ObjectMap, ObjectCountsPerModel) {
  EXPECT_EQ(count_kind(Model::trust_m_v3, ObjectKind::device_certificate), 4u);
  EXPECT_EQ(count_kind(Model::trust_m_v3, ObjectKind::trust_anchor), 3u);
  EXPECT_EQ(count_kind(Model::trust_m_v3, ObjectKind::ecc_key), 4u);
  EXPECT_EQ(count_kind(Model::trust_m_v3, ObjectKind::rsa_key), 2u);
  EXPECT_EQ(count_kind(Model::trust_m_v3, ObjectKind::aes_key), 1u);
  EXPECT_EQ(count_kind(Model::trust_m_v3, ObjectKind::counter), 4u);
  EXPECT_EQ(count_kind(Model::trust_m_v3, ObjectKind::data), 14u);
  EXPECT_EQ(count_kind(Model::trust_m_v1, ObjectKind::aes_key), 0u);
  EXPECT_EQ(find_object(Model::trust_m_v1, oid::security_monitor_config), nullptr);
  EXPECT_NE(find_object(Model::trust_m_v3, oid::security_monitor_config), nullptr);
  // Trust X: no RSA, no 0xE0E9, no counters, no binding secret, 16 small data objects.
  EXPECT_EQ(count_kind(Model::trust_x, ObjectKind::rsa_key), 0u);
  EXPECT_EQ(count_kind(Model::trust_x, ObjectKind::counter), 0u);
  EXPECT_EQ(count_kind(Model::trust_x, ObjectKind::platform_binding), 0u);
  EXPECT_EQ(find_object(Model::trust_x, oid::trust_anchor_2), nullptr);
  EXPECT_EQ(count_kind(Model::trust_x, ObjectKind::data), 18u);
  EXPECT_NE(find_object(Model::trust_x, 0xF1DF), nullptr);
  EXPECT_EQ(find_object(Model::trust_m_v3, 0xF1DF), nullptr);
}

TEST(ObjectMap, NamesAndKinds) {
  const ObjectInfo* c2 = find_object(Model::trust_m_v3, 0xE0E1);
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(c2->name, "Device certificate 2");
  EXPECT_EQ(c2->kind, ObjectKind::device_certificate);
  EXPECT_EQ(c2->max_size, 1728);
  EXPECT_EQ(find_object(Model::trust_m_v3, 0xE0F1)->name, "ECC private key 2");
  EXPECT_EQ(find_object(Model::trust_m_v3, 0xE101)->kind, ObjectKind::session_context);
  EXPECT_EQ(find_object(Model::trust_m_v3, 0xF1D0)->max_size, 140);
  EXPECT_EQ(find_object(Model::trust_x, 0xF1D0)->max_size, 100);
  EXPECT_EQ(find_object(Model::trust_m_v3, 0xF1E1)->max_size, 1500);
  EXPECT_EQ(find_object(Model::trust_x, 0xE0EF)->name, "Trust anchor 2");
  EXPECT_EQ(object_kind_name(ObjectKind::ecc_key), "ECC key");
  EXPECT_EQ(find_object(Model::trust_m_v3, 0x1234), nullptr);
}

TEST(ObjectMap, DefaultMetadataMatchesTheV3DumpEncodings) {
  const Model m = Model::trust_m_v3;
  EXPECT_EQ(meta(m, 0xE0F0), "20 0f c0 01 01 d0 01 ff d3 01 00 e0 01 03 e1 01 01");
  EXPECT_EQ(meta(m, 0xE0F1), "20 0b c0 01 01 d0 03 e1 fc 07 d3 01 00");
  EXPECT_EQ(meta(m, 0xE0FC), "20 0b c0 01 01 d0 03 e1 fc 07 d3 01 00");
  EXPECT_EQ(meta(m, 0xE200), "20 09 c0 01 01 d0 01 ff d3 01 00");
  EXPECT_EQ(meta(m, 0xE0E2), "20 18 c0 01 01 c4 02 06 c0 c5 01 00 d0 03 e1 fc 07 d1 01 00 d3 01 00 e8 01 12");
  EXPECT_EQ(meta(m, 0xE0E9), "20 18 c0 01 01 c4 02 04 b0 c5 01 00 d0 03 e1 fc 07 d1 01 00 d3 01 00 e8 01 11");
  EXPECT_EQ(meta(m, 0xE121), "20 17 c0 01 01 c4 01 08 c5 01 08 d0 03 e1 fc 07 d1 01 00 d3 01 00 e8 01 01");
  EXPECT_EQ(meta(m, 0xE140),
            "20 1d c0 01 01 c4 01 40 c5 01 00 d0 07 e1 fc 07 fe 20 e1 40 d1 03 e1 fc 07 d3 01 00 e8 01 22");
  EXPECT_EQ(meta(m, 0xF1D5), "20 11 c0 01 01 c4 01 8c c5 01 00 d0 03 e1 fc 07 d1 01 00");
  EXPECT_EQ(meta(m, 0xF1E0), "20 12 c0 01 01 c4 02 05 dc c5 01 00 d0 03 e1 fc 07 d1 01 00");
  EXPECT_EQ(find_object(m, 0xE100)->default_metadata, Metadata{});
}

TEST(ObjectMap, StatusObjectsDefaults) {
  const ObjectInfo* e0c6 = find_object(Model::trust_m_v3, oid::max_comms_buffer);
  EXPECT_EQ(e0c6->default_value, (Bytes{0x06, 0x15}));
  EXPECT_EQ(meta(Model::trust_m_v3, 0xE0C6), "20 0f c0 01 07 c4 01 02 c5 01 02 d0 01 ff d1 01 00");
  EXPECT_EQ(meta(Model::trust_m_v3, 0xE0C9), "20 11 c0 01 07 c4 01 08 c5 01 08 d0 03 e1 fc 07 d1 01 00");
  EXPECT_EQ(find_object(Model::trust_m_v3, oid::security_monitor_config)->default_value,
            from_hex("50 00 05 01 00 00 00 00"));
  EXPECT_EQ(find_object(Model::trust_x, oid::sleep_delay)->default_value, Bytes{0x14});
  EXPECT_EQ(find_object(Model::trust_m_v1, oid::lcs_application)->default_value, Bytes{0x01});
  EXPECT_EQ(find_object(Model::trust_m_v1, oid::coprocessor_uid)->max_size, 27);
}
