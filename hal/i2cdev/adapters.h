// The I2C adapters the kernel exposes as /dev/i2c-N, with their names from sysfs
// ("bcm2835 (i2c@7e804000)", "FT260 usb-i2c bridge"), for messages and `probe`.
#pragma once

#include <string>
#include <vector>

#include "hal/i2cdev/sys_calls.h"

namespace optiga::hal::i2cdev {

struct I2cAdapter {
  int bus = -1;
  std::string path;  // /dev/i2c-N
  std::string name;  // empty if sysfs does not say
};

// Sorted by bus number.
std::vector<I2cAdapter> list_i2c_adapters(SysCalls& sys);

// "/dev/i2c-1 (bcm2835 (i2c@7e804000)), /dev/i2c-20" or "none".
std::string describe_adapters(const std::vector<I2cAdapter>& adapters);

}  // namespace optiga::hal::i2cdev
