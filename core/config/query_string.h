// The "?key=value&key=value" tail of a device string. Values are percent-decoded so that a value
// may itself contain '&', '=' or '?' (faults=corrupt%3D0.01).
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace optiga::config {

// Throws optiga::UsageError on a malformed escape, an empty key or a repeated key.
std::map<std::string, std::string> parse_query(std::string_view query);

std::string percent_decode(std::string_view text);

}  // namespace optiga::config
