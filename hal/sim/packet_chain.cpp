#include "hal/sim/packet_chain.h"

#include <algorithm>

namespace optiga::sim {
namespace {
// Far above the largest legal message (1557-byte APDU + presentation overhead); stops a host
// that never ends its chain from growing the buffer without bound.
constexpr std::size_t max_message = 4096;
}  // namespace

ChainAssembler::Result ChainAssembler::add(ByteView packet, std::size_t max_packet) {
  if (packet.empty() || (packet[0] & pctr::channel_mask) != 0) {
    reset();
    return Result::error;
  }
  const std::uint8_t chain = packet[0] & pctr::chain_mask;
  const ByteView payload = packet.subspan(1);
  const auto fail = [this] {
    reset();
    return Result::error;
  };
  switch (chain) {
    case pctr::single:
      if (in_chain_) return fail();
      message_.assign(payload.begin(), payload.end());
      first_pctr_ = packet[0];
      return Result::complete;
    case pctr::first:
      if (in_chain_ || packet.size() != max_packet) return fail();
      message_.assign(payload.begin(), payload.end());
      first_pctr_ = packet[0];
      in_chain_ = true;
      return Result::incomplete;
    case pctr::middle:
      if (!in_chain_ || packet.size() != max_packet) return fail();
      if (message_.size() + payload.size() > max_message) return fail();
      append(message_, payload);
      return Result::incomplete;
    case pctr::last:
      if (!in_chain_ || packet.size() < 2) return fail();
      append(message_, payload);
      in_chain_ = false;
      return Result::complete;
    case pctr::chain_error:
      reset();
      return Result::host_chain_error;
    default:
      return fail();
  }
}

void ChainAssembler::reset() {
  message_.clear();
  first_pctr_ = 0;
  in_chain_ = false;
}

std::vector<Bytes> split_into_packets(ByteView message, std::size_t max_packet, std::uint8_t presence_bits) {
  const std::size_t room = max_packet - 1;
  std::vector<Bytes> packets;
  if (message.size() <= room) {
    Bytes p{static_cast<std::uint8_t>(presence_bits | pctr::single)};
    append(p, message);
    packets.push_back(std::move(p));
    return packets;
  }
  for (std::size_t off = 0; off < message.size(); off += room) {
    const std::size_t n = std::min(room, message.size() - off);
    std::uint8_t chain = pctr::middle;
    if (off == 0) chain = pctr::first;
    else if (off + n == message.size()) chain = pctr::last;
    Bytes p{static_cast<std::uint8_t>(presence_bits | chain)};
    append(p, message.subspan(off, n));
    packets.push_back(std::move(p));
  }
  return packets;
}

}  // namespace optiga::sim
