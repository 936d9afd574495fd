// core/token/data_objects.h over the emulated chip: the documented encoding, which chip objects
// data objects use (none the project uses for anything else), and what is never overwritten.
#include <gtest/gtest.h>

#include <algorithm>

#include "core/chip/object_map.h"
#include "core/device/key_slots.h"
#include "core/token/data_objects.h"
#include "core/token/token_error.h"
#include "core/token/token_labels.h"
#include "unit/integration/sim_fixture.h"

namespace optiga::testing {
namespace {

using token::DataObject;
using token::DataObjectStore;

TEST(DataObjects, EncodingIsTheDocumentedHeader) {
  DataObject d;
  d.label = "x";
  d.value = {0xAA, 0xBB};
  d.is_private = true;
  d.copyable = false;
  // "OPD1" ‖ flags (private | not copyable) ‖ label TLV ‖ value TLV; empty fields left out.
  const Bytes expected = {'O', 'P', 'D', '1', 0x09, 0x01, 0x00, 0x01, 'x', 0x04, 0x00, 0x02, 0xAA, 0xBB};
  EXPECT_EQ(DataObjectStore::encode(d), expected);
  EXPECT_EQ(DataObjectStore::decode(expected), d);
  EXPECT_EQ(DataObjectStore::decode(Bytes{0x30, 0x82, 0x01}), std::nullopt);      // someone else's data
  EXPECT_EQ(DataObjectStore::decode(Bytes{'O', 'P', 'D', '1', 0, 4, 0, 9, 1}), std::nullopt);  // cut short
}

TEST(DataObjects, UseOnlyChipObjectsNothingElseClaims) {
  for (const auto model : {chip::Model::trust_x, chip::Model::trust_m_v1, chip::Model::trust_m_v3}) {
    const auto oids = DataObjectStore::chip_objects(model);
    EXPECT_EQ(oids.size(), model == chip::Model::trust_x ? 11u : 7u);
    for (const auto oid : oids) {
      const chip::ObjectInfo* info = chip::find_object(model, oid);
      ASSERT_NE(info, nullptr) << std::hex << oid;
      EXPECT_EQ(info->kind, chip::ObjectKind::data);
      EXPECT_NE(oid, token::label_object);
      for (const std::uint16_t key : {0xE0F0, 0xE0F1, 0xE0F2, 0xE0F3, 0xE0FC, 0xE0FD})
        EXPECT_NE(device::public_key_object(key), oid) << std::hex << oid;
    }
  }
}

TEST(DataObjects, StoredFoundAndErasedButForeignDataIsLeftAlone) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  dev->write_object(0xF1D4, Bytes{1, 2, 3}, true);  // an application's own data, written directly
  DataObjectStore store(*dev);
  EXPECT_TRUE(store.objects().empty());
  DataObject d;
  d.application = "app";
  d.value = Bytes(100, 0x11);
  const std::uint16_t oid = store.create(d);
  EXPECT_EQ(oid, 0xF1D5);  // 0xF1D4 is not free
  EXPECT_EQ(dev->read_object(0xF1D4), (Bytes{1, 2, 3}));
  ASSERT_EQ(store.objects().size(), 1u);
  EXPECT_EQ(store.object(oid), d);
  DataObject big = d;
  big.value = Bytes(140, 0x22);
  try {
    store.update(oid, big);
    FAIL() << "a data object larger than its chip object was stored";
  } catch (const token::TokenError& e) {
    EXPECT_EQ(e.refusal(), token::Refusal::does_not_fit);
  }
  EXPECT_EQ(store.object(oid), d);
  store.erase(oid);
  EXPECT_TRUE(store.objects().empty());
  EXPECT_THROW(store.erase(0xF1D4), UsageError);  // not ours
  EXPECT_EQ(dev->read_object(0xF1D4), (Bytes{1, 2, 3}));
}

}  // namespace
}  // namespace optiga::testing
