// The one reader of yes/no words, for every setting that is on or off: provider parameters
// (optiga-replace, rand), device-string options and configuration values. One list of words so
// that `on` means the same everywhere.
#pragma once

#include <string_view>

namespace optiga {

// Accepts exactly yes/no, on/off, true/false and 1/0, in any letter case. Throws
// optiga::UsageError naming the setting, the value and the accepted words otherwise.
bool parse_yes_no(std::string_view value, std::string_view setting);

}  // namespace optiga
