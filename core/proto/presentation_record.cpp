#include "core/proto/presentation_record.h"

#include <string>

#include "core/util/error.h"

namespace optiga::proto {

Bytes wrap_plain_record(ByteView apdu) {
  Bytes out;
  out.reserve(apdu.size() + 1);
  out.push_back(sctr::plain_record);
  append(out, apdu);
  return out;
}

Bytes unwrap_plain_record(ByteView record) {
  if (record.empty()) throw ProtocolError("empty presentation-layer record from OPTIGA");
  if (record[0] != sctr::plain_record) {
    throw ProtocolError("OPTIGA answered with presentation-layer SCTR 0x" + to_hex(record.first(1)) +
                        " instead of a plain record (0x20)");
  }
  return Bytes(record.begin() + 1, record.end());
}

}  // namespace optiga::proto
