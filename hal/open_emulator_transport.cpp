// The emulator's transports for device strings: sim: (in-process) and sim+unix: (over a socket).
// Query parameters (docs/emulated-chip.md): model, scl, timing=on|off, realtime=1, faults=SPEC,
// sec=N, create=1. OPTIGA_SIM_FAULTS adds faults from the environment.
#include <algorithm>
#include <filesystem>
#include <initializer_list>
#include <string_view>
#include <stdexcept>

#include "core/chip/ids.h"
#include "core/util/error.h"
#include "core/util/yes_no.h"
#include "hal/open_emulator_transport.h"
#include "hal/sim/chip_engine.h"
#include "hal/sim/fault_spec.h"
#include "hal/sim/sim_transport.h"
#include "hal/sim/state_file.h"
#include "hal/socket_transport.h"

namespace optiga::hal {

namespace {
const std::string* option(const config::DeviceSpec& spec, const std::string& name) {
  auto it = spec.options.find(name);
  return it == spec.options.end() ? nullptr : &it->second;
}

// `?create` alone means yes; any other value is one of the project's yes/no words.
bool flag(const config::DeviceSpec& spec, const std::string& name, bool fallback) {
  const std::string* v = option(spec, name);
  if (!v) return fallback;
  if (v->empty()) return true;
  return parse_yes_no(*v, "'" + spec.text + "': " + name);
}

// docs/configuration.md promises that an unknown option is an error: a typo such as `?modle=`
// must not silently run another chip than the one asked for.
void check_options(const config::DeviceSpec& spec, std::initializer_list<std::string_view> known) {
  for (const auto& [name, value] : spec.options) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string list;
    for (const auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw UsageError("'" + spec.text + "': unknown option '" + name + "'; " +
                     (spec.kind == config::DeviceKind::sim_unix ? "sim+unix:" : "sim:") + " knows " + list);
  }
}

unsigned number(const config::DeviceSpec& spec, const std::string& name, unsigned fallback, unsigned lo, unsigned hi) {
  const std::string* v = option(spec, name);
  if (!v) return fallback;
  try {
    std::size_t used = 0;
    unsigned long n = std::stoul(*v, &used, 0);
    if (used == v->size() && n >= lo && n <= hi) return static_cast<unsigned>(n);
  } catch (const std::exception&) {
  }
  throw UsageError("'" + spec.text + "': " + name + "=" + *v + " must be a number from " + std::to_string(lo) +
                   " to " + std::to_string(hi));
}

sim::SimOptions sim_options(const config::DeviceSpec& spec) {
  check_options(spec, {"model", "scl", "timing", "realtime", "faults", "sec", "create"});
  sim::SimOptions opts;
  if (const std::string* m = option(spec, "model")) {
    auto model = chip::model_from_token(*m);
    if (!model) throw UsageError("'" + spec.text + "': unknown model '" + *m + "'; use trust-x, trust-m-v1 or trust-m-v3");
    opts.model = *model;
  } else if (!spec.path.empty() && std::filesystem::exists(spec.path)) {
    // No model named: the chip is the one the state file holds (it throws only for a file that
    // is really corrupt), so `sim:chip.state` opens whatever `optigactl sim create` made.
    try {
      if (const auto recorded = sim::state_file_model(spec.path)) opts.model = *recorded;
    } catch (const std::runtime_error& e) {
      throw TransportError(e.what());
    }
  }
  opts.state_path = spec.path;
  opts.timing.scl_khz = number(spec, "scl", 400, 1, 1000);
  opts.timing.chip_latency = flag(spec, "timing", true);
  opts.timing.real_sleep = flag(spec, "realtime", false);
  try {
    if (const std::string* f = option(spec, "faults")) sim::parse_fault_spec(*f, opts.faults);
    sim::apply_env_faults(opts.faults);
  } catch (const std::invalid_argument& e) {
    throw UsageError("'" + spec.text + "': " + e.what());
  }
  if (option(spec, "sec")) opts.faults.security_event_counter = static_cast<int>(number(spec, "sec", 0, 0, 255));
  return opts;
}
}  // namespace

std::unique_ptr<I2cTransport> open_emulator_transport(const config::DeviceSpec& spec) {
  if (spec.kind == config::DeviceKind::sim_unix) {
    check_options(spec, {"scl"});
    if (!std::filesystem::exists(spec.path))
      throw TransportError("no emulator listens at " + spec.path + ": start one with `optiga-emulator --socket " +
                           spec.path + " --state FILE`");
    return std::make_unique<SocketTransport>(spec.path, number(spec, "scl", 400, 1, 1000));
  }
  sim::SimOptions opts = sim_options(spec);
  // A mistyped path must not silently become a fresh chip with none of the user's keys.
  if (!opts.state_path.empty() && !std::filesystem::exists(opts.state_path) && !flag(spec, "create", false))
    throw TransportError("no emulated chip at " + opts.state_path + ": create one with `optigactl sim create " +
                         opts.state_path + "` (or add ?create=1 to the device string)");
  try {
    return std::make_unique<sim::SimTransport>(sim::make_chip_engine(opts), opts);
  } catch (const std::runtime_error& e) {
    if (dynamic_cast<const Error*>(&e)) throw;
    throw TransportError(e.what());
  }
}

}  // namespace optiga::hal
