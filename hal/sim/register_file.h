// The chip's I2C register map (spec §1.2, §1.3) apart from DATA, whose frames SimChip handles:
// register pointer, DATA_REG_LEN, I2C_MODE and the read-only values.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"

namespace optiga::sim {

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

// I2C_STATE byte 0/1 flags.
namespace state {
inline constexpr std::uint8_t busy = 0x80;
inline constexpr std::uint8_t resp_rdy = 0x40;
inline constexpr std::uint8_t soft_reset = 0x08;
inline constexpr std::uint8_t present_layer = 0x80;  // byte 1
}  // namespace state

class RegisterFile {
 public:
  // Called for every write transaction to a register other than DATA and SOFT_RESET.
  void write(std::uint8_t address, ByteView value);
  // Contents of a readable register other than DATA and I2C_STATE; empty if not readable, so
  // the read returns 0xFF bytes.
  Bytes read(std::uint8_t address) const;

  void set_pointer(std::uint8_t address) { pointer_ = address; }
  std::uint8_t pointer() const { return pointer_; }
  std::size_t data_reg_len() const { return data_reg_len_; }
  std::size_t max_packet() const { return data_reg_len_ - 5; }
  bool fast_mode_plus() const { return (mode_ & 0x07) == 0x04; }
  unsigned max_scl_khz() const { return fast_mode_plus() ? 1000 : 400; }

  // Chip reset: DATA_REG_LEN and a non-persistent I2C_MODE return to their defaults.
  void reset();

 private:
  std::uint8_t pointer_ = reg::i2c_state;
  std::size_t data_reg_len_ = 277;
  std::uint8_t mode_ = 0x03;             // Sm & Fm, the factory default
  std::uint8_t persistent_mode_ = 0x03;  // what a reset returns to
};

// I2C_STATE as read from the bus.
Bytes i2c_state_bytes(bool busy, std::size_t ready_length, bool presentation_layer);

}  // namespace optiga::sim
