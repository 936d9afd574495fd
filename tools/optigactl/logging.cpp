// optigactl's logger: -v/-vv, else $OPTIGA_LOG_LEVEL, else log_level, else warn. Unlike the
// libraries, a bad setting here is an error (exit 2): the person who typed it is there to fix it.
#include "core/config/log_settings.h"
#include "core/config/settings.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

const Logger& Context::logger() {
  if (!logger_) {
    LogLevel level = default_log_level;
    if (globals_.verbose > 0) {
      level = globals_.verbose == 1 ? LogLevel::debug : LogLevel::trace;
    } else {
      config::SettingsSources sources;
      if (!globals_.config.empty()) sources.explicit_path = globals_.config;
      level = config::resolve_log_level(config::load_settings(sources).file);
    }
    logger_.emplace("optigactl", level);
  }
  return *logger_;
}

}  // namespace optiga::cli
