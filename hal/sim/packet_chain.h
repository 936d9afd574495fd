// Transport layer of the chip (spec §3.1, §3.2): the PCTR byte, re-assembly of host chains and
// cutting responses into chains. Packets include their PCTR byte.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/util/bytes.h"
#include "core/chip/wire.h"

namespace optiga::sim {

namespace pctr = chip::pctr;

// Re-assembles one message from the host's packets.
class ChainAssembler {
 public:
  enum class Result {
    incomplete,        // part of a chain: ACK it and wait for more
    complete,          // message() holds the payload, first_pctr() the PCTR of its first packet
    error,             // malformed chain: answer with a 0x07 packet
    host_chain_error,  // the host reported a malformed response chain (packet 0x07)
  };

  // max_packet = DATA_REG_LEN - 5: the exact size of every non-last packet of a chain.
  Result add(ByteView packet, std::size_t max_packet);
  const Bytes& message() const { return message_; }
  std::uint8_t first_pctr() const { return first_pctr_; }
  void reset();

 private:
  Bytes message_;
  std::uint8_t first_pctr_ = 0;
  bool in_chain_ = false;
};

// Cuts a message into packets of at most max_packet bytes (PCTR included), every one but the
// last exactly max_packet long. presence_bits goes into every PCTR.
std::vector<Bytes> split_into_packets(ByteView message, std::size_t max_packet, std::uint8_t presence_bits);

}  // namespace optiga::sim
