// What a token says about its chip, for PKCS#11 C_GetTokenInfo and tools: the model, a serial
// derived from the UID, the firmware version. Whether the chip is emulated is not a chip fact but
// the configuration's (config::DeviceSpec, known before the chip is opened), so it is not here.
#pragma once

#include <cstdint>
#include <string>

#include "core/chip/ids.h"

namespace optiga::token {

struct TokenInfo {
  chip::Model model = chip::Model::trust_m_v3;
  std::string model_name;        // "Trust M V3": chip::model_name without the "OPTIGA " prefix
  std::string serial;            // UID batch ‖ wafer position, hex (at most 16 characters)
  // The token's label, "OPTIGA Trust M V3 000B00C0": the serial's tail keeps two chips from sharing
  // a label (PKCS#11 URIs select tokens by label). The PKCS#11 token and `optigactl info` say it.
  std::string label;
  std::string firmware_version;  // "3.00.2440", or "build 0xNNNN" for an unknown build
  std::uint8_t firmware_major = 0;  // 3 of "3.00.2440"; 0 when unknown
  std::uint8_t firmware_minor = 0;  // 0 of "3.00.2440"
};

}  // namespace optiga::token
