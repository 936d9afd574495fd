// The configuration file shared by every front end (docs/configuration.md):
//
//   # /etc/optiga/optiga.conf
//   device    = i2c:/dev/i2c-1?addr=0x30
//   user_pin  = 1234
//   log_level = info
//
// One "key = value" per line; '#' or ';' starts a comment line; blank lines are ignored; values
// may be wrapped in double quotes to keep leading or trailing blanks. Unknown keys are errors so a
// typo never falls back to a default silently.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace optiga::config {

struct ConfigFile {
  std::optional<std::string> device;     // a device string, see device_spec.h
  std::optional<std::string> user_pin;   // for token login (not used by the transports)
  std::optional<std::string> log_level;  // error, warn, info, debug, trace
  std::filesystem::path source;          // where it was read from; empty if no file was found
};

// `origin` names the text in messages ("/etc/optiga/optiga.conf:3: ...").
// Throws optiga::UsageError on a syntax error, an unknown key or a bad log level.
ConfigFile parse_config_text(std::string_view text, const std::string& origin);

// Reads and parses one file; throws optiga::UsageError if it cannot be read.
ConfigFile read_config_file(const std::filesystem::path& path);

}  // namespace optiga::config
