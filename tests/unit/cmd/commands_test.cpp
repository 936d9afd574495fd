#include "core/cmd/commands.h"

#include <gtest/gtest.h>

#include "core/cmd/tlv.h"
#include "core/util/error.h"

using namespace optiga;
using namespace optiga::cmd;

namespace {
std::string m(const Command& c) { return to_hex(encode_command(c, true), " "); }
std::string plain(const Command& c) { return to_hex(encode_command(c, false), " "); }
}  // namespace

TEST(Commands, SpecExamples) {
  EXPECT_EQ(m(gen_key_pair(chip::Algorithm::nist_p256, 0xE0F1, 0x10)), "b8 03 00 09 01 00 02 e0 f1 02 00 01 10");
  EXPECT_EQ(m(get_random(0x20)), "8c 00 00 02 00 20");
  EXPECT_EQ(m(get_data(0xE0C2, 0, 0x64)), "81 00 00 06 e0 c2 00 00 00 64");
  EXPECT_EQ(plain(get_last_error(chip::Model::trust_m_v3)), "01 00 00 06 f1 c2 00 00 00 01");
  EXPECT_EQ(plain(get_last_error(chip::Model::trust_x)), "01 00 00 02 f1 c2");
  EXPECT_EQ(m(open_application()), "f0 00 00 10 d2 76 00 00 04 47 65 6e 41 75 74 68 41 70 70 6c");
}

TEST(Commands, DataObjectWrites) {
  const Bytes payload = from_hex("01 02 03");
  EXPECT_EQ(m(set_data(0xF1D0, 0x0010, payload, false)), "82 00 00 07 f1 d0 00 10 01 02 03");
  EXPECT_EQ(m(set_data(0xF1D0, 0, payload, true)), "82 40 00 07 f1 d0 00 00 01 02 03");
  EXPECT_EQ(m(set_metadata(0xE0E1, from_hex("20 06 D0 01 FF D1 01 00"))),
            "82 01 00 0c e0 e1 00 00 20 06 d0 01 ff d1 01 00");
  EXPECT_EQ(m(count(0xE120, 2)), "82 02 00 05 e1 20 00 00 02");
  EXPECT_THROW(count(0xE120, 0), UsageError);
  EXPECT_EQ(m(get_metadata(0xE0F1)), "81 01 00 02 e0 f1");
}

TEST(Commands, RandomBounds) {
  EXPECT_THROW(get_random(7), UsageError);
  EXPECT_THROW(get_random(257), UsageError);
  EXPECT_NO_THROW(get_random(8));
  EXPECT_NO_THROW(get_random(256));
}

TEST(Commands, SignVerifyEcdh) {
  const Bytes digest(32, 0xAB);
  EXPECT_EQ(to_hex(encode_command(calc_sign(0xE0F1, digest), true)),
            "b1110028" "010020" + to_hex(digest) + "030002e0f1");
  const Bytes sig = from_hex("02 01 01 02 01 02");
  const Bytes pub = from_hex("03 03 00 04 01");
  EXPECT_EQ(m(verify_sign(from_hex("aa bb"), sig, chip::Algorithm::nist_p256, pub)),
            "b2 11 00 1a 01 00 02 aa bb 02 00 06 02 01 01 02 01 02 05 00 01 03 06 00 05 03 03 00 04 01");
  EXPECT_EQ(m(verify_sign_with_cert(from_hex("aa bb"), sig, 0xE0E8)),
            "b2 11 00 13 01 00 02 aa bb 02 00 06 02 01 01 02 01 02 04 00 02 e0 e8");
  EXPECT_EQ(m(calc_ssec(0xE0F2, chip::Algorithm::nist_p384, pub)),
            "b3 01 00 14 01 00 02 e0 f2 05 00 01 04 06 00 05 03 03 00 04 01 07 00 00");
}

TEST(Commands, GenKeyPairOutput) {
  EXPECT_EQ(to_hex(parse_gen_key_pair(from_hex("02 00 03 03 01 00"))), "030100");
  EXPECT_THROW(parse_gen_key_pair(from_hex("02 00 05 03 01")), ProtocolError);
  EXPECT_THROW(parse_gen_key_pair(from_hex("01 00 01 00")), ProtocolError);
}

TEST(Commands, ContextNamesTheAttempt) {
  EXPECT_EQ(gen_key_pair(chip::Algorithm::nist_p256, 0xE0F1, 0x10).context, "GenKeyPair into 0xE0F1");
  EXPECT_EQ(set_data(0xE0E1, 0, {}, true).context, "write 0xE0E1");
}

TEST(Tlv, ParseAndFind) {
  const Bytes data = from_hex("01 00 02 aa bb 07 00 00");
  const auto tlvs = parse_tlvs(data);
  ASSERT_EQ(tlvs.size(), 2u);
  EXPECT_EQ(to_hex(*find_tlv(tlvs, 0x01)), "aabb");
  EXPECT_TRUE(find_tlv(tlvs, 0x07)->empty());
  EXPECT_FALSE(find_tlv(tlvs, 0x02).has_value());
  EXPECT_THROW(parse_tlvs(from_hex("01 00")), ProtocolError);
  EXPECT_THROW(parse_tlvs(from_hex("01 00 03 aa")), ProtocolError);
}
