// Numbers of the IFX I2C interface that both ends of the bus use (spec §1.2, §1.3, §1.4, §3.1):
// register addresses, I2C_STATE flags, I2C_MODE values and the PCTR byte. The host stack
// (core/proto) and the emulated chip (hal/sim) implement their sides independently, but take
// these from one place.
#pragma once

#include <cstdint>

namespace optiga::chip {

namespace reg {
inline constexpr std::uint8_t data = 0x80;
inline constexpr std::uint8_t data_reg_len = 0x81;
inline constexpr std::uint8_t i2c_state = 0x82;
inline constexpr std::uint8_t base_addr = 0x83;
inline constexpr std::uint8_t max_scl_frequ = 0x84;
inline constexpr std::uint8_t guard_time = 0x85;
inline constexpr std::uint8_t trans_timeout = 0x86;
inline constexpr std::uint8_t soft_reset = 0x88;
inline constexpr std::uint8_t i2c_mode = 0x89;
inline constexpr std::uint8_t app_state_first = 0x90;
inline constexpr std::uint8_t app_state_last = 0x9F;
}  // namespace reg

// I2C_STATE flags: byte 0 (bits 31..24) and byte 1 (bits 23..16).
namespace i2c_state {
inline constexpr std::uint8_t busy = 0x80;
inline constexpr std::uint8_t resp_rdy = 0x40;
inline constexpr std::uint8_t soft_reset = 0x08;
inline constexpr std::uint8_t present_layer = 0x80;  // byte 1
}  // namespace i2c_state

// I2C_MODE values; 0x80 in the first byte makes the mode the persistent default.
namespace i2c_mode {
inline constexpr std::uint8_t sm_fm = 0x03;
inline constexpr std::uint8_t fm_plus = 0x04;
inline constexpr std::uint8_t persistent = 0x80;
}  // namespace i2c_mode

// The PCTR byte that starts every packet.
namespace pctr {
inline constexpr std::uint8_t channel_mask = 0xF0;  // MAX_NET_CHAN = 1: always 0
inline constexpr std::uint8_t presence = 0x08;      // a presentation-layer header follows
inline constexpr std::uint8_t chain_mask = 0x07;
inline constexpr std::uint8_t single = 0x00;
inline constexpr std::uint8_t first = 0x01;
inline constexpr std::uint8_t middle = 0x02;
inline constexpr std::uint8_t last = 0x04;
inline constexpr std::uint8_t chain_error = 0x07;
}  // namespace pctr

}  // namespace optiga::chip
