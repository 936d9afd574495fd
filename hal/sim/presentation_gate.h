// The chip's view of the presentation layer (spec §3.3, §4). Trust M accepts plain packets until
// the first packet with the presence flag; from then on, until reset, every message must carry an
// SCTR byte. Only plain records (SCTR 0x20) are implemented: handshake, protected records and
// manage-context messages are answered with the fatal alert 0x40, which tells a host that
// Shielded Connection cannot be established. Trust X has no presentation layer: a presence flag
// is treated like a malformed packet and answered with a transport chain error (0x07), which
// makes the host give up quickly instead of waiting for a response that never comes.
#pragma once

#include <cstdint>

#include "core/chip/ids.h"
#include "core/chip/wire.h"
#include "core/util/bytes.h"

namespace optiga::sim {

namespace sctr = chip::sctr;

class PresentationGate {
 public:
  explicit PresentationGate(chip::Model model) : supported_(chip::model_has_presentation_layer(model)) {}

  struct Outcome {
    enum class Kind { execute, reply, chain_error } kind = Kind::execute;
    Bytes apdu;                   // execute: the command APDU for the engine
    Bytes prefix;                 // execute: goes before the engine's response (the SCTR byte)
    Bytes reply;                  // reply: the whole answer message (an alert)
    std::uint8_t presence_bits = 0;  // PCTR presence bit of the answer's packets
  };

  // message = re-assembled payload after the PCTR; first_pctr = PCTR of its first packet.
  Outcome unwrap(ByteView message, std::uint8_t first_pctr);
  bool active() const { return active_; }
  void reset() { active_ = false; }

 private:
  bool supported_;
  bool active_ = false;
};

}  // namespace optiga::sim
