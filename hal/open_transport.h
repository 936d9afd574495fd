// Turns a parsed device string into the transport that reaches that chip. Every front end goes
// through here, so `i2c:/dev/i2c-1` means the same bus in the PKCS#11 module, the OpenSSL
// provider and the tools.
#pragma once

#include <memory>

#include "core/config/device_spec.h"
#include "hal/i2c_transport.h"

namespace optiga::hal {

namespace i2cdev {
class SysCalls;
class GpioChips;
}  // namespace i2cdev
namespace ft260 {
class UsbBus;
}  // namespace ft260

// The operating-system access the hardware transports use; tests substitute fakes.
struct HardwareAccess {
  i2cdev::SysCalls* sys = nullptr;   // null: the real kernel
  i2cdev::GpioChips* gpio = nullptr; // null: libgpiod
  ft260::UsbBus* usb = nullptr;      // null: a libusb context made for this open
  Clock* clock = nullptr;            // null: the transport's own SteadyClock
};

// Opens the chip named by `spec`. Throws optiga::TransportError when the bus cannot be used
// (the message names the cause and the fix) and optiga::UsageError for a bad spec.
std::unique_ptr<I2cTransport> open_transport(const config::DeviceSpec& spec);
std::unique_ptr<I2cTransport> open_transport(const config::DeviceSpec& spec, const HardwareAccess& access);

// The sim: and sim+unix: kinds (hal/open_emulator_transport.cpp).
std::unique_ptr<I2cTransport> open_emulator_transport(const config::DeviceSpec& spec);

}  // namespace optiga::hal
