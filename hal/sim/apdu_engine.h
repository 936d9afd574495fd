// The seam inside the emulator between the I2C/link side (register file, frames, chaining) and
// the chip's application (APDU execution, objects, keys). The link side calls execute() once a
// complete command APDU has been reassembled and the presentation byte removed.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"

namespace optiga::sim {

struct ApduResult {
  Bytes response;            // Sta|UnDef|OutLen|OutData
  std::uint64_t latency_us;  // modelled execution time of this command on the chip
};

class ApduEngine {
 public:
  virtual ~ApduEngine() = default;
  // now_us is the modelled time at which the command starts (the security monitor uses it).
  virtual ApduResult execute(ByteView apdu, std::uint64_t now_us) = 0;
  // Any chip reset (power, reset line, soft reset): application closed, volatile state cleared.
  virtual void reset() = 0;
};

}  // namespace optiga::sim
