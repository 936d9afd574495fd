#include "core/token/token_info.h"

#include <cstdio>

#include "core/token/token.h"

namespace optiga::token {

TokenInfo Token::info() {
  device::Device::Operation op(device_);
  const chip::Uid uid = device_.uid();
  TokenInfo info;
  info.model = device_.model();
  info.model_name = std::string(chip::model_name(info.model));
  if (info.model_name.rfind("OPTIGA ", 0) == 0) info.model_name.erase(0, 7);
  info.serial = uid.serial();
  const std::string tail = info.serial.size() > 8 ? info.serial.substr(info.serial.size() - 8) : info.serial;
  info.label = "OPTIGA " + info.model_name + " " + tail;
  info.firmware_version = uid.firmware_version();
  unsigned major = 0, minor = 0;
  if (std::sscanf(info.firmware_version.c_str(), "%u.%u", &major, &minor) == 2) {
    info.firmware_major = static_cast<std::uint8_t>(major);
    info.firmware_minor = static_cast<std::uint8_t>(minor);
  }
  return info;
}

chip::Model Token::model() { return device_.model(); }

}  // namespace optiga::token
