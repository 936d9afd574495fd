// The emulator library's C entry points (emulator_abi.h): every C++ exception stops here and
// leaves as an error code plus message, because the runtime on the other side may be a module
// built with hidden visibility whose exception types would not match ours.
#include <cstdio>
#include <exception>
#include <memory>
#include <string>

#include "core/chip/ids.h"
#include "core/config/device_spec.h"
#include "core/util/error.h"
#include "hal/open_emulator_transport.h"
#include "hal/sim/chip_engine.h"
#include "hal/sim_library/emulator_abi.h"

namespace optiga::sim {
namespace {

int report(optiga_sim_error* error, int code, const char* message) noexcept {
  if (error != nullptr) {
    error->code = code;
    std::snprintf(error->message, sizeof error->message, "%s", message);
  }
  return code;
}

// Runs f, translating whatever it throws into the ABI's codes.
template <class F>
int guarded(optiga_sim_error* error, F&& f) noexcept {
  try {
    f();
    return report(error, OPTIGA_SIM_OK, "");
  } catch (const UsageError& e) {
    return report(error, OPTIGA_SIM_USAGE_ERROR, e.what());
  } catch (const TransportError& e) {
    return report(error, OPTIGA_SIM_TRANSPORT_ERROR, e.what());
  } catch (const ProtocolError& e) {
    return report(error, OPTIGA_SIM_PROTOCOL_ERROR, e.what());
  } catch (const std::exception& e) {
    return report(error, OPTIGA_SIM_OTHER_ERROR, e.what());
  } catch (...) {
    return report(error, OPTIGA_SIM_OTHER_ERROR, "unknown failure in the emulator library");
  }
}

int status_code(hal::I2cStatus status) {
  switch (status) {
    case hal::I2cStatus::ok:
      return OPTIGA_SIM_I2C_OK;
    case hal::I2cStatus::nack:
      return OPTIGA_SIM_I2C_NACK;
    case hal::I2cStatus::bus_error:
      return OPTIGA_SIM_I2C_BUS_ERROR;
  }
  return OPTIGA_SIM_I2C_BUS_ERROR;
}

hal::I2cTransport& transport(void* self) { return *static_cast<hal::I2cTransport*>(self); }

// The C table over one hal::I2cTransport; `self` is the transport, owned by the caller until close.
const optiga_sim_transport_ops transport_ops = {
    // close
    [](void* self) { delete static_cast<hal::I2cTransport*>(self); },
    // write
    [](void* self, const std::uint8_t* data, std::size_t size, int* status, optiga_sim_error* error) {
      return guarded(error, [&] { *status = status_code(transport(self).write(ByteView(data, size))); });
    },
    // read
    [](void* self, std::uint8_t* out, std::size_t size, int* status, optiga_sim_error* error) {
      return guarded(
          error, [&] { *status = status_code(transport(self).read(std::span<std::uint8_t>(out, size))); });
    },
    // hardware_reset
    [](void* self, int* done, optiga_sim_error* error) {
      return guarded(error, [&] { *done = transport(self).hardware_reset() ? 1 : 0; });
    },
    // set_bitrate_khz
    [](void* self, unsigned khz, int* done, optiga_sim_error* error) {
      return guarded(error, [&] { *done = transport(self).set_bitrate_khz(khz) ? 1 : 0; });
    },
    // now_us: the emulator's clocks (VirtualClock) never throw.
    [](void* self) { return transport(self).clock().now_us(); },
    // sleep_us
    [](void* self, std::uint64_t us) { transport(self).clock().sleep_us(us); },
    // describe
    [](void* self, char* out, std::size_t size) {
      std::string text;
      try {
        text = transport(self).describe();
      } catch (...) {
        text = "emulated OPTIGA";
      }
      if (size > 0) std::snprintf(out, size, "%s", text.c_str());
    },
};

void check_version(unsigned abi_version) {
  if (abi_version != OPTIGA_SIM_ABI_VERSION)
    throw UsageError("the emulator library speaks interface version " +
                     std::to_string(OPTIGA_SIM_ABI_VERSION) + ", its caller version " +
                     std::to_string(abi_version) +
                     ": install liboptiga-sim.so.0 from the same release as the caller");
}

}  // namespace
}  // namespace optiga::sim

extern "C" {

__attribute__((visibility("default"))) int optiga_sim_open_transport(unsigned abi_version,
                                                                     const char* device_string,
                                                                     optiga_sim_transport* out,
                                                                     optiga_sim_error* error) {
  using namespace optiga;
  return sim::guarded(error, [&] {
    sim::check_version(abi_version);
    if (device_string == nullptr || out == nullptr)
      throw UsageError("no device string given to the emulator");
    const config::DeviceSpec spec = config::parse_device_string(device_string);
    if (spec.kind != config::DeviceKind::sim && spec.kind != config::DeviceKind::sim_unix)
      throw UsageError("'" + spec.text + "' does not name an emulated chip");
    // Ownership passes to the caller, who gives it back through ops->close.
    out->self = hal::open_emulator_transport(spec).release();
    out->ops = &sim::transport_ops;
  });
}

__attribute__((visibility("default"))) int optiga_sim_create_chip(unsigned abi_version,
                                                                  const char* state_path, const char* model,
                                                                  optiga_sim_error* error) {
  using namespace optiga;
  return sim::guarded(error, [&] {
    sim::check_version(abi_version);
    if (state_path == nullptr || *state_path == '\0')
      throw UsageError("no state file given for the emulated chip");
    const std::string token = model != nullptr ? model : "trust-m-v3";
    const auto chosen = chip::model_from_token(token);
    if (!chosen) throw UsageError("unknown model '" + token + "'; use trust-x, trust-m-v1 or trust-m-v3");
    sim::SimOptions opts;
    opts.model = *chosen;
    opts.state_path = state_path;
    sim::ChipEngine engine(opts);  // creates and saves the factory-fresh chip
  });
}

}  // extern "C"
