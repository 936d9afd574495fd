// The seam between the host protocol stack and a bus: one object per chip (bus + address).
// Implementations: the emulator in-process (hal/sim), the emulator over a Unix socket,
// Linux i2c-dev and the FT260 USB bridge. Each call is exactly one I2C transaction
// (START ... STOP): the OPTIGA supports neither repeated start nor clock stretching.
// It lives in core so that core never depends on hal: hal/ implements it, core only calls it.
// (The namespace stays optiga::hal: it names the layer that implements the interface.)
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/util/bytes.h"
#include "core/util/clock.h"

namespace optiga::hal {

enum class I2cStatus {
  ok,
  nack,       // the chip did not acknowledge its address (busy, asleep, or absent): retry later
  bus_error,  // the adapter reported an error other than NACK (also retried by the stack)
};

class I2cTransport {
 public:
  virtual ~I2cTransport() = default;

  // One write transaction of data (the first byte is the register address).
  virtual I2cStatus write(ByteView data) = 0;
  // One read transaction filling out completely.
  virtual I2cStatus read(std::span<std::uint8_t> out) = 0;

  // Pulses the chip's reset line (or power) if this transport has one; false if it cannot,
  // in which case the stack falls back to the soft-reset register.
  virtual bool hardware_reset() { return false; }
  // Sets the SCL frequency if the adapter lets software choose it.
  virtual bool set_bitrate_khz(unsigned /*khz*/) { return false; }

  // The clock the stack uses for guard times, polling and time-outs on this bus.
  virtual Clock& clock() = 0;
  // For messages, after "at": "0x30 on /dev/i2c-1", "emulated OPTIGA Trust M V3 (sim:memory)", ...
  virtual std::string describe() const = 0;
};

}  // namespace optiga::hal
