#include "core/proto/link_startup.h"

#include <string>

#include "core/util/error.h"

namespace optiga::proto {

namespace {
// MAX_SCL_FREQU is 4 bytes; the Infineon host uses only bytes 2..3 as kHz.
unsigned read_max_scl_khz(RegisterBus& bus) { return get_u16(bus.read_register(reg::max_scl_frequ, 4), 2); }

void write_i2c_mode(RegisterBus& bus, std::uint8_t mode) {
  const std::uint8_t value[2] = {i2c_mode::persistent, mode};
  bus.write_register(reg::i2c_mode, value);
}
}  // namespace

ResetKind reset_chip(RegisterBus& bus, std::uint64_t startup_us) {
  ResetKind kind = ResetKind::none;
  if (bus.transport().hardware_reset()) {
    kind = ResetKind::hardware;
  } else if (bus.read_state().soft_reset_supported) {
    const std::uint8_t any_value[2] = {0x00, 0x00};
    bus.write_register(reg::soft_reset, any_value);
    kind = ResetKind::soft;
  }
  if (kind != ResetKind::none) bus.sleep_us(startup_us);
  return kind;
}

std::size_t negotiate_link(RegisterBus& bus, std::size_t wanted_frame_size, unsigned wanted_khz) {
  bus.transport().set_bitrate_khz(timing::start_khz);
  unsigned chip_khz = read_max_scl_khz(bus);
  // The chip reports the maximum of its current I2C_MODE; switch modes when that is the limit.
  if (wanted_khz > timing::fast_mode_max_khz && chip_khz <= timing::fast_mode_max_khz) {
    write_i2c_mode(bus, i2c_mode::fm_plus);
    chip_khz = read_max_scl_khz(bus);
  } else if (wanted_khz <= timing::fast_mode_max_khz && chip_khz > timing::fast_mode_max_khz) {
    write_i2c_mode(bus, i2c_mode::sm_fm);
    chip_khz = read_max_scl_khz(bus);
  }
  if (wanted_khz > chip_khz) {
    throw ProtocolError("OPTIGA at " + bus.transport().describe() + " supports at most " + std::to_string(chip_khz) +
                        " kHz, " + std::to_string(wanted_khz) + " kHz requested");
  }
  bus.transport().set_bitrate_khz(wanted_khz);

  Bytes wanted;
  put_u16(wanted, static_cast<std::uint16_t>(wanted_frame_size));
  bus.write_register(reg::data_reg_len, wanted);
  const std::size_t chip_size = get_u16(bus.read_register(reg::data_reg_len, 2), 0);
  if (chip_size > wanted_frame_size || chip_size < min_frame_size) {
    throw ProtocolError("OPTIGA at " + bus.transport().describe() + " answered frame size " +
                        std::to_string(chip_size) + " to a request of " + std::to_string(wanted_frame_size));
  }
  return chip_size;
}

}  // namespace optiga::proto
