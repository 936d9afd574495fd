// The IFX I2C frame check sequence (spec §2.3): CRC-16/KERMIT — CCITT polynomial processed
// LSB-first (reflected 0x8408), initial value 0, no final XOR. Sent high byte first.
#pragma once

#include <cstdint>

#include "core/util/bytes.h"

namespace optiga::chip {

std::uint16_t crc16(ByteView data);

}  // namespace optiga::chip
