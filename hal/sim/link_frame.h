// The IFX I2C data-link frame as the chip sees it (spec §2.1–2.3): FCTR | LEN(2) | packet | FCS(2).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"

namespace optiga::sim {

namespace fctr {
inline constexpr std::uint8_t control = 0x80;
inline constexpr std::uint8_t seq_mask = 0x60;
inline constexpr std::uint8_t seq_ack = 0x00;
inline constexpr std::uint8_t seq_nak = 0x20;
inline constexpr std::uint8_t seq_resync = 0x40;
inline constexpr std::uint8_t seq_rfu = 0x60;
inline constexpr std::uint8_t rfu = 0x10;
inline constexpr std::uint8_t frnr_mask = 0x0C;
inline constexpr std::uint8_t acknr_mask = 0x03;

constexpr std::uint8_t data(unsigned frnr, unsigned acknr) {
  return static_cast<std::uint8_t>(((frnr & 3) << 2) | (acknr & 3));
}
constexpr std::uint8_t ack(unsigned acknr) { return static_cast<std::uint8_t>(control | seq_ack | (acknr & 3)); }
constexpr std::uint8_t nak(unsigned acknr) { return static_cast<std::uint8_t>(control | seq_nak | (acknr & 3)); }
}  // namespace fctr

inline constexpr std::size_t frame_overhead = 5;       // FCTR + LEN + FCS
inline constexpr std::size_t max_data_reg_len = 277;   // what this chip accepts in DATA_REG_LEN
inline constexpr std::size_t min_data_reg_len = 16;

enum class FrameCheck {
  ok,
  too_short,   // fewer than 5 bytes: no room for a header and FCS
  bad_length,  // LEN + 5 differs from the bytes written
  bad_crc,
};

// CRC first, then LEN, so a corrupted LEN field reports as a CRC error like on the real link.
FrameCheck check_frame(ByteView frame);

// Builds a frame around packet (empty for control frames), FCS high byte first.
Bytes make_frame(std::uint8_t fctr_byte, ByteView packet = {});

}  // namespace optiga::sim
