#include "core/config/log_settings.h"

#include "core/util/error.h"

namespace optiga::config {

LogLevel file_log_level(const ConfigFile& file) {
  if (!file.log_level) return default_log_level;
  // read_config_file() refused any other word, so this only guards hand-made ConfigFiles.
  return parse_log_level(*file.log_level).value_or(default_log_level);
}

LogLevel resolve_log_level(const ConfigFile& file, const EnvLookup& env) {
  if (auto text = env(log_level_variable); text && !text->empty()) {
    if (auto level = parse_log_level(*text)) return *level;
    throw UsageError(std::string("$") + log_level_variable + " '" + *text + "' is not one of " +
                     std::string(log_level_names));
  }
  return file_log_level(file);
}

Logger library_logger(std::string component, const ConfigFile& file, const EnvLookup& env, LogSink sink) {
  LogLevel level = default_log_level;
  std::string problem;
  try {
    level = resolve_log_level(file, env);
  } catch (const UsageError& e) {
    level = file_log_level(file);
    problem = std::string(e.what()) + "; using log level " + std::string(log_level_name(level));
  }
  Logger logger(std::move(component), level, std::move(sink));
  if (!problem.empty()) logger.warn(problem);
  return logger;
}

}  // namespace optiga::config
