// Transport-layer chaining end to end (spec §3.2): the largest Trust M APDU in both directions,
// and the 0x07 chain-error handshake in both directions.
#include <gtest/gtest.h>

#include "core/proto/ifx_i2c_stack.h"
#include "core/util/error.h"
#include "fake_chip.h"

namespace optiga::proto {
namespace {

using testing::FakeChip;

Bytes largest_apdu(std::uint8_t first) {
  Bytes a{first, 0x00};
  put_u16(a, 1553);
  for (int i = 0; i < 1553; ++i) a.push_back(static_cast<std::uint8_t>(i * 31 + 7));
  return a;
}

std::vector<Bytes> host_data_packets(const FakeChip& chip) {
  std::vector<Bytes> out;
  for (const Bytes& f : chip.host_frames) {
    if (!f.empty() && (f[0] & 0x80) == 0) out.emplace_back(f.begin() + 3, f.end() - 2);
  }
  return out;
}

class LargestApdu : public ::testing::TestWithParam<bool> {};

TEST_P(LargestApdu, CommandAndResponseAreChainedInSixFrames) {
  const bool presentation = GetParam();
  const Bytes command = largest_apdu(0x82);
  const Bytes response = largest_apdu(0x00);
  FakeChip chip([&](const Bytes&) { return response; });
  IfxI2cOptions options;
  options.presentation = presentation ? PresentationMode::on : PresentationMode::off;
  IfxI2cStack stack(chip, options);

  EXPECT_EQ(stack.transceive(command), response);
  ASSERT_EQ(chip.apdus.size(), 1u);
  EXPECT_EQ(chip.apdus[0], command);

  const auto packets = host_data_packets(chip);
  ASSERT_EQ(packets.size(), 6u);
  const std::uint8_t flag = presentation ? 0x08 : 0x00;
  const std::uint8_t marks[] = {0x01, 0x02, 0x02, 0x02, 0x02, 0x04};
  for (std::size_t i = 0; i < 6; ++i) {
    EXPECT_EQ(packets[i][0], flag | marks[i]) << i;
    if (i < 5) {
      EXPECT_EQ(packets[i].size(), 272u) << i;
    }
  }
  EXPECT_EQ(packets[5].size(), 1557u + (presentation ? 1 : 0) - 5 * 271 + 1);
  EXPECT_EQ(chip.data_frames_sent, 6);
  EXPECT_EQ(stack.stats().frames_sent, 12u);  // 6 data frames + 6 ACKs of response frames
  EXPECT_EQ(stack.stats().retransmissions, 0u);
}

INSTANTIATE_TEST_SUITE_P(Proto, LargestApdu, ::testing::Bool());

TEST(Chaining, SmallerNegotiatedFrameMeansSmallerPackets) {
  FakeChip chip;
  chip.max_frame_size = 64;
  IfxI2cStack stack(chip);
  Bytes command = from_hex("82 00 00 C8");
  command.resize(4 + 200, 0x33);
  const Bytes response = stack.transceive(command);
  EXPECT_EQ(stack.frame_size(), 64u);
  EXPECT_EQ(response.size(), 204u);
  for (const Bytes& p : host_data_packets(chip)) EXPECT_LE(p.size(), 59u);
  EXPECT_EQ(host_data_packets(chip).size(), 4u);  // 205 bytes incl. SCTR / 58 per packet
}

TEST(Chaining, ChainErrorFromChipResendsTheCommandOnce) {
  FakeChip chip;
  IfxI2cStack stack(chip);
  stack.open();
  chip.chain_error_replies = 1;
  const Bytes command = largest_apdu(0x82);
  EXPECT_EQ(stack.transceive(command).size(), 1557u);
  EXPECT_EQ(stack.stats().chain_errors_received, 1u);
  ASSERT_EQ(chip.apdus.size(), 1u);
  EXPECT_EQ(chip.apdus[0], command);
  EXPECT_EQ(host_data_packets(chip).size(), 12u);
}

TEST(Chaining, SecondChainErrorIsAProtocolError) {
  FakeChip chip;
  IfxI2cStack stack(chip);
  stack.open();
  chip.chain_error_replies = 2;
  EXPECT_THROW(stack.transceive(from_hex("81 00 00 00")), ProtocolError);
  EXPECT_EQ(stack.stats().chain_errors_received, 2u);
  EXPECT_EQ(stack.transceive(from_hex("81 00 00 00")), from_hex("00 00 00 00"));  // link still usable
}

TEST(Chaining, MalformedResponseChainIsAnsweredWith0x07) {
  const Bytes response = largest_apdu(0x00);
  FakeChip chip([&](const Bytes&) { return response; });
  IfxI2cStack stack(chip);
  stack.open();
  chip.break_response_chains = 1;
  EXPECT_EQ(stack.transceive(from_hex("81 00 00 00")), response);
  EXPECT_EQ(stack.stats().chain_errors_sent, 1u);
  EXPECT_EQ(chip.chain_errors_seen, 1);
  const auto packets = host_data_packets(chip);
  ASSERT_EQ(packets.size(), 2u);
  EXPECT_EQ(packets[1], from_hex("07"));
}

TEST(Chaining, PersistentlyMalformedResponseChainIsAProtocolError) {
  const Bytes response = largest_apdu(0x00);
  FakeChip chip([&](const Bytes&) { return response; });
  IfxI2cStack stack(chip);
  stack.open();
  chip.break_response_chains = 2;
  EXPECT_THROW(stack.transceive(from_hex("81 00 00 00")), ProtocolError);
  EXPECT_EQ(stack.stats().chain_errors_sent, 2u);
}

TEST(Presentation, ResponseWithoutPlainRecordIsRejected) {
  // The chip answers an alert instead of a plain record.
  FakeChip chip([](const Bytes&) { return Bytes{}; });
  IfxI2cStack stack(chip);
  stack.open();
  ASSERT_TRUE(stack.presentation_layer());
  // An empty APDU from the handler leaves only the SCTR byte: a valid but empty record.
  EXPECT_EQ(stack.transceive(from_hex("81 00 00 00")), Bytes{});
  EXPECT_THROW(unwrap_plain_record(from_hex("44")), ProtocolError);
  EXPECT_THROW(unwrap_plain_record({}), ProtocolError);
  EXPECT_EQ(unwrap_plain_record(from_hex("20 01 02")), from_hex("01 02"));
  EXPECT_EQ(wrap_plain_record(from_hex("01 02")), from_hex("20 01 02"));
}

TEST(Presentation, OffMeansNoFlagAndNoSctr) {
  FakeChip chip;
  IfxI2cOptions options;
  options.presentation = PresentationMode::off;
  IfxI2cStack stack(chip, options);
  EXPECT_EQ(stack.transceive(from_hex("81 00 00 01 AB")), from_hex("00 00 00 01 AB"));
  const auto packets = host_data_packets(chip);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(packets[0], from_hex("00 81 00 00 01 AB"));
}

}  // namespace
}  // namespace optiga::proto
