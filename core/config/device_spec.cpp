#include "core/config/device_spec.h"

#include <charconv>
#include <cstdio>
#include <set>

#include "core/config/query_string.h"
#include "core/util/error.h"

namespace optiga::config {
namespace {

constexpr std::string_view kinds_hint = "use i2c:, ft260:, sim: or sim+unix:";

std::string hex2(unsigned v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

std::optional<unsigned> parse_unsigned(std::string_view text, int base) {
  unsigned value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value, base);
  if (text.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

// Typos in option names would otherwise be ignored silently (addres=0x31 talks to 0x30).
void check_known_options(const DeviceSpec& spec, const std::set<std::string_view>& known) {
  for (const auto& [key, value] : spec.options) {
    if (known.contains(key)) continue;
    std::string list;
    for (auto k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    throw UsageError("unknown option '" + key + "' for " + std::string(to_string(spec.kind)) +
                     ": devices; known options: " + list);
  }
}

GpioLine parse_gpio_line(std::string_view text) {
  const auto colon = text.rfind(':');
  const std::string hint = "; write reset=gpiochip0:17 (GPIO chip, a colon, the line offset)";
  if (colon == std::string_view::npos || colon == 0) {
    throw UsageError("reset line '" + std::string(text) + "' names no GPIO chip" + hint);
  }
  const auto line = parse_unsigned(text.substr(colon + 1), 10);
  if (!line) throw UsageError("reset line '" + std::string(text) + "' has no line number" + hint);
  return GpioLine{std::string(text.substr(0, colon)), *line};
}

void parse_i2c(DeviceSpec& spec, std::string_view location) {
  if (location.empty()) {
    throw UsageError("'" + spec.text + "' names no I2C bus: write i2c:/dev/i2c-1 or i2c:1");
  }
  if (const auto bus = parse_unsigned(location, 10)) {
    spec.bus = static_cast<int>(*bus);
    spec.path = "/dev/i2c-" + std::to_string(*bus);
  } else if (location.front() == '/') {
    spec.path = std::string(location);
    constexpr std::string_view prefix = "/dev/i2c-";
    if (location.starts_with(prefix)) {
      if (const auto bus = parse_unsigned(location.substr(prefix.size()), 10)) spec.bus = static_cast<int>(*bus);
    }
  } else {
    throw UsageError("'" + std::string(location) + "' is neither a device node nor a bus number: write i2c:/dev/i2c-1 or i2c:1");
  }
  check_known_options(spec, {"addr", "reset"});
  if (auto it = spec.options.find("reset"); it != spec.options.end()) spec.reset = parse_gpio_line(it->second);
}

void parse_ft260(DeviceSpec& spec, std::string_view location) {
  spec.serial = std::string(location);
  check_known_options(spec, {"addr", "khz", "reset"});
  if (auto it = spec.options.find("khz"); it != spec.options.end()) {
    const auto khz = parse_unsigned(it->second, 10);
    if (!khz || *khz < 60 || *khz > 3400) {
      throw UsageError("khz=" + it->second + " is not a clock the FT260 can make: use 60…3400 (kHz), e.g. khz=400");
    }
    spec.khz = *khz;
  }
  if (auto it = spec.options.find("reset"); it != spec.options.end() && it->second != "dio9" && it->second != "none") {
    throw UsageError("reset=" + it->second + " is not an FT260 reset line: use reset=dio9 (the default, GPIOF) or reset=none");
  }
}

}  // namespace

std::string_view to_string(DeviceKind kind) {
  switch (kind) {
    case DeviceKind::i2c: return "i2c";
    case DeviceKind::ft260: return "ft260";
    case DeviceKind::sim: return "sim";
    case DeviceKind::sim_unix: return "sim+unix";
  }
  return "?";
}

std::uint8_t parse_i2c_address(std::string_view text) {
  std::optional<unsigned> value;
  if (text.starts_with("0x") || text.starts_with("0X")) {
    value = parse_unsigned(text.substr(2), 16);
  } else {
    value = parse_unsigned(text, 10);
  }
  if (!value) {
    throw UsageError("address '" + std::string(text) + "' is not a number: write it in hex like addr=0x30");
  }
  if (*value > 0x7F) {
    throw UsageError("address " + hex2(*value) + " is not a 7-bit I2C address: use 0x08…0x77 (the OPTIGA default is 0x30)");
  }
  // 0x00-0x07 and 0x78-0x7F are reserved (general call, 10-bit prefix, ...): no chip answers there.
  if (*value < 0x08 || *value > 0x77) {
    throw UsageError("address " + hex2(*value) + " is reserved by the I2C specification: use 0x08…0x77 (the OPTIGA default is 0x30)");
  }
  return static_cast<std::uint8_t>(*value);
}

DeviceSpec parse_device_string(std::string_view text) {
  DeviceSpec spec;
  spec.text = std::string(text);
  const auto colon = text.find(':');
  if (text.empty()) {
    throw UsageError("empty device string: write e.g. i2c:/dev/i2c-1, ft260:, sim: or sim+unix:/path/sim.sock");
  }
  if (colon == std::string_view::npos) {
    const std::string guess = text.starts_with("/dev/i2c") ? "i2c:" + std::string(text) : "i2c:/dev/i2c-1";
    throw UsageError("device string '" + std::string(text) + "' has no kind: write " + guess +
                     " (or ft260:, sim:, sim+unix:)");
  }
  const std::string_view kind = text.substr(0, colon);
  std::string_view rest = text.substr(colon + 1);
  std::string_view location = rest.substr(0, rest.find('?'));
  if (const auto q = rest.find('?'); q != std::string_view::npos) spec.options = parse_query(rest.substr(q + 1));

  if (kind == "i2c") {
    spec.kind = DeviceKind::i2c;
    parse_i2c(spec, location);
  } else if (kind == "ft260") {
    spec.kind = DeviceKind::ft260;
    parse_ft260(spec, location);
  } else if (kind == "sim") {
    // The emulator interprets its own options; it lives in hal/sim and may grow new ones.
    spec.kind = DeviceKind::sim;
    spec.path = percent_decode(location);
  } else if (kind == "sim+unix") {
    spec.kind = DeviceKind::sim_unix;
    spec.path = percent_decode(location);
    if (spec.path.empty()) {
      throw UsageError("'" + spec.text + "' names no socket: write sim+unix:/run/optiga/sim.sock");
    }
  } else {
    throw UsageError("unknown device kind '" + std::string(kind) + "'; " + std::string(kinds_hint));
  }
  if (auto it = spec.options.find("addr"); it != spec.options.end()) spec.address = parse_i2c_address(it->second);
  return spec;
}

}  // namespace optiga::config
