#include "core/proto/packet_chain.h"

#include <algorithm>

namespace optiga::proto {

std::vector<Bytes> split_into_packets(ByteView message, std::size_t max_packet_size, std::uint8_t flags) {
  const std::size_t payload = max_packet_size - 1;
  std::vector<Bytes> packets;
  auto make = [&](std::uint8_t chain, ByteView part) {
    Bytes p;
    p.reserve(part.size() + 1);
    p.push_back(static_cast<std::uint8_t>(flags | chain));
    append(p, part);
    packets.push_back(std::move(p));
  };
  if (message.size() <= payload) {
    make(pctr::single, message);
    return packets;
  }
  for (std::size_t offset = 0; offset < message.size(); offset += payload) {
    const std::size_t n = std::min(payload, message.size() - offset);
    const std::uint8_t chain = offset == 0 ? pctr::first : (offset + n == message.size() ? pctr::last : pctr::middle);
    make(chain, message.subspan(offset, n));
  }
  return packets;
}

ChainAssembler::ChainAssembler(std::size_t max_packet_size, std::size_t max_message_size)
    : max_packet_size_(max_packet_size), max_message_size_(max_message_size) {}

void ChainAssembler::clear() {
  message_.clear();
  first_pctr_ = 0;
  in_progress_ = false;
}

ChainAssembler::Status ChainAssembler::fail() {
  clear();
  return Status::malformed;
}

ChainAssembler::Status ChainAssembler::add(ByteView packet) {
  if (packet.empty() || packet.size() > max_packet_size_) return fail();
  const std::uint8_t p = packet[0];
  if (p & pctr::channel_mask) return fail();
  const ByteView body = packet.subspan(1);
  const bool full = packet.size() == max_packet_size_;
  switch (p & pctr::chain_mask) {
    case pctr::chain_error:
      if (packet.size() != 1) return fail();
      clear();
      return Status::peer_chain_error;
    case pctr::single:
      // A new message while a chain is unfinished breaks the chain (spec §3.2).
      if (in_progress_ || body.empty()) return fail();
      clear();
      first_pctr_ = p;
      append(message_, body);
      return Status::complete;
    case pctr::first:
      if (in_progress_ || !full) return fail();
      clear();
      first_pctr_ = p;
      in_progress_ = true;
      append(message_, body);
      return Status::incomplete;
    case pctr::middle:
    case pctr::last: {
      const bool is_last = (p & pctr::chain_mask) == pctr::last;
      if (!in_progress_ || body.empty() || (!is_last && !full)) return fail();
      if (message_.size() + body.size() > max_message_size_) return fail();
      append(message_, body);
      if (!is_last) return Status::incomplete;
      in_progress_ = false;
      return Status::complete;
    }
    default:
      return fail();
  }
}

}  // namespace optiga::proto
