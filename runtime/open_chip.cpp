#include "runtime/open_chip.h"

#include "core/device/device_factory.h"
#include "hal/open_transport.h"
#include "runtime/emulator_library.h"

namespace optiga::runtime {

std::unique_ptr<hal::I2cTransport> open_transport(const config::DeviceSpec& spec) {
  switch (spec.kind) {
    case config::DeviceKind::sim:
    case config::DeviceKind::sim_unix:
      return open_emulated_transport(spec);
    case config::DeviceKind::i2c:
    case config::DeviceKind::ft260:
      break;
  }
  return hal::open_transport(spec);
}

std::unique_ptr<device::Device> open_device(const config::DeviceSpec& spec) {
  return device::make_device(spec, open_transport(spec));
}

OpenedChip open_chip(const config::SettingsSources& sources, const Logger* logger) {
  OpenedChip chip;
  chip.settings = config::load_settings(sources);
  chip.spec = config::resolve_device(chip.settings);
  if (logger) logger->debug("opening " + chip.spec.text + " (from " + chip.settings.device_origin + ")");
  chip.device = open_device(chip.spec);
  if (logger) chip.device->set_logger(*logger);
  chip.device->open();
  return chip;
}

}  // namespace optiga::runtime
