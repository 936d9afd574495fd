#include "fake_chip.h"

#include <algorithm>

#include "core/chip/crc16.h"

namespace optiga::proto::testing {

namespace {
Bytes make_frame(std::uint8_t fctr, ByteView packet) {
  Bytes f{fctr};
  put_u16(f, static_cast<std::uint16_t>(packet.size()));
  append(f, packet);
  put_u16(f, chip::crc16(f));
  return f;
}

Bytes echo(const Bytes& apdu) {
  const ByteView in_data = apdu.size() > 4 ? ByteView(apdu).subspan(4) : ByteView();
  Bytes r(4 + in_data.size());
  r[2] = static_cast<std::uint8_t>(in_data.size() >> 8);
  r[3] = static_cast<std::uint8_t>(in_data.size());
  std::copy(in_data.begin(), in_data.end(), r.begin() + 4);
  return r;
}
}  // namespace

FakeChip::FakeChip(Handler handler) : handler_(handler ? std::move(handler) : Handler(echo)) {}

bool FakeChip::hardware_reset() {
  if (!has_reset_line) return false;
  ++hardware_resets;
  reset_link();
  return true;
}

void FakeChip::reset_link() {
  outbox_.clear();
  tx_last_ = rx_last_ = 3;
  outstanding_.reset();
  command_.clear();
  chain_open_ = false;
  response_packets_.clear();
  next_response_ = 0;
}

Bytes FakeChip::state_register() const {
  Bytes s{static_cast<std::uint8_t>(0x08 | (outbox_.empty() ? 0 : 0x40)),
          static_cast<std::uint8_t>(presentation_capable ? 0x80 : 0)};
  const std::size_t len = outbox_.empty() ? 0 : outbox_.front().announced_length.value_or(outbox_.front().frame.size());
  put_u16(s, static_cast<std::uint16_t>(len));
  return s;
}

hal::I2cStatus FakeChip::write(ByteView data) {
  if (always_nack) return hal::I2cStatus::nack;
  if (data.empty()) return hal::I2cStatus::ok;
  selected_ = data[0];
  const Bytes value(data.begin() + 1, data.end());
  switch (selected_) {
    case 0x80:
      if (!value.empty()) on_frame(value);
      break;
    case 0x81:
      if (value.size() == 2) frame_size_ = std::min<std::size_t>(get_u16(value, 0), max_frame_size);
      break;
    case 0x88:
      ++soft_resets;
      reset_link();
      break;
    default:
      break;
  }
  return hal::I2cStatus::ok;
}

hal::I2cStatus FakeChip::read(std::span<std::uint8_t> out) {
  if (always_nack) return hal::I2cStatus::nack;
  Bytes value;
  switch (selected_) {
    case 0x80:
      if (!outbox_.empty()) {
        value = std::move(outbox_.front().frame);
        outbox_.pop_front();
      }
      break;
    case 0x81: put_u16(value, static_cast<std::uint16_t>(frame_size_)); break;
    case 0x82: value = state_register(); break;
    case 0x84: value = from_hex("00 00 01 90"); break;
    default: break;
  }
  std::fill(out.begin(), out.end(), 0xFF);
  std::copy_n(value.begin(), std::min(out.size(), value.size()), out.begin());
  return hal::I2cStatus::ok;
}

void FakeChip::queue_control(std::uint8_t fctr) { outbox_.push_back({make_frame(fctr, {}), std::nullopt}); }

void FakeChip::queue_ack(std::uint8_t number) {
  if (lose_acks > 0) {
    --lose_acks;
    return;
  }
  queue_control(static_cast<std::uint8_t>(0x80 | number));
}

void FakeChip::offer_next_response_packet() {
  if (next_response_ >= response_packets_.size()) return;
  tx_last_ = (tx_last_ + 1) & 3;
  Bytes packet = response_packets_[next_response_++];
  if (next_response_ == 2 && break_response_chains > 0) {
    --break_response_chains;
    packet[0] = static_cast<std::uint8_t>((packet[0] & 0xF8) | 0x01);
  }
  const Bytes frame = make_frame(static_cast<std::uint8_t>((tx_last_ << 2) | rx_last_), packet);
  outstanding_ = frame;
  ++data_frames_sent;
  if (garble.empty()) {
    outbox_.push_back({frame, std::nullopt});
    return;
  }
  Bytes bad = frame;
  std::optional<std::uint16_t> announced;
  switch (garble.front()) {
    case Garble::bad_crc: bad.back() ^= 0x01; break;
    case Garble::oversized_len: bad[1] = 0x0F; break;
    case Garble::short_read: bad.resize(bad.size() - 3); break;
    case Garble::unknown_fctr:
      bad = make_frame(static_cast<std::uint8_t>(frame[0] | 0x10), ByteView(frame).subspan(3, frame.size() - 5));
      break;
    case Garble::huge_state_length: announced = 0xFFFF; break;
  }
  garble.pop_front();
  outbox_.push_back({bad, announced});
}

void FakeChip::on_frame(const Bytes& frame) {
  host_frames.push_back(frame);
  const std::size_t len = frame.size() >= 5 ? get_u16(frame, 1) : 0;
  if (frame.size() < 5 || len + 5 != frame.size() ||
      chip::crc16(ByteView(frame).first(frame.size() - 2)) != get_u16(frame, frame.size() - 2)) {
    queue_control(static_cast<std::uint8_t>(0xA0 | ((rx_last_ + 1) & 3)));
    return;
  }
  const std::uint8_t fctr = frame[0];
  const std::uint8_t acknr = fctr & 3;
  if (fctr & 0x80) {
    if (fctr == 0xC0) {
      ++resyncs_seen;
      reset_link();
    } else if ((fctr & 0xE0) == 0x80 && outstanding_ && acknr == tx_last_) {
      outstanding_.reset();
      offer_next_response_packet();
    } else if ((fctr & 0xE0) == 0xA0) {
      ++naks_seen;
      if (outstanding_ && acknr == tx_last_) outbox_.push_back({*outstanding_, std::nullopt});
    }
    return;
  }
  if (drop_host_frames > 0) {
    --drop_host_frames;
    return;
  }
  const std::uint8_t frnr = (fctr >> 2) & 3;
  // A host data frame acknowledges our last data frame by its ACKNR.
  if (outstanding_ && acknr == tx_last_) outstanding_.reset();
  if (nak_host_frames > 0) {
    --nak_host_frames;
    queue_control(static_cast<std::uint8_t>(0xA0 | ((rx_last_ + 1) & 3)));
    return;
  }
  if (frnr != ((rx_last_ + 1) & 3)) {
    // A retransmission of what we already have: acknowledge again, re-offer a pending response.
    if (outstanding_) {
      outbox_.push_back({*outstanding_, std::nullopt});
    } else {
      queue_control(static_cast<std::uint8_t>(0x80 | rx_last_));
    }
    return;
  }
  rx_last_ = frnr;
  on_data_packet(ByteView(frame).subspan(3, len));
}

void FakeChip::on_data_packet(ByteView packet) {
  const std::uint8_t pctr = packet[0];
  command_pctrs.push_back(pctr);
  const std::uint8_t chain = pctr & 7;
  if (chain == 7) {
    // The host could not reassemble our response: send the whole chain again.
    ++chain_errors_seen;
    // Abandon the rest of the broken chain, including a frame the host has not acknowledged:
    // its sequence number is reused for the first packet of the new chain.
    outbox_.clear();
    if (outstanding_) {
      tx_last_ = (tx_last_ + 3) & 3;
      outstanding_.reset();
    }
    next_response_ = 0;
    offer_next_response_packet();
    return;
  }
  if (chain == 0 || chain == 1) {
    command_.clear();
    presence_ = (pctr & 0x08) != 0;
  }
  command_.insert(command_.end(), packet.begin() + 1, packet.end());
  chain_open_ = chain == 1 || chain == 2;
  if (chain_open_) {
    queue_ack(rx_last_);
    return;
  }
  if (chain_error_replies > 0) {
    --chain_error_replies;
    response_packets_ = {Bytes{0x07}};
    next_response_ = 0;
    offer_next_response_packet();
    response_packets_.clear();
    return;
  }
  Bytes apdu = command_;
  if (presence_ && !apdu.empty() && apdu[0] == 0x20) apdu.erase(apdu.begin());
  apdus.push_back(apdu);
  Bytes response = handler_(apdu);
  if (presence_) response.insert(response.begin(), 0x20);
  // Our own chaining, written independently of the stack's split function.
  const std::size_t payload = frame_size_ - 6;
  response_packets_.clear();
  next_response_ = 0;
  const std::uint8_t flag = presence_ ? 0x08 : 0x00;
  if (response.size() <= payload) {
    Bytes p{flag};
    append(p, response);
    response_packets_.push_back(p);
  } else {
    for (std::size_t off = 0; off < response.size(); off += payload) {
      const std::size_t n = std::min(payload, response.size() - off);
      const std::uint8_t mark = off == 0 ? 1 : (off + n == response.size() ? 4 : 2);
      Bytes p{static_cast<std::uint8_t>(flag | mark)};
      p.insert(p.end(), response.begin() + static_cast<long>(off), response.begin() + static_cast<long>(off + n));
      response_packets_.push_back(p);
    }
  }
  if (!piggyback) queue_ack(rx_last_);
  offer_next_response_packet();
}

}  // namespace optiga::proto::testing
