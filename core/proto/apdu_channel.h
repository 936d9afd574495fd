// What the command layer needs from the protocol stack: send one command APDU, get its response,
// and hand the link over to another process without resetting the chip.
#pragma once

#include <optional>

#include "core/chip/ids.h"
#include "core/proto/link_state.h"
#include "core/util/bytes.h"

namespace optiga::proto {

class ApduChannel {
 public:
  virtual ~ApduChannel() = default;
  // Sends a complete command APDU (Cmd|Param|InLen|InData) and returns the complete response
  // APDU (Sta|UnDef|OutLen|OutData). Throws ProtocolError/TransportError when the link fails.
  virtual Bytes transceive(ByteView apdu) = 0;
  // Resets the chip (reset line if the transport has one, else the soft-reset register) and
  // re-negotiates the link. The application is closed afterwards.
  virtual void reset() = 0;
  // Brings both ends of the link back to agreed frame counters without touching the chip's
  // application (spec §2.5). Channels without a link layer reset instead.
  virtual void resynchronise() { reset(); }

  // The host's link state, for the next process on the same chip; nullopt when this channel's
  // link is private to the process (an in-process emulated chip, a test double) or not open.
  virtual std::optional<LinkState> export_link_state() const { return std::nullopt; }
  // Continues a link another process left (see LinkState::clean). Channels without a shareable
  // link ignore it.
  virtual void adopt_link_state(const LinkState&) {}
  // The chip model, once known: lets the stack time its polling to the command's expected latency.
  virtual void set_model(chip::Model) {}
};

}  // namespace optiga::proto
