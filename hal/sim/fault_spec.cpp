#include "hal/sim/fault_spec.h"

#include <charconv>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace optiga::sim {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

[[noreturn]] void bad(std::string_view key, std::string_view why) {
  throw std::invalid_argument("fault spec: " + std::string(why) + " '" + std::string(key) + "'");
}

double probability(std::string_view key, std::string_view value) {
  double p = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), p);
  if (ec != std::errc{} || end != value.data() + value.size() || !(p >= 0.0 && p <= 1.0)) {
    bad(key, "probability out of [0,1] or not a number for");
  }
  return p;
}

template <typename Int>
Int integer(std::string_view key, std::string_view value) {
  Int n{};
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || end != value.data() + value.size()) bad(key, "not an integer for");
  return n;
}

void apply(std::string_view key, std::string_view value, FaultOptions& o) {
  if (key == "corrupt") o.corrupt_to_chip = o.corrupt_from_chip = probability(key, value);
  else if (key == "corrupt_in") o.corrupt_to_chip = probability(key, value);
  else if (key == "corrupt_out") o.corrupt_from_chip = probability(key, value);
  else if (key == "drop") o.drop_to_chip = o.drop_from_chip = probability(key, value);
  else if (key == "drop_in") o.drop_to_chip = probability(key, value);
  else if (key == "drop_out") o.drop_from_chip = probability(key, value);
  else if (key == "nack") o.nack_burst = probability(key, value);
  else if (key == "nack_len") o.nack_burst_length = integer<unsigned>(key, value);
  else if (key == "busy") o.busy = probability(key, value);
  else if (key == "busy_us") o.busy_us = integer<std::uint64_t>(key, value);
  else if (key == "reset") o.reset_mid_command = probability(key, value);
  else if (key == "powerloss") o.power_loss_on_write = probability(key, value);
  else if (key == "sec") {
    const int sec = integer<int>(key, value);
    if (sec < 0 || sec > 255) bad(key, "out of range 0..255:");
    o.security_event_counter = sec;
  } else if (key == "seed") o.seed = integer<std::uint64_t>(key, value);
  else bad(key, "unknown key");
}

}  // namespace

void parse_fault_spec(std::string_view spec, FaultOptions& options) {
  FaultOptions result = options;  // all or nothing: a bad key leaves options untouched
  while (!spec.empty()) {
    const auto comma = spec.find(',');
    const std::string_view item = trim(spec.substr(0, comma));
    spec = comma == std::string_view::npos ? std::string_view{} : spec.substr(comma + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) bad(item, "expected key=value, got");
    apply(trim(item.substr(0, eq)), trim(item.substr(eq + 1)), result);
  }
  options = result;
}

bool apply_env_faults(FaultOptions& options) {
  const char* env = std::getenv("OPTIGA_SIM_FAULTS");
  if (env == nullptr || *env == '\0') return false;
  parse_fault_spec(env, options);
  return true;
}

}  // namespace optiga::sim
