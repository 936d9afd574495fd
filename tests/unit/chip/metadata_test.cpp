// Metadata TLV parse/serialize against the real dumps of spec §7.1, merge, and rejection reasons.
#include <gtest/gtest.h>

#include <string>

#include "core/chip/ids.h"
#include "core/chip/metadata.h"
#include "core/util/error.h"

using namespace optiga;
using namespace optiga::chip;

namespace {

// Real metadata read from chips (spec §7.1: Linux tool README, protected-update README, V3 dump).
const char* const real_dumps[] = {
    "20 17 C0 01 01 C4 02 06 C0 C5 02 01 DC D0 01 FF D1 01 00 D3 01 00 E8 01 12",
    "20 19 C0 01 01 C4 02 04 B0 C5 02 02 5C D0 03 E1 FC 07 D1 01 00 D3 01 00 E8 01 11",
    "20 21 C0 01 01 C1 02 00 00 C4 01 8C C5 01 40 D0 03 E1 FC 07 D1 01 00 D8 07 21 E0 E8 FD 20 F1 D4 F0 01 11",
    "20 17 C0 01 01 C4 02 06 C0 C5 02 02 03 D0 01 FF D1 01 00 D3 01 00 E8 01 12",
    "20 19 C0 01 01 C4 02 06 C0 C5 02 06 C0 D0 03 E1 FC 07 D1 01 00 D3 01 00 E8 01 12",
    "20 19 C0 01 01 C4 02 04 B0 C5 02 04 B0 D0 03 E1 FC 07 D1 01 00 D3 01 00 E8 01 11",
    "20 0F C0 01 01 D0 01 FF D3 01 00 E0 01 03 E1 01 01",
    "20 11 C0 01 01 D0 03 E1 FC 07 D3 01 00 E0 01 16 E1 01 30",
    "20 0B C0 01 01 D0 03 E1 FC 07 D3 01 00",
    "20 17 C0 01 01 C4 01 08 C5 01 08 D0 03 E1 FC 07 D1 01 00 D3 01 00 E8 01 01",
    "20 1D C0 01 01 C4 01 40 C5 01 40 D0 07 E1 FC 07 FE 20 E1 40 D1 03 E1 FC 07 D3 01 00 E8 01 22",
    "20 09 C0 01 01 D0 01 FF D3 01 00",
    "20 11 C0 01 01 C4 01 8C C5 01 64 D0 03 E1 FC 07 D1 01 00",
    "20 13 C0 01 01 C4 02 05 DC C5 02 05 DC D0 03 E1 FC 07 D1 01 00",
};

std::string parse_error(const std::string& hex) {
  try {
    Metadata::parse(from_hex(hex));
  } catch (const ParseError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(Metadata, RealDumpsRoundTripByteIdentical) {
  for (const char* dump : real_dumps) {
    const Bytes raw = from_hex(dump);
    EXPECT_EQ(to_hex(Metadata::parse(raw).serialize(), " "), to_hex(raw, " ")) << dump;
  }
}

TEST(Metadata, ParsesFieldsOfTheCertificateDump) {
  const Metadata m = Metadata::parse(from_hex(real_dumps[0]));
  EXPECT_EQ(m.lcso, lcs::creation);
  EXPECT_EQ(m.max_size, 1728);
  EXPECT_EQ(m.used_size, 476);
  EXPECT_EQ(m.change, AccessCondition::never());
  EXPECT_EQ(m.read, AccessCondition::always());
  EXPECT_EQ(m.execute, AccessCondition::always());
  EXPECT_EQ(m.object_type, 0x12);
  EXPECT_FALSE(m.algorithm.has_value());
  EXPECT_TRUE(m.other.empty());
}

TEST(Metadata, ParsesVersionDescriptorAndResetType) {
  const Metadata m = Metadata::parse(from_hex(real_dumps[2]));
  EXPECT_EQ(m.version, 0x0000);
  EXPECT_EQ(m.max_size, 140);
  EXPECT_EQ(m.used_size, 64);
  ASSERT_TRUE(m.update_descriptor.has_value());
  EXPECT_EQ(m.update_descriptor->raw(), from_hex("21 E0 E8 FD 20 F1 D4"));
  EXPECT_EQ(m.reset_type, 0x11);
}

TEST(Metadata, SerializeUsesAscendingTagsAndShortestSizes) {
  Metadata m;
  m.object_type = 0x12;
  m.used_size = 0x00FF;
  m.max_size = 1200;
  m.lcso = lcs::creation;
  m.key_usage = 0x10;
  EXPECT_EQ(to_hex(m.serialize(), " "), "20 10 c0 01 01 c4 02 04 b0 c5 01 ff e1 01 10 e8 01 12");
}

TEST(Metadata, UnknownTagsAreKeptInOrder) {
  const Bytes raw = from_hex("20 09 C0 01 07 C9 01 AA F5 01 BB");
  const Metadata m = Metadata::parse(raw);
  ASSERT_EQ(m.other.size(), 2u);
  EXPECT_EQ(m.other.at(0xC9), Bytes{0xAA});
  EXPECT_EQ(m.serialize(), raw);
}

TEST(Metadata, EmptyMetadataIsValid) {
  const Metadata m = Metadata::parse(from_hex("20 00"));
  EXPECT_EQ(m, Metadata{});
  EXPECT_EQ(m.serialize(), from_hex("20 00"));
}

TEST(Metadata, MergeReplacesOnlyPresentTags) {
  Metadata m = Metadata::parse(from_hex(real_dumps[4]));
  m.merge(Metadata::parse(from_hex("20 06 D0 01 FF D1 01 00")));
  EXPECT_EQ(m.change, AccessCondition::never());
  EXPECT_EQ(m.lcso, lcs::creation);
  EXPECT_EQ(m.max_size, 1728);
  m.merge(Metadata::parse(from_hex("20 03 C0 01 07")));
  EXPECT_EQ(m.lcso, lcs::operational);
  EXPECT_EQ(to_hex(m.serialize(), " "),
            "20 17 c0 01 07 c4 02 06 c0 c5 02 06 c0 d0 01 ff d1 01 00 d3 01 00 e8 01 12");
}

TEST(Metadata, DescribeNamesEachTag) {
  const std::string d = Metadata::parse(from_hex(real_dumps[6])).describe();
  EXPECT_NE(d.find("LcsO: creation (0x01)"), std::string::npos) << d;
  EXPECT_NE(d.find("Change: NEV"), std::string::npos) << d;
  EXPECT_NE(d.find("Execute: ALW"), std::string::npos) << d;
  EXPECT_NE(d.find("Algorithm: P-256 (0x03)"), std::string::npos) << d;
  EXPECT_NE(d.find("Key usage: Auth (0x01)"), std::string::npos) << d;
}

TEST(Metadata, RejectsMalformedWithReasons) {
  EXPECT_NE(parse_error(""), "");
  EXPECT_NE(parse_error("20").find("shorter"), std::string::npos);
  EXPECT_NE(parse_error("21 03 C0 01 01").find("0x21"), std::string::npos);
  EXPECT_NE(parse_error("20 04 C0 01 01").find("length byte"), std::string::npos);
  EXPECT_NE(parse_error("20 03 C0 05 01").find("past the end"), std::string::npos);
  EXPECT_NE(parse_error("20 01 C0").find("no length"), std::string::npos);
  EXPECT_NE(parse_error("20 06 C0 01 01 C0 01 03").find("duplicate"), std::string::npos);
  EXPECT_NE(parse_error("20 04 C0 02 01 01").find("1 byte"), std::string::npos);
  EXPECT_NE(parse_error("20 05 C4 03 01 02 03").find("1 or 2 bytes"), std::string::npos);
  EXPECT_NE(parse_error("20 03 C1 01 00").find("2 bytes"), std::string::npos);
  EXPECT_NE(parse_error("20 02 D0 00").find("empty"), std::string::npos);
  EXPECT_NE(parse_error("20 03 E1 02 01 10"), "");
}
