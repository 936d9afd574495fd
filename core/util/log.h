// Leveled diagnostic lines on stderr, one per event, prefixed with the front end's name:
//
//   optiga-pkcs11: debug: C_Sign: CKR_KEY_HANDLE_INVALID (0x60): no such object
//
// Levels, from quiet to loud: error, warn, info, debug, trace (trace adds every APDU, with
// secrets redacted: core/cmd/apdu_trace.h). The level comes from $OPTIGA_LOG_LEVEL, else the
// configuration file's log_level, else warn (core/config/log_settings.h, docs/configuration.md).
//
// Why a value and not a global: the project keeps no mutable global state outside one context
// object. Each front end builds one Logger at start-up and keeps it in its context (the PKCS#11
// ModuleContext, the provider's ProviderContext, optigactl's Context); the layers below get a
// copy (Device::set_logger → CommandSession). A Logger never changes after construction, so
// copies are shared between threads without a lock; the stderr sink writes each line with a
// single write(2), which POSIX keeps whole for lines up to PIPE_BUF, so lines of threads and
// processes sharing a stderr do not interleave.
//
// Never hand it a PIN, a secret or key material: messages are written as given (newlines and
// other control characters become spaces, so one event is always one line).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace optiga {

enum class LogLevel { error, warn, info, debug, trace };

inline constexpr LogLevel default_log_level = LogLevel::warn;
// For messages that list the accepted words.
inline constexpr std::string_view log_level_names = "error, warn, info, debug, trace";

// "debug" → LogLevel::debug; nullopt for anything else (exact, lower-case words only).
std::optional<LogLevel> parse_log_level(std::string_view text);
std::string_view log_level_name(LogLevel level);

// Receives one finished line, ending in '\n'.
using LogSink = std::function<void(std::string_view line)>;
// Writes each line to file descriptor 2 with one write(2).
LogSink stderr_sink();

class Logger {
 public:
  // Silent: a layer that was given no logger says nothing.
  Logger() = default;
  Logger(std::string component, LogLevel level, LogSink sink = stderr_sink());

  // Whether a line at `level` would be written; check it before building an expensive message.
  bool enabled(LogLevel level) const { return sink_ && level <= level_; }
  LogLevel level() const { return level_; }
  const std::string& component() const { return component_; }

  // "<component>: <level>: <message>\n", if enabled.
  void log(LogLevel level, std::string_view message) const;
  void error(std::string_view message) const { log(LogLevel::error, message); }
  void warn(std::string_view message) const { log(LogLevel::warn, message); }
  void info(std::string_view message) const { log(LogLevel::info, message); }
  void debug(std::string_view message) const { log(LogLevel::debug, message); }
  void trace(std::string_view message) const { log(LogLevel::trace, message); }

 private:
  std::string component_;
  LogLevel level_ = LogLevel::error;
  LogSink sink_;  // empty: silent
};

}  // namespace optiga
