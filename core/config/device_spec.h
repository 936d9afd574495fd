// Which chip a front end talks to, parsed from one device string (docs/configuration.md):
//   i2c:/dev/i2c-1?addr=0x30&reset=gpiochip0:17   i2c:1
//   ft260:   ft260:SERIAL?addr=0x30&khz=400
//   sim:     sim:/path/chip.state?model=trust-m-v3&scl=1000&timing=off&faults=corrupt%3D0.01
//   sim+unix:/path/sim.sock
// Every front end (PKCS#11 module, OpenSSL provider, tools) parses it here, so one string always
// means the same chip.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace optiga::config {

enum class DeviceKind { i2c, ft260, sim, sim_unix };

// "i2c", "ft260", "sim", "sim+unix": the prefix as the user writes it.
std::string_view to_string(DeviceKind kind);

// A GPIO line on a kernel GPIO character device, written "gpiochip0:17".
struct GpioLine {
  std::string chip;  // "gpiochip0" or a path such as "/dev/gpiochip0"
  unsigned line = 0;
  bool operator==(const GpioLine&) const = default;
};

inline constexpr std::uint8_t default_i2c_address = 0x30;  // both Trust X and Trust M (spec §1.1)

struct DeviceSpec {
  DeviceKind kind = DeviceKind::sim;
  std::string text;      // the string as given, for messages
  std::string path;      // i2c: device node; sim: state file (empty = in memory); sim+unix: socket
  int bus = -1;          // i2c: N of /dev/i2c-N when the path has that form, else -1
  std::uint8_t address = default_i2c_address;  // i2c and ft260
  std::string serial;    // ft260: USB serial number; empty = the first bridge found
  std::optional<GpioLine> reset;  // i2c: the line wired to the chip's RST pin
  std::optional<unsigned> khz;    // ft260: SCL clock to program into the bridge
  // Every query parameter, URL-decoded, including the ones interpreted above. The emulator reads
  // its own parameters (model, scl, timing, faults, ...) from here.
  std::map<std::string, std::string> options;
};

// Throws optiga::UsageError naming what is wrong and what to write instead.
DeviceSpec parse_device_string(std::string_view text);

// Parses a 7-bit I2C address ("0x30", "48"); shared with tools that take --addr.
std::uint8_t parse_i2c_address(std::string_view text);

}  // namespace optiga::config
