// The one opener of the configured chip, used by every front end (PKCS#11 module, OpenSSL
// provider, optigactl) and the tests. It sits above core/device: it chooses the device string with
// one precedence (core/config/settings.h: explicit argument > $OPTIGA_DEVICE > $OPTIGA_CONF >
// /etc/optiga/optiga.conf), opens its transport — hardware from hal/, the emulator from its own
// library, loaded only for sim: and sim+unix: — and assembles the Device on it.
#pragma once

#include <memory>

#include "core/config/device_spec.h"
#include "core/config/settings.h"
#include "core/device/device.h"
#include "core/proto/i2c_transport.h"
#include "core/util/log.h"

namespace optiga::runtime {

struct OpenedChip {
  std::unique_ptr<device::Device> device;  // open(): the chip's application is open
  config::Settings settings;  // user_pin and log_level (settings.file), where the device string came from
  config::DeviceSpec spec;
};

// Chooses and opens the configured chip. Throws optiga::UsageError when no device is configured or
// its string is bad, optiga::TransportError when the chip (or the emulator library) is not there.
// `logger` (the front end's) is handed to the Device before it talks to the chip, so the opening
// APDUs show at trace too.
OpenedChip open_chip(const config::SettingsSources& sources = {}, const Logger* logger = nullptr);

// The same, for a device string already chosen (the PKCS#11 slot chooses at C_Initialize and opens
// on first use). The Device is not yet open()ed.
std::unique_ptr<device::Device> open_device(const config::DeviceSpec& spec);

// The transport alone: hal's hardware transports for i2c: and ft260:, the emulator library's for
// sim: and sim+unix:.
std::unique_ptr<hal::I2cTransport> open_transport(const config::DeviceSpec& spec);

}  // namespace optiga::runtime
