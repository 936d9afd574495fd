// Byte strings and the big-endian helpers every layer of the protocol uses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace optiga {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// 0..15 for a hex digit, -1 for anything else.
int hex_digit_value(char c);

// Lower-case hex, optionally with a separator between bytes ("03 00 15").
std::string to_hex(ByteView data, std::string_view separator = "");

// Parses hex digits; spaces, colons and an optional "0x" prefix are ignored.
// Throws optiga::ParseError on an odd digit count or a non-hex character.
Bytes from_hex(std::string_view text);

inline void put_u16(Bytes& out, std::uint16_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

inline void put_u32(Bytes& out, std::uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(v >> shift));
}

// Callers check bounds first; these only assemble bytes.
inline std::uint16_t get_u16(ByteView data, std::size_t offset) {
  return static_cast<std::uint16_t>((data[offset] << 8) | data[offset + 1]);
}

inline std::uint32_t get_u32(ByteView data, std::size_t offset) {
  return (std::uint32_t{data[offset]} << 24) | (std::uint32_t{data[offset + 1]} << 16) |
         (std::uint32_t{data[offset + 2]} << 8) | std::uint32_t{data[offset + 3]};
}

inline void append(Bytes& out, ByteView more) { out.insert(out.end(), more.begin(), more.end()); }

}  // namespace optiga
