// Where the host keeps what the chip does not: the public key of each key slot and its paired
// certificate (architecture "The chip as a token").
#pragma once

#include <cstdint>
#include <optional>

namespace optiga::device {

// 0xE0F0‥0xE0F3 → 0xF1D0‥0xF1D3, 0xE0FC/0xE0FD → 0xF1E0/0xF1E1 (the objects Infineon's tools use).
std::optional<std::uint16_t> public_key_object(std::uint16_t key_oid);
// 0xE0F0‥0xE0F3 → 0xE0E0‥0xE0E3.
std::optional<std::uint16_t> paired_certificate(std::uint16_t key_oid);

}  // namespace optiga::device
