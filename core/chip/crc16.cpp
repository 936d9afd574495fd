#include "core/chip/crc16.h"

#include <array>

namespace optiga::chip {

namespace {
// Table-driven form of the reflected polynomial, built once at compile time.
constexpr std::array<std::uint16_t, 256> make_table() {
  std::array<std::uint16_t, 256> table{};
  for (unsigned i = 0; i < 256; ++i) {
    std::uint16_t crc = static_cast<std::uint16_t>(i);
    for (int bit = 0; bit < 8; ++bit) crc = (crc & 1) ? static_cast<std::uint16_t>((crc >> 1) ^ 0x8408) : static_cast<std::uint16_t>(crc >> 1);
    table[i] = crc;
  }
  return table;
}
constexpr auto table = make_table();
}  // namespace

std::uint16_t crc16(ByteView data) {
  std::uint16_t crc = 0;
  for (std::uint8_t b : data) crc = static_cast<std::uint16_t>((crc >> 8) ^ table[(crc ^ b) & 0xFF]);
  return crc;
}

}  // namespace optiga::chip
