// The chip's RST pin on a kernel GPIO character device (/dev/gpiochipN), behind an interface so
// tests can record the reset pulse. The real implementation uses libgpiod v1 (Debian 12).
#pragma once

#include <memory>
#include <string>

#include "core/config/device_spec.h"

namespace optiga::hal::i2cdev {

// A line this process holds as an output until the object is destroyed.
class OutputLine {
 public:
  virtual ~OutputLine() = default;
  virtual void set(bool high) = 0;
};

class GpioChips {
 public:
  virtual ~GpioChips() = default;
  // Throws optiga::TransportError naming the chip/line and the fix (no such chip, permission, busy).
  virtual std::unique_ptr<OutputLine> request_output(const config::GpioLine& line, bool initial_high,
                                                     const std::string& consumer) = 0;
};

// libgpiod v1; when the project is built without libgpiod, requesting a line throws.
GpioChips& system_gpio_chips();

}  // namespace optiga::hal::i2cdev
