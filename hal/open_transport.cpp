#include "hal/open_transport.h"

#include "core/util/error.h"
#include "hal/ft260/ft260_transport.h"
#include "hal/i2cdev/i2cdev_transport.h"

namespace optiga::hal {
namespace {

std::unique_ptr<I2cTransport> open_i2cdev(const config::DeviceSpec& spec, const HardwareAccess& access) {
  i2cdev::I2cDevOptions options{spec.path, spec.address, spec.reset};
  auto& sys = access.sys != nullptr ? *access.sys : i2cdev::linux_sys_calls();
  auto& gpio = access.gpio != nullptr ? *access.gpio : i2cdev::system_gpio_chips();
  return std::make_unique<i2cdev::I2cDevTransport>(options, sys, gpio, access.clock);
}

std::unique_ptr<I2cTransport> open_ft260(const config::DeviceSpec& spec, const HardwareAccess& access) {
  // A libusb context only when a bridge is wanted; the opened device keeps it alive.
  std::unique_ptr<ft260::UsbBus> own_bus;
  ft260::UsbBus* bus = access.usb;
  if (bus == nullptr) {
    own_bus = ft260::make_libusb_bus();
    bus = own_bus.get();
  }
  ft260::Ft260Options options;
  options.address = spec.address;
  if (spec.khz) options.khz = *spec.khz;
  if (auto it = spec.options.find("reset"); it != spec.options.end()) options.reset_on_dio9 = it->second != "none";
  return std::make_unique<ft260::Ft260Transport>(ft260::open_ft260_bridge(*bus, spec.serial), options, access.clock);
}

}  // namespace

std::unique_ptr<I2cTransport> open_transport(const config::DeviceSpec& spec) { return open_transport(spec, {}); }

std::unique_ptr<I2cTransport> open_transport(const config::DeviceSpec& spec, const HardwareAccess& access) {
  switch (spec.kind) {
    case config::DeviceKind::i2c: return open_i2cdev(spec, access);
    case config::DeviceKind::ft260: return open_ft260(spec, access);
    case config::DeviceKind::sim:
    case config::DeviceKind::sim_unix:
      // Hardware builds carry no emulator: runtime::open_transport() loads it for these kinds.
      throw UsageError("'" + spec.text + "' names the emulator, which is not a hardware transport");
  }
  throw UsageError("device kind of '" + spec.text + "' is not supported");
}

}  // namespace optiga::hal
