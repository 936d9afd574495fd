// What the command layer needs from the protocol stack: send one command APDU, get its response.
#pragma once

#include "core/util/bytes.h"

namespace optiga::proto {

class ApduChannel {
 public:
  virtual ~ApduChannel() = default;
  // Sends a complete command APDU (Cmd|Param|InLen|InData) and returns the complete response
  // APDU (Sta|UnDef|OutLen|OutData). Throws ProtocolError/TransportError when the link fails.
  virtual Bytes transceive(ByteView apdu) = 0;
  // Resets the chip (reset line if the transport has one, else the soft-reset register) and
  // re-negotiates the link. The application is closed afterwards.
  virtual void reset() = 0;
};

}  // namespace optiga::proto
