#include "core/config/config_file.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/util/error.h"
#include "core/util/log.h"

namespace optiga::config {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r");
  return s.substr(first, last - first + 1);
}

}  // namespace

ConfigFile parse_config_text(std::string_view text, const std::string& origin) {
  ConfigFile config;
  int line_no = 0;
  while (!text.empty()) {
    const auto nl = text.find('\n');
    const std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    const std::string where = origin + ":" + std::to_string(line_no) + ": ";
    const std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;
    const auto eq = line.find('=');
    if (eq == std::string_view::npos) {
      throw UsageError(where + "expected 'key = value', got '" + std::string(line) + "'");
    }
    const std::string key(trim(line.substr(0, eq)));
    std::string_view value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);

    std::optional<std::string>* slot = nullptr;
    if (key == "device") slot = &config.device;
    else if (key == "user_pin") slot = &config.user_pin;
    else if (key == "log_level") slot = &config.log_level;
    else throw UsageError(where + "unknown key '" + key + "'; known keys: device, user_pin, log_level");
    if (slot->has_value()) throw UsageError(where + "'" + key + "' is set twice");
    if (key == "log_level") {
      if (!parse_log_level(value))
        throw UsageError(where + "log_level '" + std::string(value) + "' is not one of " + std::string(log_level_names));
    }
    *slot = std::string(value);
  }
  config.source = origin;
  return config;
}

ConfigFile read_config_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    throw UsageError("cannot read configuration file " + path.string() + ": " + std::strerror(err));
  }
  std::ostringstream content;
  content << in.rdbuf();
  ConfigFile config = parse_config_text(content.str(), path.string());
  config.source = path;
  return config;
}

}  // namespace optiga::config
