// Numbers of the IFX I2C interface that both ends of the bus use (spec §1.2, §1.3, §1.4, §2.1,
// §3.1, §3.3): register addresses, I2C_STATE flags, I2C_MODE values, the FCTR, PCTR and SCTR bytes. The host stack
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

// The FCTR byte that starts every data-link frame: control bit, SEQCTR (bits 6..5), RFU bit,
// frame number (bits 3..2) and acknowledge number (bits 1..0).
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
constexpr std::uint8_t resync() { return static_cast<std::uint8_t>(control | seq_resync); }
}  // namespace fctr

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

// The SCTR byte that starts a presentation-layer message (Trust M).
namespace sctr {
inline constexpr std::uint8_t plain_record = 0x20;
inline constexpr std::uint8_t alert_fatal = 0x40;
inline constexpr std::uint8_t alert_integrity = 0x44;
}  // namespace sctr

}  // namespace optiga::chip
