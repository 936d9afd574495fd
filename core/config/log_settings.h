// The log level of a front end, chosen by one rule for all (docs/configuration.md, "Logging"):
//   $OPTIGA_LOG_LEVEL (when set and not empty) > the configuration file's log_level > warn.
// optigactl's -v/-vv come before both; that choice stays in optigactl.
#pragma once

#include "core/config/config_file.h"
#include "core/config/settings.h"
#include "core/util/log.h"

namespace optiga::config {

inline constexpr const char* log_level_variable = "OPTIGA_LOG_LEVEL";

// Throws UsageError when $OPTIGA_LOG_LEVEL is not a level (the file's value was checked when it
// was read). A library front end catches it, warns and keeps the file's level or the default.
LogLevel resolve_log_level(const ConfigFile& file, const EnvLookup& env = process_environment());

// The level the file alone gives (warn without a file or a log_level line).
LogLevel file_log_level(const ConfigFile& file);

// The logger of a library front end (the PKCS#11 module, the OpenSSL provider), named
// `component`. A bad $OPTIGA_LOG_LEVEL is not an error there: the application that loaded the
// library can do nothing about it, and p11-kit and OpenSSL load libraries into programs that never
// asked for them. It is reported as a warning and the file's level (else warn) is used.
Logger library_logger(std::string component, const ConfigFile& file, const EnvLookup& env = process_environment(),
                      LogSink sink = stderr_sink());

}  // namespace optiga::config
