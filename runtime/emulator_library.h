// The emulator library (liboptiga-sim.so.0, hal/sim_library/emulator_abi.h) as the runtime uses it:
// loaded with dlopen() only when a sim: or sim+unix: device string asks for it, so no front end
// links emulator code or its test CA keys. Lookup: $OPTIGA_SIM_LIBRARY when set (that path only),
// else the soname through the loader's normal search (the caller's run path, ld.so.cache, ${libdir}).
#pragma once

#include <memory>
#include <string>

#include "core/config/device_spec.h"
#include "core/proto/i2c_transport.h"

namespace optiga::runtime {

// The emulated chip `spec` (sim: or sim+unix:) names. Throws optiga::TransportError when the
// library is missing, and the emulator's own UsageError / TransportError / ProtocolError.
std::unique_ptr<hal::I2cTransport> open_emulated_transport(const config::DeviceSpec& spec);

// A new, factory-provisioned emulated chip in state_path (`optigactl sim create`); `model` is
// trust-x, trust-m-v1 or trust-m-v3. Overwrites nothing the caller has not removed.
void create_emulated_chip(const std::string& state_path, const std::string& model);

}  // namespace optiga::runtime
