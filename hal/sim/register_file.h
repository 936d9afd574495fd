// The chip's I2C register map (spec §1.2, §1.3) apart from DATA, whose frames SimChip handles:
// register pointer, DATA_REG_LEN, I2C_MODE and the read-only values.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"
#include "core/chip/wire.h"

namespace optiga::sim {

namespace reg = chip::reg;
namespace state = chip::i2c_state;

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
