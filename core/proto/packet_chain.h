// Network/transport layer of IFX I2C (spec §3): the PCTR byte and chaining of messages longer
// than one packet. Splitting and reassembly are pure so they can be tested and fuzzed alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/util/bytes.h"
#include "core/chip/wire.h"

namespace optiga::proto {

namespace pctr = chip::pctr;

// Cuts `message` into packets of at most max_packet_size bytes (PCTR included). Every packet
// but the last of a chain is exactly max_packet_size bytes, as the chip requires. `flags` (the
// presence bit) is or-ed into every PCTR. max_packet_size must be at least 2.
std::vector<Bytes> split_into_packets(ByteView message, std::size_t max_packet_size, std::uint8_t flags);

// Reassembles a chain of packets received from the chip.
class ChainAssembler {
 public:
  enum class Status {
    incomplete,        // more packets expected
    complete,          // message() holds the whole message
    peer_chain_error,  // the chip sent 0x07: it could not reassemble what we sent
    malformed,         // this packet breaks the chain rules; the assembler has been cleared
  };

  // max_message_size bounds memory use against a chip (or bus noise) that never ends a chain.
  explicit ChainAssembler(std::size_t max_packet_size, std::size_t max_message_size = 0x10000);

  Status add(ByteView packet);
  void clear();
  bool in_progress() const { return in_progress_; }

  // Valid after add() returned complete.
  const Bytes& message() const { return message_; }
  std::uint8_t first_pctr() const { return first_pctr_; }

 private:
  Status fail();

  std::size_t max_packet_size_;
  std::size_t max_message_size_;
  Bytes message_;
  std::uint8_t first_pctr_ = 0;
  bool in_progress_ = false;
};

}  // namespace optiga::proto
