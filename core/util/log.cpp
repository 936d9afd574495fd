#include "core/util/log.h"

#include <unistd.h>

#include <array>
#include <cerrno>

namespace optiga {
namespace {

constexpr std::array<std::string_view, 5> names{"error", "warn", "info", "debug", "trace"};

}  // namespace

std::optional<LogLevel> parse_log_level(std::string_view text) {
  for (std::size_t i = 0; i < names.size(); ++i)
    if (text == names[i]) return static_cast<LogLevel>(i);
  return std::nullopt;
}

std::string_view log_level_name(LogLevel level) { return names.at(static_cast<std::size_t>(level)); }

LogSink stderr_sink() {
  return [](std::string_view line) {
    // One write(2) per line (see log.h); a short write to a full pipe is finished in pieces
    // rather than lost.
    while (!line.empty()) {
      const ssize_t n = ::write(STDERR_FILENO, line.data(), line.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return;  // stderr closed: nothing better to do with a diagnostic
      line.remove_prefix(static_cast<std::size_t>(n));
    }
  };
}

Logger::Logger(std::string component, LogLevel level, LogSink sink)
    : component_(std::move(component)), level_(level), sink_(std::move(sink)) {}

void Logger::log(LogLevel level, std::string_view message) const {
  if (!enabled(level)) return;
  std::string line;
  line.reserve(component_.size() + message.size() + 10);
  line.append(component_).append(": ").append(log_level_name(level)).append(": ");
  for (const char c : message) line.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7F ? ' ' : c);
  line.push_back('\n');
  sink_(line);
}

}  // namespace optiga
