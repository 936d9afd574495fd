// The small file genpkey writes for a key generated in the chip: which slot, and the public key it
// had then (so a file outliving its key is caught). PEM "OPTIGA KEY REFERENCE" around
//   SEQUENCE { UTF8String "OPTIGA key reference", INTEGER 1, OCTET STRING slot (2 bytes),
//              BIT STRING public key }
#pragma once

#include <optional>

#include "core/util/bytes.h"

namespace optiga::provider {

inline constexpr const char* reference_pem_label = "OPTIGA KEY REFERENCE";
// The DECODER structure name of its DER form.
inline constexpr const char* reference_structure = "OptigaKeyReference";

struct ReferenceFile {
  std::uint16_t slot = 0;
  Bytes public_point;  // uncompressed point 04 X Y (stored as a BIT STRING)
};

Bytes encode_reference(const ReferenceFile& ref);
// nullopt when the bytes are not a reference (another decoder's business).
std::optional<ReferenceFile> decode_reference(ByteView der);

}  // namespace optiga::provider
