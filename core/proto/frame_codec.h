// IFX I2C data-link frames (spec §2.1–§2.3): FCTR | LEN(2) | packet | FCS(2).
// Encoding and decoding are pure functions so the decoder can be fuzzed and unit tested without
// a bus; everything read from the chip goes through decode_frame() before it is trusted.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <variant>

#include "core/util/bytes.h"

namespace optiga::proto {

inline constexpr std::size_t frame_overhead = 5;  // FCTR + LEN + FCS
inline constexpr std::uint8_t sequence_modulus = 4;
inline constexpr std::uint8_t counters_after_reset = 3;  // "last sent" = "last received" = 3

enum class FrameKind : std::uint8_t {
  data,    // carries a packet; frame_number and ack_number valid
  ack,     // control ACK for ack_number
  nak,     // control NAK for ack_number
  resync,  // control re-sync: both sides reset their counters
};

struct DecodedFrame {
  FrameKind kind = FrameKind::data;
  std::uint8_t frame_number = 0;  // FRNR (data frames)
  std::uint8_t ack_number = 0;    // ACKNR
  bool nak = false;               // data frame whose SEQCTR is NAK instead of ACK
  ByteView packet;                // points into the decoded bytes; empty for control frames
};

enum class FrameError : std::uint8_t {
  too_short,        // fewer than 5 bytes
  too_long,         // more bytes than the negotiated frame size
  length_mismatch,  // LEN + 5 differs from the bytes read
  bad_crc,
  bad_control,      // control frame with a payload or a frame number
  empty_data,       // data frame without a packet
  unknown_fctr,     // RFU bit set, SEQCTR 11, re-sync with ACKNR, data frame with re-sync SEQCTR
};

std::string_view frame_error_name(FrameError e);

using FrameDecodeResult = std::variant<DecodedFrame, FrameError>;

// Checks a complete frame as read from DATA. Never reads outside `frame`.
FrameDecodeResult decode_frame(ByteView frame, std::size_t max_frame_size);

// True when the FCTR byte claims a data frame: a broken frame of that kind is answered with a
// NAK, a broken control frame is not (spec §2.5).
inline bool claims_data_frame(ByteView frame) { return !frame.empty() && (frame[0] & 0x80) == 0; }

Bytes encode_data_frame(std::uint8_t frame_number, std::uint8_t ack_number, ByteView packet);
Bytes encode_ack_frame(std::uint8_t ack_number);
Bytes encode_nak_frame(std::uint8_t ack_number);
Bytes encode_resync_frame();

}  // namespace optiga::proto
