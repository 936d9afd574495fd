// Turns a parsed hardware device string (i2c:, ft260:) into the transport that reaches that chip.
// Front ends reach it through the runtime's opener (runtime/open_chip.h), so `i2c:/dev/i2c-1` means
// the same bus in the PKCS#11 module, the OpenSSL provider and the tools. The emulator's kinds
// (sim:, sim+unix:) live in the emulator library (hal/open_emulator_transport.h), never here.
#pragma once

#include <memory>

#include "core/config/device_spec.h"
#include "core/proto/i2c_transport.h"

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
// (the message names the cause and the fix) and optiga::UsageError for a bad spec or an
// emulator kind.
std::unique_ptr<I2cTransport> open_transport(const config::DeviceSpec& spec);
std::unique_ptr<I2cTransport> open_transport(const config::DeviceSpec& spec, const HardwareAccess& access);

}  // namespace optiga::hal
