// Frame encoder/decoder against the worked vectors of spec §2.3 and the receive rules of §2.5.
#include <gtest/gtest.h>

#include <string_view>

#include "core/chip/crc16.h"
#include "core/proto/frame_codec.h"

namespace optiga::proto {
namespace {

Bytes open_application_packet(std::uint8_t pctr_byte, bool with_sctr, std::uint8_t cmd) {
  Bytes p{pctr_byte};
  if (with_sctr) p.push_back(0x20);
  append(p, from_hex("00 00 10"));
  p.insert(p.begin() + (with_sctr ? 2 : 1), cmd);
  append(p, from_hex("D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C"));
  return p;
}

TEST(Crc16, CheckValueOfKermit) {
  constexpr std::string_view text = "123456789";
  const Bytes data(text.begin(), text.end());
  EXPECT_EQ(chip::crc16(data), 0x2189);
}

TEST(FrameEncoder, ControlAcksOfTheSpecTable) {
  EXPECT_EQ(to_hex(encode_ack_frame(0), " "), "80 00 00 0c ec");
  EXPECT_EQ(to_hex(encode_ack_frame(1), " "), "81 00 00 56 30");
  EXPECT_EQ(to_hex(encode_ack_frame(2), " "), "82 00 00 b9 54");
  EXPECT_EQ(to_hex(encode_ack_frame(3), " "), "83 00 00 e3 88");
}

TEST(FrameEncoder, NakAndResync) {
  EXPECT_EQ(to_hex(encode_nak_frame(0), " "), "a0 00 00 0f d7");
  EXPECT_EQ(to_hex(encode_resync_frame(), " "), "c0 00 00 0a 9a");
}

TEST(FrameEncoder, OpenApplicationFirstFrameAfterReset) {
  const Bytes frame = encode_data_frame(0, 3, open_application_packet(0x00, false, 0x70));
  EXPECT_EQ(frame, from_hex("03 00 15 00 70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C 04 1A"));
}

TEST(FrameEncoder, ChipSuccessResponseFrame) {
  EXPECT_EQ(encode_data_frame(0, 0, from_hex("00 00 00 00 00")), from_hex("00 00 05 00 00 00 00 00 14 87"));
}

TEST(FrameEncoder, GetDataObjectUidFrame) {
  const Bytes frame = encode_data_frame(1, 0, from_hex("00 01 00 00 06 E0 C2 00 00 00 64"));
  EXPECT_EQ(frame, from_hex("04 00 0B 00 01 00 00 06 E0 C2 00 00 00 64 F0 9F"));
}

TEST(FrameEncoder, TrustMPresentationLayerFrame) {
  const Bytes frame = encode_data_frame(0, 3, open_application_packet(0x08, true, 0xF0));
  ASSERT_EQ(frame.size(), 0x16u + 5);
  EXPECT_EQ(to_hex(ByteView(frame).first(6), " "), "03 00 16 08 20 f0");
  EXPECT_EQ(to_hex(ByteView(frame).last(5), " "), "70 70 6c be 40");
  EXPECT_EQ(encode_data_frame(0, 0, from_hex("08 20 00 00 00 00")), from_hex("00 00 06 08 20 00 00 00 00 19 04"));
}

TEST(FrameDecoder, DecodesDataFrame) {
  const Bytes raw = from_hex("05 00 05 00 00 00 00 00");
  Bytes frame = raw;
  put_u16(frame, chip::crc16(raw));
  const auto result = decode_frame(frame, 277);
  ASSERT_TRUE(std::holds_alternative<DecodedFrame>(result));
  const auto& f = std::get<DecodedFrame>(result);
  EXPECT_EQ(f.kind, FrameKind::data);
  EXPECT_EQ(f.frame_number, 1);
  EXPECT_EQ(f.ack_number, 1);
  EXPECT_FALSE(f.nak);
  EXPECT_EQ(Bytes(f.packet.begin(), f.packet.end()), from_hex("00 00 00 00 00"));
}

TEST(FrameDecoder, DecodesControlFrames) {
  auto kind_of = [](const Bytes& frame) { return std::get<DecodedFrame>(decode_frame(frame, 277)).kind; };
  EXPECT_EQ(kind_of(encode_ack_frame(2)), FrameKind::ack);
  EXPECT_EQ(kind_of(encode_nak_frame(1)), FrameKind::nak);
  EXPECT_EQ(kind_of(encode_resync_frame()), FrameKind::resync);
  EXPECT_EQ(std::get<DecodedFrame>(decode_frame(encode_nak_frame(1), 277)).ack_number, 1);
}

FrameError error_of(const Bytes& frame, std::size_t max = 277) {
  const auto result = decode_frame(frame, max);
  EXPECT_TRUE(std::holds_alternative<FrameError>(result)) << to_hex(frame, " ");
  return std::holds_alternative<FrameError>(result) ? std::get<FrameError>(result) : FrameError::too_short;
}

Bytes with_crc(Bytes body) {
  put_u16(body, chip::crc16(body));
  return body;
}

TEST(FrameDecoder, RejectsMalformedFrames) {
  EXPECT_EQ(error_of({}), FrameError::too_short);
  EXPECT_EQ(error_of(from_hex("80 00 00 0C")), FrameError::too_short);
  EXPECT_EQ(error_of(from_hex("80 00 00 0C ED")), FrameError::bad_crc);
  EXPECT_EQ(error_of(with_crc(from_hex("00 FF FF 00"))), FrameError::length_mismatch);  // oversized LEN
  EXPECT_EQ(error_of(with_crc(from_hex("00 00 01"))), FrameError::length_mismatch);     // short read
  EXPECT_EQ(error_of(with_crc(from_hex("00 00 00"))), FrameError::empty_data);
  EXPECT_EQ(error_of(with_crc(from_hex("10 00 01 00"))), FrameError::unknown_fctr);     // RFU bit
  EXPECT_EQ(error_of(with_crc(from_hex("40 00 01 00"))), FrameError::unknown_fctr);     // data + re-sync
  EXPECT_EQ(error_of(with_crc(from_hex("E0 00 00"))), FrameError::unknown_fctr);        // SEQCTR 11
  EXPECT_EQ(error_of(with_crc(from_hex("C1 00 00"))), FrameError::unknown_fctr);        // re-sync with ACKNR
  EXPECT_EQ(error_of(with_crc(from_hex("84 00 00"))), FrameError::bad_control);         // FRNR in control
  EXPECT_EQ(error_of(with_crc(from_hex("80 00 01 00"))), FrameError::bad_control);      // control payload
  EXPECT_EQ(error_of(encode_data_frame(0, 0, Bytes(20, 0x00)), 16), FrameError::too_long);
}

TEST(FrameDecoder, ClaimsDataFrameOnlyLooksAtFctr) {
  EXPECT_TRUE(claims_data_frame(from_hex("0F")));
  EXPECT_FALSE(claims_data_frame(from_hex("80")));
  EXPECT_FALSE(claims_data_frame({}));
}

}  // namespace
}  // namespace optiga::proto
