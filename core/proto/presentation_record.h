// Trust M presentation layer (spec §3.3, §4.1) in its unprotected form: a plain record is the
// APDU behind one SCTR byte 0x20. The Shielded Connection handshake and AES-CCM records will
// build on these constants.
#pragma once

#include <cstdint>

#include "core/chip/wire.h"
#include "core/util/bytes.h"

namespace optiga::proto {

namespace sctr = chip::sctr;

enum class PresentationMode {
  automatic,  // use it when I2C_STATE advertises it (bit 23) at open
  on,
  off,
};

Bytes wrap_plain_record(ByteView apdu);
// Returns the APDU inside a plain record; throws ProtocolError for any other SCTR.
Bytes unwrap_plain_record(ByteView record);

}  // namespace optiga::proto
