// The emulator's transports for device strings: sim: (the emulated chip in this process) and
// sim+unix: (a chip served by optiga-emulator over a Unix socket). Part of the emulator library
// (liboptiga-sim.so.0, hal/sim_library/), which the runtime loads only for these kinds.
#pragma once

#include <memory>

#include "core/config/device_spec.h"
#include "core/proto/i2c_transport.h"

namespace optiga::hal {

// Throws optiga::UsageError for bad emulator options and optiga::TransportError when the state
// file or socket is missing.
std::unique_ptr<I2cTransport> open_emulator_transport(const config::DeviceSpec& spec);

}  // namespace optiga::hal
