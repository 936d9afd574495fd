#include "hal/sim/register_file.h"

#include <algorithm>

#include "hal/sim/link_frame.h"

namespace optiga::sim {

void RegisterFile::write(std::uint8_t address, ByteView value) {
  switch (address) {
    case reg::data_reg_len:
      // The chip stores its own maximum when it cannot take the requested size (spec §1.2);
      // values below the protocol minimum are raised to it.
      if (value.size() >= 2) {
        data_reg_len_ = std::clamp<std::size_t>(get_u16(value, 0), min_data_reg_len, max_data_reg_len);
      }
      break;
    case reg::i2c_mode:
      if (value.size() >= 2) {
        const std::uint8_t mode = value[1] & 0x07;
        if (mode >= 0x01 && mode <= 0x04) {
          mode_ = mode;
          if (value[0] & 0x80) persistent_mode_ = mode;
        }
      }
      break;
    default:
      break;  // BASE_ADDR is accepted (the emulator has no address); read-only ones ignore writes
  }
}

Bytes RegisterFile::read(std::uint8_t address) const {
  Bytes out;
  switch (address) {
    case reg::data_reg_len:
      put_u16(out, static_cast<std::uint16_t>(data_reg_len_));
      break;
    case reg::max_scl_frequ:
      put_u32(out, max_scl_khz());
      break;
    case reg::guard_time:
    case reg::trans_timeout:
      put_u32(out, 0xFFFFFFFF);  // "not supported": hosts use their defaults (50 us, 10 ms)
      break;
    case reg::i2c_mode:
      put_u16(out, mode_);  // the persistence bit always reads 0
      break;
    default:
      if (address >= reg::app_state_first && address <= reg::app_state_last) put_u32(out, 0);
      break;
  }
  return out;
}

void RegisterFile::reset() {
  data_reg_len_ = 277;
  mode_ = persistent_mode_;
  pointer_ = reg::i2c_state;
}

Bytes i2c_state_bytes(bool busy, std::size_t ready_length, bool presentation_layer) {
  Bytes out;
  out.push_back(static_cast<std::uint8_t>(state::soft_reset | (busy ? state::busy : 0) |
                                          (ready_length > 0 ? state::resp_rdy : 0)));
  out.push_back(presentation_layer ? state::present_layer : 0);
  put_u16(out, static_cast<std::uint16_t>(ready_length));
  return out;
}

}  // namespace optiga::sim
