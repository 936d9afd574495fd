// A command the chip refused: carries the device error code read from 0xF1C2 and its name.
#pragma once

#include <cstdint>
#include <string>

#include "core/chip/ids.h"
#include "core/util/error.h"

namespace optiga::chip {

class ChipError : public Error {
 public:
  // context says what was attempted, e.g. "write 0xE0E1"; the message becomes
  // "write 0xE0E1: chip error 0x07 (access conditions not satisfied)".
  ChipError(std::uint8_t code, const std::string& context);
  std::uint8_t code() const { return code_; }
  std::string_view name() const { return error_name(code_); }

 private:
  std::uint8_t code_;
};

}  // namespace optiga::chip
