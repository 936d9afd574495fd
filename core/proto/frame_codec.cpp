#include "core/proto/frame_codec.h"

#include "core/chip/crc16.h"

namespace optiga::proto {

namespace {
constexpr std::uint8_t control_bit = 0x80;
constexpr std::uint8_t rfu_bit = 0x10;
constexpr std::uint8_t seqctr_ack = 0x00;
constexpr std::uint8_t seqctr_nak = 0x01;
constexpr std::uint8_t seqctr_resync = 0x02;

Bytes finish_frame(std::uint8_t fctr, ByteView packet) {
  Bytes out;
  out.reserve(packet.size() + frame_overhead);
  out.push_back(fctr);
  put_u16(out, static_cast<std::uint16_t>(packet.size()));
  append(out, packet);
  put_u16(out, chip::crc16(out));
  return out;
}

std::uint8_t control_fctr(std::uint8_t seqctr, std::uint8_t ack_number) {
  return static_cast<std::uint8_t>(control_bit | (seqctr << 5) | (ack_number & 0x03));
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
  if (fctr & rfu_bit) return FrameError::unknown_fctr;
  const std::uint8_t seqctr = (fctr >> 5) & 0x03;
  DecodedFrame out;
  out.ack_number = fctr & 0x03;
  if (fctr & control_bit) {
    if ((fctr & 0x0C) != 0 || len != 0) return FrameError::bad_control;
    switch (seqctr) {
      case seqctr_ack: out.kind = FrameKind::ack; break;
      case seqctr_nak: out.kind = FrameKind::nak; break;
      case seqctr_resync:
        if (out.ack_number != 0) return FrameError::unknown_fctr;
        out.kind = FrameKind::resync;
        break;
      default: return FrameError::unknown_fctr;
    }
    return out;
  }
  if (seqctr != seqctr_ack && seqctr != seqctr_nak) return FrameError::unknown_fctr;
  if (len == 0) return FrameError::empty_data;
  out.kind = FrameKind::data;
  out.nak = seqctr == seqctr_nak;
  out.frame_number = (fctr >> 2) & 0x03;
  out.packet = frame.subspan(3, len);
  return out;
}

Bytes encode_data_frame(std::uint8_t frame_number, std::uint8_t ack_number, ByteView packet) {
  return finish_frame(static_cast<std::uint8_t>(((frame_number & 0x03) << 2) | (ack_number & 0x03)), packet);
}

Bytes encode_ack_frame(std::uint8_t ack_number) { return finish_frame(control_fctr(seqctr_ack, ack_number), {}); }
Bytes encode_nak_frame(std::uint8_t ack_number) { return finish_frame(control_fctr(seqctr_nak, ack_number), {}); }
Bytes encode_resync_frame() { return finish_frame(control_fctr(seqctr_resync, 0), {}); }

}  // namespace optiga::proto
