#include "hal/sim/link_frame.h"

#include "core/chip/crc16.h"

namespace optiga::sim {

FrameCheck check_frame(ByteView frame) {
  if (frame.size() < frame_overhead) return FrameCheck::too_short;
  const std::size_t body = frame.size() - 2;
  if (chip::crc16(frame.first(body)) != get_u16(frame, body)) return FrameCheck::bad_crc;
  if (std::size_t{get_u16(frame, 1)} + frame_overhead != frame.size()) return FrameCheck::bad_length;
  return FrameCheck::ok;
}

Bytes make_frame(std::uint8_t fctr_byte, ByteView packet) {
  Bytes frame;
  frame.reserve(packet.size() + frame_overhead);
  frame.push_back(fctr_byte);
  put_u16(frame, static_cast<std::uint16_t>(packet.size()));
  append(frame, packet);
  put_u16(frame, chip::crc16(frame));
  return frame;
}

}  // namespace optiga::sim
