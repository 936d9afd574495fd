#include "core/util/yes_no.h"

#include <array>
#include <cctype>
#include <string>

#include "core/util/error.h"

namespace optiga {
namespace {

struct Word {
  std::string_view text;
  bool value;
};

constexpr std::array<Word, 8> words{{{"yes", true},
                                     {"no", false},
                                     {"on", true},
                                     {"off", false},
                                     {"true", true},
                                     {"false", false},
                                     {"1", true},
                                     {"0", false}}};

bool same_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace

bool parse_yes_no(std::string_view value, std::string_view setting) {
  for (const Word& w : words)
    if (same_ignoring_case(value, w.text)) return w.value;
  throw UsageError(std::string(setting) + ": '" + std::string(value) +
                   "' is neither yes nor no; use yes/no, on/off, true/false or 1/0");
}

}  // namespace optiga
