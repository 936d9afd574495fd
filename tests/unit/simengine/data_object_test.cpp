// GetDataObject / SetDataObject: sizes, offsets, access conditions, life cycle, metadata writes,
// counters (spec §5.6, §6.1, §7).
#include "engine_harness.h"

namespace optiga::sim::test {
namespace {

using chip::Model;
namespace err = chip::err;

TEST(DataObject, CertificateWrittenInTwoChunksReadsBack) {
  Harness h(options(Model::trust_m_v3));
  Bytes cert(1728);
  for (std::size_t i = 0; i < cert.size(); ++i) cert[i] = static_cast<std::uint8_t>(i * 7 + 3);
  // The Trust M host's chunking: 1549 + 179 bytes, first with erase & write (spec §5.7).
  ASSERT_TRUE(h.write(0xE0E1, ByteView(cert).first(1549), 0, 0x40).ok());
  ASSERT_TRUE(h.write(0xE0E1, ByteView(cert).subspan(1549), 1549, 0x00).ok());
  const Response a = h.read(0xE0E1, 0, 1553);
  const Response b = h.read(0xE0E1, 1553, 1553);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a.data.size(), 1553u);
  EXPECT_EQ(b.data.size(), 175u);
  Bytes all = a.data;
  append(all, b.data);
  EXPECT_EQ(all, cert);
  // The next chunk is past the end: 0x08, which the host library takes as end of data.
  EXPECT_FALSE(h.read(0xE0E1, 1728, 1553).ok());
  EXPECT_EQ(h.last_error(), err::boundary_exceeded);
  EXPECT_EQ(to_hex(h.read_metadata(0xE0E1).data, " "),
            "20 19 c0 01 01 c4 02 06 c0 c5 02 06 c0 d0 03 e1 fc 07 d1 01 00 d3 01 00 e8 01 12");
}

TEST(DataObject, LengthIsReducedToWhatIsAvailable) {
  Harness h(options(Model::trust_m_v3));
  ASSERT_TRUE(h.write(0xF1D0, from_hex("01 02 03 04 05")).ok());
  EXPECT_EQ(h.read(0xF1D0, 2, 100).data, from_hex("03 04 05"));
  EXPECT_EQ(h.read(0xF1D0, 1, 2).data, from_hex("02 03"));
  EXPECT_EQ(h.run_hex("81 00 00 02 F1 D0").data, from_hex("01 02 03 04 05"));
  EXPECT_FALSE(h.read(0xF1D0, 6, 1).ok());
  EXPECT_EQ(h.last_error(), err::boundary_exceeded);
  // An empty object reads as no data from offset 0.
  const Response empty = h.read(0xF1D1);
  EXPECT_TRUE(empty.ok());
  EXPECT_TRUE(empty.data.empty());
}

TEST(DataObject, WriteAndEraseWriteSemantics) {
  Harness h(options(Model::trust_m_v3));
  ASSERT_TRUE(h.write(0xF1D2, from_hex("AA BB CC DD")).ok());
  ASSERT_TRUE(h.write(0xF1D2, from_hex("11"), 1).ok());
  EXPECT_EQ(h.read(0xF1D2).data, from_hex("AA 11 CC DD"));
  // Erase & write 5 bytes at offset 10 gives a 15-byte object with 10 leading zeros (spec §5.6).
  ASSERT_TRUE(h.write(0xF1D2, from_hex("01 02 03 04 05"), 10, 0x40).ok());
  EXPECT_EQ(h.read(0xF1D2).data, from_hex("00 00 00 00 00 00 00 00 00 00 01 02 03 04 05"));
  EXPECT_EQ(chip::Metadata::parse(h.read_metadata(0xF1D2).data).used_size, 15);
  // Past the maximum size.
  EXPECT_FALSE(h.write(0xF1D2, Bytes(2, 0), 139).ok());
  EXPECT_EQ(h.last_error(), err::boundary_exceeded);
}

TEST(DataObject, KeyObjectsAreNeverReadableOrWritable) {
  Harness h(options(Model::trust_m_v3));
  for (std::uint16_t key : {0xE0F0, 0xE0F1, 0xE0FC, 0xE200}) {
    EXPECT_FALSE(h.read(key).ok()) << std::hex << key;
    EXPECT_EQ(h.last_error(), err::access_conditions);
    EXPECT_FALSE(h.write(key, Bytes(4, 1)).ok());
    EXPECT_EQ(h.last_error(), err::access_conditions);
  }
  EXPECT_FALSE(h.read(0xE102).ok());
  EXPECT_EQ(h.last_error(), err::invalid_oid);
}

TEST(DataObject, ChangeNeverIsRefused) {
  Harness h(options(Model::trust_m_v3));
  for (std::uint16_t o : {0xE0E0, 0xE0C2, 0xE0C6, 0xF1C2}) {
    EXPECT_FALSE(h.write(o, Bytes{0x00}).ok()) << std::hex << o;
    EXPECT_EQ(h.last_error(), err::access_conditions);
  }
  ASSERT_TRUE(h.write_metadata(0xF1D3, "20 03 D0 01 FF").ok());
  EXPECT_FALSE(h.write(0xF1D3, Bytes{0x01}).ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
}

TEST(DataObject, OperationalLifeCycleLocksTheObject) {
  Harness h(options(Model::trust_m_v3));
  ASSERT_TRUE(h.write(0xE0E2, from_hex("30 03 02 01 05")).ok());
  ASSERT_TRUE(h.write_metadata(0xE0E2, "20 03 C0 01 07").ok());
  EXPECT_FALSE(h.write(0xE0E2, from_hex("30 00")).ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
  EXPECT_EQ(h.read(0xE0E2).data, from_hex("30 03 02 01 05"));
  // ACs can no longer change, and the life cycle cannot go back.
  EXPECT_FALSE(h.write_metadata(0xE0E2, "20 03 D0 01 00").ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
  EXPECT_FALSE(h.write_metadata(0xE0E2, "20 03 C0 01 01").ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
  // Forward to termination is allowed.
  EXPECT_TRUE(h.write_metadata(0xE0E2, "20 03 C0 01 0F").ok());
}

TEST(DataObject, MetadataWriteRules) {
  Harness h(options(Model::trust_m_v3));
  ASSERT_TRUE(h.write_metadata(0xE0E1, "20 06 D0 01 FF D1 01 00").ok());
  EXPECT_EQ(chip::Metadata::parse(h.read_metadata(0xE0E1).data).change, chip::AccessCondition::never());
  // Sizes and algorithm are never writable.
  for (const char* tlv : {"20 03 C4 01 10", "20 03 C5 01 10", "20 03 E0 01 03"}) {
    EXPECT_FALSE(h.write_metadata(0xF1D4, tlv).ok()) << tlv;
    EXPECT_EQ(h.last_error(), err::access_conditions);
  }
  // Malformed TLV, malformed AC, unknown tag, bad type, bad life cycle value.
  for (const char* tlv : {"20 05 D0 01 FF", "20 04 D0 02 E1 FC", "20 03 C9 01 00", "20 03 E8 01 77",
                          "20 03 C0 01 05", "21 03 D0 01 FF"}) {
    EXPECT_FALSE(h.write_metadata(0xF1D4, tlv).ok()) << tlv;
    EXPECT_EQ(h.last_error(), err::invalid_parameter_in_data) << tlv;
  }
  // Version/reset type are V3 tags.
  Harness v1(options(Model::trust_m_v1));
  EXPECT_FALSE(v1.write_metadata(0xF1D4, "20 04 C1 02 00 01").ok());
  EXPECT_EQ(v1.last_error(), err::invalid_parameter_in_data);
  EXPECT_TRUE(h.write_metadata(0xF1D4, "20 04 C1 02 00 01").ok());
  // Status objects are operational: their ACs are fixed.
  EXPECT_FALSE(h.write_metadata(0xE0C3, "20 03 D0 01 FF").ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
  // Type change makes a data object a counter-less PRESSEC; reading it back shows the tag.
  ASSERT_TRUE(h.write_metadata(0xF1D5, "20 03 E8 01 21").ok());
  EXPECT_EQ(chip::Metadata::parse(h.read_metadata(0xF1D5).data).object_type, 0x21);
}

TEST(DataObject, MonotonicCounter) {
  Harness h(options(Model::trust_m_v3));
  ASSERT_TRUE(h.write(0xE120, from_hex("00 00 00 00 00 00 00 0A")).ok());
  ASSERT_TRUE(h.write(0xE120, Bytes{0x02}, 0, 0x02).ok());
  EXPECT_EQ(h.read(0xE120).data, from_hex("00 00 00 02 00 00 00 0A"));
  ASSERT_TRUE(h.write(0xE120, Bytes{0x20}, 0, 0x02).ok());
  EXPECT_EQ(h.read(0xE120).data, from_hex("00 00 00 0A 00 00 00 0A"));
  EXPECT_FALSE(h.write(0xE120, Bytes{0x01}, 0, 0x02).ok());
  EXPECT_EQ(h.last_error(), err::counter_threshold);
  // Counting a byte string is forbidden by its type.
  EXPECT_FALSE(h.write(0xF1D0, Bytes{0x01}, 0, 0x02).ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
}

TEST(DataObject, StatusObjectWrites) {
  Harness h(options(Model::trust_m_v3));
  EXPECT_TRUE(h.write(0xE0C3, Bytes{0x40}).ok());
  EXPECT_EQ(h.read(0xE0C3).data, Bytes{0x40});
  EXPECT_FALSE(h.write(0xE0C4, Bytes{0x20}).ok());  // current limit 6..15
  EXPECT_EQ(h.last_error(), err::invalid_parameter_in_data);
  // Security status: a write can only reset achieved bits.
  EXPECT_TRUE(h.write(0xF1C1, Bytes{0xFF}).ok());
  EXPECT_EQ(h.read(0xF1C1).data, Bytes{0x20});
  EXPECT_TRUE(h.write(0xF1C1, Bytes{0xDF}).ok());
  EXPECT_EQ(h.read(0xF1C1).data, Bytes{0x00});
  // LcsA moves forward only.
  EXPECT_TRUE(h.write(0xF1C0, Bytes{0x07}).ok());
  EXPECT_FALSE(h.write(0xF1C0, Bytes{0x03}).ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
  EXPECT_EQ(h.read(0xF1C0).data, Bytes{0x07});
}

}  // namespace
}  // namespace optiga::sim::test
