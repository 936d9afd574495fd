#include "core/proto/data_link.h"

#include <algorithm>
#include <string>

#include "core/proto/ifx_i2c_constants.h"
#include "core/util/error.h"

namespace optiga::proto {

namespace {
constexpr std::uint8_t next_number(std::uint8_t n) { return static_cast<std::uint8_t>((n + 1) % sequence_modulus); }
// A chip that keeps answering garbage is treated like one that does not answer: after this many
// broken frames in a row we escalate (retransmit / re-sync, or give up while receiving).
constexpr unsigned max_bad_frames_in_a_row = 8;
// Re-syncs per frame before the link is declared dead.
constexpr unsigned max_resyncs_per_frame = 3;
// While waiting for a response, an idle chip with nothing to offer for this long has lost its
// answer on the way to us (it was drained but arrived as noise): ask for it again.
constexpr std::uint64_t idle_response_timeout_us = 50'000;
// First polling interval once a command's expected latency has passed.
constexpr std::uint64_t brisk_poll_start_us = 1'000;
}  // namespace

void DataLink::reset_counters() {
  last_sent_ = counters_after_reset;
  last_received_ = counters_after_reset;
}

void DataLink::resynchronise() {
  write_frame(encode_resync_frame());
  ++stats_.resyncs;
  reset_counters();
}

void DataLink::fail(const std::string& what) {
  throw ProtocolError("IFX I2C link to OPTIGA at " + bus_.transport().describe() + ": " + what);
}

void DataLink::write_frame(ByteView frame) {
  bus_.write_register(reg::data, frame);
  ++stats_.frames_sent;
  stats_.bytes_sent += frame.size();
}

void DataLink::send_ack() { write_frame(encode_ack_frame(last_received_)); }

void DataLink::send_nak() {
  // The NAK names the frame we expected, so the chip offers it again.
  write_frame(encode_nak_frame(next_number(last_received_)));
  ++stats_.naks_sent;
}

void DataLink::count_bad_frame(FrameError error, ByteView raw) {
  if (error == FrameError::bad_crc) {
    ++stats_.crc_errors;
  } else {
    ++stats_.malformed_frames;
  }
  if (claims_data_frame(raw)) send_nak();
}

FrameDecodeResult DataLink::decode(const RawFrame& raw) const {
  if (raw.truncated) return FrameError::too_long;
  return decode_frame(raw.bytes, frame_size_);
}

std::optional<DataLink::RawFrame> DataLink::wait_for_frame(std::uint64_t until_us, std::uint64_t* poll_us) {
  for (;;) {
    const I2cState state = bus_.read_state();
    chip_was_busy_ = state.busy;
    // Only RESP_RDY and the length matter; BUSY is ignored like the Infineon host does.
    if (state.response_ready && state.length > 0) {
      RawFrame raw;
      raw.truncated = state.length > frame_size_;
      // Never read more than a frame: an absurd length (bus noise) must not make us allocate or
      // clock out 64 KiB. Reading drains the chip's frame so it can offer it again after a NAK.
      raw.bytes = bus_.read_register(reg::data, std::min<std::size_t>(state.length, frame_size_));
      ++stats_.frames_received;
      stats_.bytes_received += raw.bytes.size();
      return raw;
    }
    const std::uint64_t now = bus_.now_us();
    if (now >= until_us) return std::nullopt;
    std::uint64_t interval = timing::state_poll_us;
    if (poll_us) {
      interval = *poll_us;
      *poll_us = std::min(timing::state_poll_us, *poll_us * 2);
    }
    bus_.sleep_us(std::min(interval, until_us - now));
  }
}

std::optional<Bytes> DataLink::send_packet(ByteView packet, std::uint64_t deadline_us, std::uint64_t quiet_us) {
  last_sent_ = next_number(last_sent_);
  Bytes frame = encode_data_frame(last_sent_, last_received_, packet);
  write_frame(frame);
  std::uint64_t poll_us = timing::state_poll_us;
  if (quiet_us) {
    const std::uint64_t now = bus_.now_us();
    if (deadline_us > now) bus_.sleep_us(std::min(quiet_us, deadline_us - now));
    poll_us = brisk_poll_start_us;
  }

  unsigned repeats = 0;
  unsigned resyncs = 0;
  unsigned bad_in_a_row = 0;
  auto retransmit = [&] {
    if (repeats == timing::trans_repeat) {
      if (resyncs == max_resyncs_per_frame) {
        fail("no acknowledgement after " + std::to_string(resyncs) + " re-synchronisations");
      }
      ++resyncs;
      resynchronise();
      last_sent_ = next_number(last_sent_);
      frame = encode_data_frame(last_sent_, last_received_, packet);
      repeats = 0;
    } else {
      ++repeats;
    }
    ++stats_.retransmissions;
    write_frame(frame);
  };

  std::uint64_t window_end = bus_.now_us() + timing::trans_timeout_us;
  for (;;) {
    if (bus_.now_us() >= deadline_us) fail("no acknowledgement before the APDU deadline");
    auto raw = wait_for_frame(std::min(window_end, deadline_us), quiet_us ? &poll_us : nullptr);
    if (!raw) {
      retransmit();
      window_end = bus_.now_us() + timing::trans_timeout_us;
      continue;
    }
    const auto result = decode(*raw);
    if (const auto* error = std::get_if<FrameError>(&result)) {
      count_bad_frame(*error, raw->bytes);
      // A broken control frame may have been our ACK; a broken data frame has been NAKed and
      // will be offered again, unless the chip only produces garbage.
      if (!claims_data_frame(raw->bytes) || ++bad_in_a_row > max_bad_frames_in_a_row) {
        bad_in_a_row = 0;
        retransmit();
      }
      window_end = bus_.now_us() + timing::trans_timeout_us;
      continue;
    }
    bad_in_a_row = 0;
    const DecodedFrame& f = std::get<DecodedFrame>(result);
    switch (f.kind) {
      case FrameKind::ack:
        if (f.ack_number == last_sent_) return std::nullopt;
        break;  // ACK of an older frame: ignore
      case FrameKind::nak:
        if (f.ack_number == last_sent_) {
          ++stats_.naks_received;
          retransmit();
          window_end = bus_.now_us() + timing::trans_timeout_us;
        }
        break;
      case FrameKind::resync:
        break;  // ignored while waiting for an ACK (spec §2.5)
      case FrameKind::data:
        if (f.ack_number != last_sent_) break;  // does not acknowledge our frame: discard
        if (f.nak) {
          ++stats_.naks_received;
          retransmit();
          window_end = bus_.now_us() + timing::trans_timeout_us;
          break;
        }
        if (f.frame_number == next_number(last_received_)) {
          Bytes received(f.packet.begin(), f.packet.end());
          last_received_ = f.frame_number;
          send_ack();
          return received;
        }
        // A repeated older frame still acknowledges ours; re-ACK what we have.
        send_ack();
        return std::nullopt;
    }
  }
}

Bytes DataLink::receive_packet(std::uint64_t deadline_us, bool mid_chain, bool brisk) {
  unsigned bad_in_a_row = 0;
  std::uint64_t brisk_poll_us = brisk ? brisk_poll_start_us : timing::state_poll_us;
  for (;;) {
    const std::uint64_t now = bus_.now_us();
    if (now >= deadline_us) fail("no response before the APDU deadline");
    const std::uint64_t window = mid_chain ? timing::trans_timeout_us : idle_response_timeout_us;
    auto raw = wait_for_frame(std::min(deadline_us, now + window), &brisk_poll_us);
    if (!raw) {
      if (bus_.now_us() >= deadline_us) continue;
      // Receive timer: repeat the ACK for the last good frame in case the chip never saw it.
      if (mid_chain) send_ack();
      // A chip that is no longer busy yet offers nothing has lost the response: NAK it back.
      // A busy chip is left alone (RSA key generation takes seconds).
      else if (!chip_was_busy_) send_nak();
      continue;
    }
    const auto result = decode(*raw);
    if (const auto* error = std::get_if<FrameError>(&result)) {
      count_bad_frame(*error, raw->bytes);
      // We are waiting for a data frame: whatever arrived broken may have been it. (A broken
      // frame that claims to be data was NAKed already.)
      if (!claims_data_frame(raw->bytes)) send_nak();
      if (++bad_in_a_row > max_bad_frames_in_a_row) {
        fail(std::to_string(bad_in_a_row) + " malformed frames in a row (last: " +
             std::string(frame_error_name(*error)) + ")");
      }
      continue;
    }
    bad_in_a_row = 0;
    const DecodedFrame& f = std::get<DecodedFrame>(result);
    if (f.kind == FrameKind::resync) {
      reset_counters();
      continue;
    }
    if (f.kind != FrameKind::data) continue;  // only the response matters now
    if (f.ack_number != last_sent_ || f.nak) continue;
    if (f.frame_number != next_number(last_received_)) {
      send_ack();  // a repeat of a frame we already have: tell the chip again
      continue;
    }
    Bytes received(f.packet.begin(), f.packet.end());
    last_received_ = f.frame_number;
    send_ack();
    return received;
  }
}

}  // namespace optiga::proto
