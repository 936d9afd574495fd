#include "core/proto/register_bus.h"

#include <string>

#include "core/util/error.h"

namespace optiga::proto {

template <typename Op>
void RegisterBus::with_retries(Op op) {
  hal::I2cStatus last = hal::I2cStatus::ok;
  for (unsigned attempt = 0; attempt < timing::max_i2c_attempts; ++attempt) {
    last = op();
    if (last == hal::I2cStatus::ok) {
      // The chip needs the guard time between the STOP of one access and the next START.
      sleep_us(timing::guard_time_us);
      return;
    }
    // NACK is the chip's "late acknowledge" while it wakes up or is busy: simply try again.
    ++stats_.i2c_nacks;
    sleep_us(timing::nack_retry_us);
  }
  const char* what = last == hal::I2cStatus::nack ? " NACKs" : " bus errors";
  throw TransportError("no OPTIGA answers at " + transport_.describe() + ": " +
                       std::to_string(timing::max_i2c_attempts) + what);
}

Bytes RegisterBus::read_register(std::uint8_t reg, std::size_t n) {
  const std::uint8_t address[1] = {reg};
  with_retries([&] { return transport_.write(address); });
  Bytes out(n);
  with_retries([&] { return transport_.read(out); });
  return out;
}

void RegisterBus::write_register(std::uint8_t reg, ByteView data) {
  Bytes buffer;
  buffer.reserve(data.size() + 1);
  buffer.push_back(reg);
  append(buffer, data);
  with_retries([&] { return transport_.write(buffer); });
}

I2cState RegisterBus::read_state() { return I2cState::parse(read_register(reg::i2c_state, 4)); }

}  // namespace optiga::proto
