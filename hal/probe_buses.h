// Finds OPTIGA chips: tries every I2C adapter (/dev/i2c-N) and every FT260 bridge for an answer
// to I2C_STATE (register 0x82, 4 bytes) at one address. Used by the admin tool's `probe`.
// Note: probing writes one byte (0x82) to that address on every bus.
#pragma once

#include <string>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "hal/ft260/usb_hid_device.h"
#include "hal/i2cdev/sys_calls.h"

namespace optiga::hal {

struct ProbeResult {
  std::string device;   // the device string that selects this chip: "i2c:/dev/i2c-1?addr=0x30"
  std::string adapter;  // "bcm2835 (i2c@7e804000)", "FT260 AAA (bus 1 device 5)"
  bool found = false;   // the chip answered
  Bytes i2c_state;      // its 4 I2C_STATE bytes when found
  std::string detail;   // otherwise why not: "no answer at 0x30", "permission denied …"
};

// `usb` may be null to skip FT260 bridges.
std::vector<ProbeResult> probe_buses(i2cdev::SysCalls& sys, ft260::UsbBus* usb, Clock& clock,
                                     std::uint8_t address = 0x30);

// The real system (i2c-dev and libusb).
std::vector<ProbeResult> probe_buses(std::uint8_t address = 0x30);

}  // namespace optiga::hal
