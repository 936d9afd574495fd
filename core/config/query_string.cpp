#include "core/config/query_string.h"

#include "core/util/bytes.h"
#include "core/util/error.h"

namespace optiga::config {
std::string percent_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const bool complete = i + 2 < text.size();
    const int hi = complete ? hex_digit_value(text[i + 1]) : -1;
    const int lo = complete ? hex_digit_value(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      throw UsageError("bad escape '" + std::string(text.substr(i, 3)) + "' in '" + std::string(text) +
                       "': write %XX with two hex digits (%3D for '=', %26 for '&', %25 for '%')");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view query) {
  std::map<std::string, std::string> options;
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    if (item.empty()) continue;  // tolerate "a=1&&b=2" and a trailing '&'
    const auto eq = item.find('=');
    if (eq == std::string_view::npos) {
      throw UsageError("option '" + std::string(item) + "' has no value: write " + std::string(item) +
                       "=VALUE");
    }
    std::string key = percent_decode(item.substr(0, eq));
    if (key.empty()) throw UsageError("option '" + std::string(item) + "' has no name: write NAME=VALUE");
    if (options.contains(key)) throw UsageError("option '" + key + "' is given twice");
    options.emplace(std::move(key), percent_decode(item.substr(eq + 1)));
  }
  return options;
}

}  // namespace optiga::config
