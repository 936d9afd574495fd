#include "core/config/settings.h"

#include <cstdlib>
#include <system_error>

#include "core/util/error.h"

namespace optiga::config {

EnvLookup process_environment() {
  return [](const std::string& name) -> std::optional<std::string> {
    // getenv is read-only here; nothing in the project calls setenv after start-up.
    const char* value = std::getenv(name.c_str());
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
}

Settings load_settings(const SettingsSources& sources) {
  Settings settings;
  std::optional<std::filesystem::path> path = sources.explicit_path;
  if (!path) {
    if (auto conf = sources.env("OPTIGA_CONF"); conf && !conf->empty()) path = *conf;
  }
  if (path) {
    // Named explicitly: a missing file is an error, not a reason to fall back.
    settings.file = read_config_file(*path);
  } else {
    std::error_code ec;
    if (std::filesystem::exists(sources.system_path, ec)) settings.file = read_config_file(sources.system_path);
  }
  const bool file_device = settings.file.device && !settings.file.device->empty();
  const auto env_device = sources.env("OPTIGA_DEVICE");
  if (sources.explicit_device && !sources.explicit_device->empty()) {
    settings.device = sources.explicit_device;
    settings.device_origin = sources.explicit_device_origin;
  } else if (file_device && sources.explicit_path) {
    // A file the caller named is as explicit as --device: it beats the environment.
    settings.device = settings.file.device;
    settings.device_origin = settings.file.source.string() + ": device";
  } else if (env_device && !env_device->empty()) {
    settings.device = *env_device;
    settings.device_origin = "$OPTIGA_DEVICE";
  } else if (file_device) {
    settings.device = settings.file.device;
    settings.device_origin = settings.file.source.string() + ": device";
  }
  return settings;
}

DeviceSpec resolve_device(const Settings& settings) {
  if (!settings.device) {
    std::string where = settings.file.source.empty() ? "/etc/optiga/optiga.conf" : settings.file.source.string();
    throw UsageError("no OPTIGA device configured: set OPTIGA_DEVICE (e.g. i2c:/dev/i2c-1) or device= in " + where +
                     " (to use the emulator, name it: OPTIGA_DEVICE=sim:)");
  }
  try {
    return parse_device_string(*settings.device);
  } catch (const UsageError& e) {
    throw UsageError(std::string(e.what()) + " (device string from " + settings.device_origin + ")");
  }
}

DeviceSpec resolve_device(const SettingsSources& sources) { return resolve_device(load_settings(sources)); }

}  // namespace optiga::config
