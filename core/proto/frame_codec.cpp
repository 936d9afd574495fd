#include "core/proto/frame_codec.h"

#include "core/chip/crc16.h"
#include "core/chip/wire.h"

namespace optiga::proto {

namespace {
namespace f = chip::fctr;

Bytes finish_frame(std::uint8_t fctr, ByteView packet) {
  Bytes out;
  out.reserve(packet.size() + frame_overhead);
  out.push_back(fctr);
  put_u16(out, static_cast<std::uint16_t>(packet.size()));
  append(out, packet);
  put_u16(out, chip::crc16(out));
  return out;
}

}  // namespace

std::string_view frame_error_name(FrameError e) {
  switch (e) {
    case FrameError::too_short: return "frame shorter than 5 bytes";
    case FrameError::too_long: return "frame longer than the negotiated frame size";
    case FrameError::length_mismatch: return "LEN does not match the bytes read";
    case FrameError::bad_crc: return "bad frame checksum";
    case FrameError::bad_control: return "control frame with payload or frame number";
    case FrameError::empty_data: return "data frame without packet";
    case FrameError::unknown_fctr: return "unknown FCTR";
  }
  return "unknown frame error";
}

FrameDecodeResult decode_frame(ByteView frame, std::size_t max_frame_size) {
  if (frame.size() < frame_overhead) return FrameError::too_short;
  if (frame.size() > max_frame_size) return FrameError::too_long;
  const std::size_t len = get_u16(frame, 1);
  if (len + frame_overhead != frame.size()) return FrameError::length_mismatch;
  const std::size_t body = frame.size() - 2;
  if (chip::crc16(frame.first(body)) != get_u16(frame, body)) return FrameError::bad_crc;

  const std::uint8_t fctr = frame[0];
  if (fctr & f::rfu) return FrameError::unknown_fctr;
  const std::uint8_t seqctr = fctr & f::seq_mask;
  DecodedFrame out;
  out.ack_number = fctr & f::acknr_mask;
  if (fctr & f::control) {
    if ((fctr & f::frnr_mask) != 0 || len != 0) return FrameError::bad_control;
    switch (seqctr) {
      case f::seq_ack: out.kind = FrameKind::ack; break;
      case f::seq_nak: out.kind = FrameKind::nak; break;
      case f::seq_resync:
        if (out.ack_number != 0) return FrameError::unknown_fctr;
        out.kind = FrameKind::resync;
        break;
      default: return FrameError::unknown_fctr;
    }
    return out;
  }
  if (seqctr != f::seq_ack && seqctr != f::seq_nak) return FrameError::unknown_fctr;
  if (len == 0) return FrameError::empty_data;
  out.kind = FrameKind::data;
  out.nak = seqctr == f::seq_nak;
  out.frame_number = (fctr & f::frnr_mask) >> 2;
  out.packet = frame.subspan(3, len);
  return out;
}

Bytes encode_data_frame(std::uint8_t frame_number, std::uint8_t ack_number, ByteView packet) {
  return finish_frame(f::data(frame_number, ack_number), packet);
}

Bytes encode_ack_frame(std::uint8_t ack_number) { return finish_frame(f::ack(ack_number), {}); }
Bytes encode_nak_frame(std::uint8_t ack_number) { return finish_frame(f::nak(ack_number), {}); }
Bytes encode_resync_frame() { return finish_frame(f::resync(), {}); }

}  // namespace optiga::proto
