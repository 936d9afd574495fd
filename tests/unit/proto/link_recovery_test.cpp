// The stack against the in-test chip peer: both acknowledgement patterns, retransmission,
// re-sync, malformed frames from the bus and a chip that never answers.
#include <gtest/gtest.h>

#include <string>

#include "core/proto/ifx_i2c_stack.h"
#include "core/util/error.h"
#include "fake_chip.h"

namespace optiga::proto {
namespace {

using testing::FakeChip;
using testing::Garble;

const Bytes command = from_hex("81 00 00 04 DE AD BE EF");
const Bytes echoed = from_hex("00 00 00 04 DE AD BE EF");

// Host data frames (FCTR bit 7 clear) in the order written.
std::vector<Bytes> host_data_frames(const FakeChip& chip) {
  std::vector<Bytes> out;
  for (const Bytes& f : chip.host_frames) {
    if (!f.empty() && (f[0] & 0x80) == 0) out.push_back(f);
  }
  return out;
}

class BothAckPatterns : public ::testing::TestWithParam<bool> {};

TEST_P(BothAckPatterns, RoundTripWithPresentationLayer) {
  FakeChip chip;
  chip.piggyback = GetParam();
  IfxI2cStack stack(chip);
  EXPECT_EQ(stack.transceive(command), echoed);
  EXPECT_EQ(stack.transceive(command), echoed);
  EXPECT_TRUE(stack.presentation_layer());
  ASSERT_EQ(chip.apdus.size(), 2u);
  EXPECT_EQ(chip.apdus[0], command);
  EXPECT_EQ(chip.command_pctrs[0], 0x08);
  EXPECT_EQ(stack.stats().apdus, 2u);
  EXPECT_EQ(stack.stats().retransmissions, 0u);
  // Every response data frame got an explicit control ACK: 2 data + 2 ACK frames from us.
  EXPECT_EQ(stack.stats().frames_sent, 4u);
}

INSTANTIATE_TEST_SUITE_P(Proto, BothAckPatterns, ::testing::Bool());

TEST(LinkRecovery, LostFrameIsRetransmittedAfterTheTimeout) {
  FakeChip chip;
  IfxI2cStack stack(chip);
  stack.open();
  chip.drop_host_frames = 1;
  const std::uint64_t start = chip.clock().now_us();
  EXPECT_EQ(stack.transceive(command), echoed);
  EXPECT_EQ(stack.stats().retransmissions, 1u);
  EXPECT_GE(chip.clock().now_us() - start, 10'000u);
  const auto data = host_data_frames(chip);
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0], data[1]);  // the same frame, same FRNR
  EXPECT_EQ(chip.apdus.size(), 1u);
}

TEST(LinkRecovery, LostAckInsideAChainIsRetransmittedOnce) {
  FakeChip chip;
  IfxI2cStack stack(chip);
  Bytes big = from_hex("82 00 02 58");
  big.resize(4 + 600, 0x5A);
  stack.open();
  chip.lose_acks = 1;
  const Bytes response = stack.transceive(big);
  EXPECT_EQ(stack.stats().retransmissions, 1u);
  ASSERT_EQ(chip.apdus.size(), 1u);  // executed once despite the repeated frame
  EXPECT_EQ(chip.apdus[0], big);
  EXPECT_EQ(response.size(), 604u);
}

TEST(LinkRecovery, NakMakesTheHostRetransmit) {
  FakeChip chip;
  IfxI2cStack stack(chip);
  stack.open();
  chip.nak_host_frames = 1;
  EXPECT_EQ(stack.transceive(command), echoed);
  EXPECT_EQ(stack.stats().naks_received, 1u);
  EXPECT_EQ(stack.stats().retransmissions, 1u);
  EXPECT_EQ(chip.apdus.size(), 1u);
}

TEST(LinkRecovery, ThreeFailedRetransmissionsLeadToResync) {
  FakeChip chip;
  IfxI2cStack stack(chip);
  EXPECT_EQ(stack.transceive(command), echoed);  // counters are no longer at their reset value
  chip.drop_host_frames = 4;
  EXPECT_EQ(stack.transceive(command), echoed);
  EXPECT_EQ(stack.stats().resyncs, 1u);
  EXPECT_EQ(stack.stats().retransmissions, 4u);
  EXPECT_EQ(chip.resyncs_seen, 1);
  // After C0 00 00 0A 9A the frame goes again as frame 0 acknowledging 3.
  const auto& frames = chip.host_frames;
  const auto resync = std::find(frames.begin(), frames.end(), from_hex("C0 00 00 0A 9A"));
  ASSERT_NE(resync, frames.end());
  ASSERT_NE(resync + 1, frames.end());
  EXPECT_EQ((resync + 1)->at(0), 0x03);
  EXPECT_EQ(chip.apdus.size(), 2u);
}

TEST(LinkRecovery, DeadLinkThrowsProtocolErrorAndRecoversLater) {
  FakeChip chip;
  IfxI2cStack stack(chip);
  stack.open();
  chip.drop_host_frames = 1000;
  try {
    stack.transceive(command);
    FAIL() << "a chip that never acknowledges was accepted";
  } catch (const ProtocolError& e) {
    EXPECT_NE(std::string(e.what()).find("fake:chip"), std::string::npos) << e.what();
  }
  EXPECT_EQ(stack.stats().resyncs, 3u);
  chip.drop_host_frames = 0;
  EXPECT_EQ(stack.transceive(command), echoed);
}

TEST(LinkRecovery, ChipThatAlwaysNacksIsATransportError) {
  FakeChip chip;
  chip.always_nack = true;
  chip.name = "fake:always-nack";
  IfxI2cStack stack(chip);
  try {
    stack.open();
    FAIL() << "open() succeeded without a chip";
  } catch (const TransportError& e) {
    EXPECT_EQ(std::string(e.what()), "no OPTIGA answers at fake:always-nack: 200 NACKs");
  }
  EXPECT_EQ(stack.stats().i2c_nacks, 200u);
  EXPECT_GE(chip.clock().now_us(), 200'000u);
  EXPECT_FALSE(stack.is_open());
}

TEST(LinkRecovery, HardwareResetLineIsPreferred) {
  FakeChip chip;
  chip.has_reset_line = true;
  IfxI2cStack stack(chip);
  stack.open();
  stack.reset();
  EXPECT_EQ(chip.hardware_resets, 2);
  EXPECT_EQ(chip.soft_resets, 0);
  EXPECT_EQ(stack.stats().resets, 2u);
  EXPECT_EQ(stack.transceive(command), echoed);
}

struct GarbleCase {
  Garble garble;
  bool piggyback;
};

class MalformedFromBus : public ::testing::TestWithParam<GarbleCase> {};

TEST_P(MalformedFromBus, IsNakedAndRecovered) {
  FakeChip chip;
  chip.piggyback = GetParam().piggyback;
  IfxI2cStack stack(chip);
  stack.open();
  chip.garble.push_back(GetParam().garble);
  EXPECT_EQ(stack.transceive(command), echoed);
  const auto& s = stack.stats();
  EXPECT_EQ(s.crc_errors + s.malformed_frames, 1u);
  EXPECT_EQ(s.naks_sent, 1u);
  EXPECT_EQ(chip.naks_seen, 1);
  EXPECT_EQ(chip.apdus.size(), 1u);
  EXPECT_EQ(stack.transceive(command), echoed);  // the link is still in step
}

INSTANTIATE_TEST_SUITE_P(Proto, MalformedFromBus,
                         ::testing::Values(GarbleCase{Garble::bad_crc, false}, GarbleCase{Garble::bad_crc, true},
                                           GarbleCase{Garble::oversized_len, false},
                                           GarbleCase{Garble::oversized_len, true},
                                           GarbleCase{Garble::short_read, false}, GarbleCase{Garble::short_read, true},
                                           GarbleCase{Garble::unknown_fctr, false},
                                           GarbleCase{Garble::unknown_fctr, true},
                                           GarbleCase{Garble::huge_state_length, false},
                                           GarbleCase{Garble::huge_state_length, true}));

TEST(Options, TrustXDefaults) {
  const auto x = IfxI2cOptions::for_model(chip::Model::trust_x);
  EXPECT_EQ(x.apdu_deadline_us, 6'000'000u);
  EXPECT_EQ(x.presentation, PresentationMode::off);
  const auto m = IfxI2cOptions::for_model(chip::Model::trust_m_v3);
  EXPECT_EQ(m.apdu_deadline_us, 180'000'000u);
  EXPECT_EQ(m.presentation, PresentationMode::automatic);
}

TEST(Options, ImpossibleFrameSizeIsAUsageError) {
  FakeChip chip;
  IfxI2cOptions o;
  o.frame_size = 8;
  IfxI2cStack stack(chip, o);
  EXPECT_THROW(stack.open(), UsageError);
  EXPECT_TRUE(chip.host_frames.empty());
}

}  // namespace
}  // namespace optiga::proto
