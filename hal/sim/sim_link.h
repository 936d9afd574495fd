// The chip's data-link layer (spec §2.4, §2.5): frame numbers, ACK/NAK, re-sync, and the frame
// the host can read from DATA. Window size is 1 in each direction, so the state is one counter
// per direction, the last data frame sent (kept until acknowledged) and at most one control frame.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/util/bytes.h"

namespace optiga::sim {

class SimLink {
 public:
  enum class Event {
    ignored,       // nothing for the upper layers (discarded control frame, stale ACK, ...)
    packet,        // a new data frame: its packet is in Input::packet
    duplicate,     // the host resent the last good data frame (it missed our answer)
    out_of_order,  // a data frame with an unexpected number: ACK of the last good one offered
    acked,         // the host acknowledged our last data frame (control frame)
    nak,           // the host asked for our last data frame again: re-offered
    resync,        // both counters back to 3, everything pending dropped
    crc_error,     // NAK offered
    bad_size,      // NAK offered (data frame) or discarded (control frame)
  };
  struct Input {
    Event event = Event::ignored;
    Bytes packet;
  };

  // max_frame is the current DATA_REG_LEN.
  Input receive(ByteView frame, std::size_t max_frame, std::uint64_t now);

  // The host can read a control frame now.
  void offer_ack();
  void offer_nak();
  // Sends packet in a new data frame, readable from ready_at (the chip is BUSY until then).
  void send(ByteView packet, std::uint64_t ready_at);
  // Makes the unacknowledged data frame readable again (no-op if there is none).
  bool resend(std::uint64_t now);

  bool awaiting_ack() const { return awaiting_ack_; }
  bool busy(std::uint64_t now) const { return data_unread_ && now < data_ready_at_; }
  // Length of the frame DATA would return now; 0 if none.
  std::size_t ready_length(std::uint64_t now) const;
  // Reads the frame DATA offers now (empty if none); a data frame wins over a control frame.
  Bytes take(std::uint64_t now);

  void reset();

 private:
  unsigned rx_last_ = 3;  // number of the last good data frame received
  unsigned tx_last_ = 3;  // number of the last data frame sent
  std::optional<Bytes> control_;
  Bytes data_;                   // last data frame sent, kept for retransmission
  bool data_unread_ = false;     // data_ is offered in DATA (from data_ready_at_)
  bool awaiting_ack_ = false;    // data_ not yet acknowledged by the host
  std::uint64_t data_ready_at_ = 0;
};

}  // namespace optiga::sim
