#include "core/chip/chip_error.h"

#include <cstdio>

namespace optiga::chip {

namespace {
std::string describe(std::uint8_t code, const std::string& context) {
  char hex[8];
  std::snprintf(hex, sizeof hex, "0x%02X", code);
  std::string msg = context.empty() ? std::string() : context + ": ";
  return msg + "chip error " + hex + " (" + std::string(error_name(code)) + ")";
}
}  // namespace

ChipError::ChipError(std::uint8_t code, const std::string& context)
    : Error(describe(code, context)), code_(code) {}

}  // namespace optiga::chip
