#include "core/cmd/apdu.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

using namespace optiga;
using namespace optiga::cmd;

TEST(ApduEncode, HeaderAndClearBit) {
  const Command c{0x0C, 0x00, from_hex("00 20"), "x"};
  EXPECT_EQ(to_hex(encode_command(c, true)), "8c00000200" "20");
  EXPECT_EQ(to_hex(encode_command(c, false)), "0c0000020020");
}

TEST(ApduEncode, ClearBitPolicyPerModel) {
  using chip::Model;
  EXPECT_TRUE(uses_clear_error_bit(Model::trust_m_v3, chip::cmd::get_data_object, false));
  EXPECT_FALSE(uses_clear_error_bit(Model::trust_m_v3, chip::cmd::get_data_object, true));
  EXPECT_TRUE(uses_clear_error_bit(Model::trust_m_v1, chip::cmd::calc_sign, false));
  EXPECT_TRUE(uses_clear_error_bit(Model::trust_x, chip::cmd::open_application, false));
  EXPECT_FALSE(uses_clear_error_bit(Model::trust_x, chip::cmd::get_data_object, false));
  EXPECT_FALSE(uses_clear_error_bit(Model::trust_x, chip::cmd::gen_key_pair, false));
}

TEST(ApduParse, Success) {
  const Bytes apdu = from_hex("00 00 00 03 aa bb cc");
  auto r = parse_response(apdu);
  ASSERT_TRUE(std::holds_alternative<Response>(r));
  EXPECT_TRUE(std::get<Response>(r).ok());
  EXPECT_EQ(to_hex(std::get<Response>(r).data), "aabbcc");
}

TEST(ApduParse, UnDefIgnoredAndEmptyData) {
  auto r = parse_response(from_hex("00 5a 00 00"));
  ASSERT_TRUE(std::holds_alternative<Response>(r));
  EXPECT_TRUE(std::get<Response>(r).data.empty());
}

TEST(ApduParse, ErrorStatus) {
  auto r = parse_response(from_hex("ff 00 00 00"));
  ASSERT_TRUE(std::holds_alternative<Response>(r));
  EXPECT_FALSE(std::get<Response>(r).ok());
}

TEST(ApduParse, Malformed) {
  for (const char* hex : {"", "00", "00 00 00", "00 00 00 05 01 02", "00 00 ff ff", "00 00 00 01 01 02",
                          "01 00 00 00", "80 00 00 00", "fe 00 00 00"}) {
    auto r = parse_response(from_hex(hex));
    EXPECT_TRUE(std::holds_alternative<MalformedResponse>(r)) << hex;
    EXPECT_THROW(decode_response(from_hex(hex)), ProtocolError) << hex;
  }
}

TEST(ApduParse, ReasonNamesTheProblem) {
  auto r = parse_response(from_hex("00 00 00 05 01 02"));
  ASSERT_TRUE(std::holds_alternative<MalformedResponse>(r));
  EXPECT_NE(std::get<MalformedResponse>(r).reason.find("OutLen 5"), std::string::npos);
}
