// The IFX I2C data-link frame as the chip sees it (spec §2.1–2.3): FCTR | LEN(2) | packet | FCS(2).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/chip/wire.h"
#include "core/util/bytes.h"

namespace optiga::sim {

namespace fctr = chip::fctr;

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
