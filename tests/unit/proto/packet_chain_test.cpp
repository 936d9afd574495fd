// Transport-layer chaining (spec §3.2): split sizes, markers and the reassembly rules.
#include <gtest/gtest.h>

#include "core/proto/packet_chain.h"

namespace optiga::proto {
namespace {

Bytes counting(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return b;
}

TEST(SplitIntoPackets, ShortMessageIsOneUnchainedPacket) {
  const auto packets = split_into_packets(from_hex("01 02 03"), 272, 0);
  ASSERT_EQ(packets.size(), 1u);
  EXPECT_EQ(packets[0], from_hex("00 01 02 03"));
}

TEST(SplitIntoPackets, LargestApduTakesSixPacketsOfExactSize) {
  const Bytes apdu = counting(1557);
  const auto packets = split_into_packets(apdu, 272, pctr::presence);
  ASSERT_EQ(packets.size(), 6u);
  const std::uint8_t marks[] = {0x09, 0x0A, 0x0A, 0x0A, 0x0A, 0x0C};
  Bytes joined;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    EXPECT_EQ(packets[i][0], marks[i]) << i;
    if (i < 5) {
      EXPECT_EQ(packets[i].size(), 272u) << i;
    }
    joined.insert(joined.end(), packets[i].begin() + 1, packets[i].end());
  }
  EXPECT_EQ(packets[5].size(), 1557u - 5 * 271 + 1);
  EXPECT_EQ(joined, apdu);
}

TEST(SplitIntoPackets, BoundaryMessageSizes) {
  EXPECT_EQ(split_into_packets(counting(271), 272, 0).size(), 1u);
  const auto two = split_into_packets(counting(272), 272, 0);
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[1].size(), 2u);
  EXPECT_EQ(split_into_packets(counting(542), 272, 0).size(), 2u);
}

TEST(ChainAssembler, ReassemblesWhatSplitProduces) {
  const Bytes message = counting(1000);
  ChainAssembler assembler(272);
  const auto packets = split_into_packets(message, 272, 0);
  for (std::size_t i = 0; i + 1 < packets.size(); ++i) {
    EXPECT_EQ(assembler.add(packets[i]), ChainAssembler::Status::incomplete);
    EXPECT_TRUE(assembler.in_progress());
  }
  EXPECT_EQ(assembler.add(packets.back()), ChainAssembler::Status::complete);
  EXPECT_EQ(assembler.message(), message);
  EXPECT_EQ(assembler.first_pctr(), pctr::first);
}

TEST(ChainAssembler, RejectsBrokenChains) {
  using S = ChainAssembler::Status;
  const Bytes full_first = [] { Bytes b(272, 0xAA); b[0] = pctr::first; return b; }();
  {
    ChainAssembler a(272);
    EXPECT_EQ(a.add(from_hex("02 11")), S::malformed);  // middle without first
  }
  {
    ChainAssembler a(272);
    EXPECT_EQ(a.add(from_hex("01 11 22")), S::malformed);  // short first packet
  }
  {
    ChainAssembler a(272);
    EXPECT_EQ(a.add(full_first), S::incomplete);
    EXPECT_EQ(a.add(from_hex("00 11")), S::malformed);  // new message inside a chain
    EXPECT_FALSE(a.in_progress());
  }
  {
    ChainAssembler a(272);
    EXPECT_EQ(a.add(full_first), S::incomplete);
    EXPECT_EQ(a.add(from_hex("02 11")), S::malformed);  // short intermediate packet
  }
  {
    ChainAssembler a(272);
    EXPECT_EQ(a.add(from_hex("10 11")), S::malformed);  // channel bits
    EXPECT_EQ(a.add(from_hex("03 11")), S::malformed);  // unknown chain code
    EXPECT_EQ(a.add(from_hex("00")), S::malformed);     // empty message
    EXPECT_EQ(a.add({}), S::malformed);
    EXPECT_EQ(a.add(from_hex("07 00")), S::malformed);  // chain error must be alone
    EXPECT_EQ(a.add(from_hex("07")), S::peer_chain_error);
  }
}

TEST(ChainAssembler, BoundsMessageSize) {
  ChainAssembler a(16, 40);
  Bytes first(16, 0x55);
  first[0] = pctr::first;
  Bytes middle(16, 0x55);
  middle[0] = pctr::middle;
  EXPECT_EQ(a.add(first), ChainAssembler::Status::incomplete);
  EXPECT_EQ(a.add(middle), ChainAssembler::Status::incomplete);
  EXPECT_EQ(a.add(middle), ChainAssembler::Status::malformed);
}

}  // namespace
}  // namespace optiga::proto
