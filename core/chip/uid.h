// The coprocessor UID (object 0xE0C2, 27 bytes, spec §6.3) and what it says about the chip.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "core/chip/ids.h"
#include "core/util/bytes.h"

namespace optiga::chip {

// ESW build numbers (BCD, last 2 UID bytes) and the product each identifies (spec §6.3).
namespace build {
inline constexpr std::uint16_t trust_x_1_0_510 = 0x0510;
inline constexpr std::uint16_t trust_x_1_1_715 = 0x0715;
inline constexpr std::uint16_t trust_x_1_2_1048 = 0x1048;
inline constexpr std::uint16_t trust_x_1_30_1112 = 0x1112;
inline constexpr std::uint16_t trust_x_1_40_1118 = 0x1118;
inline constexpr std::uint16_t trust_m_v1_1_30_809 = 0x0809;
inline constexpr std::uint16_t trust_m_v3_3_00_2440 = 0x2440;
inline constexpr std::uint16_t trust_m_v3_3_02_2564 = 0x2564;
}  // namespace build

struct Uid {
  std::uint8_t cim_id = 0xCD;
  std::uint8_t platform_id = 0x16;
  std::uint8_t model_id = 0x33;
  std::uint16_t rom_mask = 0;
  std::array<std::uint8_t, 6> chip_type{};
  std::array<std::uint8_t, 6> batch{};
  std::uint16_t wafer_x = 0;
  std::uint16_t wafer_y = 0;
  std::uint32_t firmware_id = 0;
  std::uint16_t build = 0;

  // Throws optiga::ParseError unless raw is exactly 27 bytes.
  static Uid parse(ByteView raw);
  Bytes serialize() const;
  // The model the build number identifies; nullopt for an unknown build.
  std::optional<Model> model() const;
  // "3.00.2440" for a known build, else "build 0xNNNN".
  std::string firmware_version() const;
  // Stable text used for the PKCS#11 token serial: hex of batch ‖ wafer position (16 chars max).
  std::string serial() const;
};

}  // namespace optiga::chip
