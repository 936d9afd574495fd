// Where a front end's settings come from, in one place. One precedence for the device string:
//   explicit argument (--device / the provider's device parameter, or the device= line of a file
//   named by --config / the provider's config parameter) > $OPTIGA_DEVICE > $OPTIGA_CONF's
//   device= > /etc/optiga/optiga.conf's device=
// Only one configuration file is read: the explicit path → $OPTIGA_CONF → /etc/optiga/optiga.conf
// (the last one may be absent; the first two must exist); its other keys (user_pin, log_level)
// apply whichever source gave the device.
// The emulator is never chosen silently: with no device configured, resolve_device() fails and
// says how to configure one. Front ends open the chip through runtime/open_chip.h, which uses this.
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>

#include "core/config/config_file.h"
#include "core/config/device_spec.h"

namespace optiga::config {

// Reads one environment variable; injectable so tests need not touch the process environment.
using EnvLookup = std::function<std::optional<std::string>(const std::string& name)>;
EnvLookup process_environment();

inline const std::filesystem::path system_config_path{"/etc/optiga/optiga.conf"};

struct SettingsSources {
  std::optional<std::string> explicit_device;          // from the caller (--device); beats everything
  std::string explicit_device_origin = "--device";     // how to name it in messages
  std::optional<std::filesystem::path> explicit_path;  // from the caller (--config); must exist
  EnvLookup env = process_environment();
  std::filesystem::path system_path = system_config_path;  // tests point this at a temp file
};

struct Settings {
  ConfigFile file;                 // file.source is empty when no file was found
  std::optional<std::string> device;  // after the $OPTIGA_DEVICE override
  std::string device_origin;       // "--device", "$OPTIGA_DEVICE" or "<file>: device", for messages
};

Settings load_settings(const SettingsSources& sources = {});

// load_settings() + parse_device_string(); throws optiga::UsageError when no device is configured.
DeviceSpec resolve_device(const SettingsSources& sources = {});
DeviceSpec resolve_device(const Settings& settings);

}  // namespace optiga::config
