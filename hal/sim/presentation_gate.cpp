#include "hal/sim/presentation_gate.h"

#include "hal/sim/packet_chain.h"

namespace optiga::sim {

PresentationGate::Outcome PresentationGate::unwrap(ByteView message, std::uint8_t first_pctr) {
  Outcome out;
  const bool flagged = (first_pctr & pctr::presence) != 0;
  if (!supported_) {
    if (flagged) out.kind = Outcome::Kind::chain_error;
    else out.apdu.assign(message.begin(), message.end());
    return out;
  }
  if (flagged) active_ = true;
  if (!active_) {
    out.apdu.assign(message.begin(), message.end());
    return out;
  }
  out.presence_bits = pctr::presence;
  // Plain packets after the layer was enabled are refused too (spec §3.3: mandatory until reset).
  if (!flagged || message.empty() || message[0] != sctr::plain_record) {
    out.kind = Outcome::Kind::reply;
    out.reply = {sctr::alert_fatal};
    return out;
  }
  out.prefix = {sctr::plain_record};
  out.apdu.assign(message.begin() + 1, message.end());
  return out;
}

}  // namespace optiga::sim
