#include "hal/sim/sim_link.h"

#include <algorithm>

#include "hal/sim/link_frame.h"

namespace optiga::sim {

SimLink::Input SimLink::receive(ByteView frame, std::size_t max_frame, std::uint64_t now) {
  const bool is_control = !frame.empty() && (frame[0] & fctr::control) != 0;
  switch (check_frame(frame)) {
    case FrameCheck::bad_crc:
      offer_nak();
      return {Event::crc_error, {}};
    case FrameCheck::too_short:
    case FrameCheck::bad_length:
      // Spec §2.5: a control frame of bad size is discarded, a data frame of bad size is NAKed.
      if (!is_control) offer_nak();
      return {Event::bad_size, {}};
    case FrameCheck::ok:
      break;
  }
  const std::uint8_t fc = frame[0];
  const std::uint8_t seq = fc & fctr::seq_mask;
  const unsigned acknr = fc & fctr::acknr_mask;
  const std::size_t len = get_u16(frame, 1);

  if (is_control) {
    if (len != 0 || (fc & (fctr::frnr_mask | fctr::rfu)) != 0) return {Event::ignored, {}};
    if (seq == fctr::seq_resync) {
      reset();
      return {Event::resync, {}};
    }
    // An ACK/NAK only means something for the frame still waiting for one (spec §2.5:
    // "NAK/ACK for an already acknowledged frame -> ignore").
    if (!awaiting_ack_ || acknr != tx_last_) return {Event::ignored, {}};
    if (seq == fctr::seq_ack) {
      awaiting_ack_ = false;
      data_unread_ = false;
      return {Event::acked, {}};
    }
    if (seq == fctr::seq_nak) {
      resend(now);
      return {Event::nak, {}};
    }
    return {Event::ignored, {}};
  }

  if (seq == fctr::seq_resync || seq == fctr::seq_rfu || (fc & fctr::rfu) != 0 || len == 0 ||
      frame.size() > max_frame) {
    offer_nak();
    return {Event::bad_size, {}};
  }
  // Piggy-backed acknowledgement of our last data frame.
  if (seq == fctr::seq_ack && awaiting_ack_ && acknr == tx_last_) {
    awaiting_ack_ = false;
    data_unread_ = false;
  }
  const unsigned frnr = (fc & fctr::frnr_mask) >> 2;
  if (frnr == ((rx_last_ + 1) & 3)) {
    rx_last_ = frnr;
    // A new command supersedes whatever answer the host never acknowledged (window size 1).
    awaiting_ack_ = false;
    data_unread_ = false;
    control_.reset();
    return {Event::packet, Bytes(frame.begin() + 3, frame.end() - 2)};
  }
  if (frnr == rx_last_) return {Event::duplicate, {}};
  offer_ack();
  return {Event::out_of_order, {}};
}

void SimLink::offer_ack() { control_ = make_frame(fctr::ack(rx_last_)); }

void SimLink::offer_nak() { control_ = make_frame(fctr::nak(rx_last_ + 1)); }

void SimLink::send(ByteView packet, std::uint64_t ready_at) {
  tx_last_ = (tx_last_ + 1) & 3;
  data_ = make_frame(fctr::data(tx_last_, rx_last_), packet);
  data_unread_ = true;
  awaiting_ack_ = true;
  data_ready_at_ = ready_at;
}

bool SimLink::resend(std::uint64_t now) {
  if (!awaiting_ack_) return false;
  data_unread_ = true;
  data_ready_at_ = std::max(data_ready_at_, now);
  return true;
}

std::size_t SimLink::ready_length(std::uint64_t now) const {
  if (data_unread_ && now >= data_ready_at_) return data_.size();
  return control_ ? control_->size() : 0;
}

Bytes SimLink::take(std::uint64_t now) {
  if (data_unread_ && now >= data_ready_at_) {
    data_unread_ = false;
    control_.reset();  // the data frame's ACKNR already acknowledges what the control frame would
    return data_;
  }
  if (control_) {
    Bytes out = std::move(*control_);
    control_.reset();
    return out;
  }
  return {};
}

void SimLink::reset() { *this = SimLink{}; }

}  // namespace optiga::sim
