// Certificate storage formats of the certificate objects (spec §8.1): bare DER (first byte 0x30)
// and the 0xC0 "TLS identity" chain. Used by the emulator's factory and by the host token layer.
#pragma once

#include <vector>

#include "core/util/bytes.h"

namespace optiga::chip {

enum class CertFormat { empty, der, tls_identity, usb_type_c, unknown };

CertFormat detect_cert_format(ByteView object);
// All certificates stored in the object, first = the slot's own certificate. Empty or
// all-zero content gives an empty list. Throws optiga::ParseError on a malformed 0xC0
// header (lengths that disagree or run past the end) or an unsupported format.
std::vector<Bytes> parse_certificate_object(ByteView object);
// C0 ‖ L(2) ‖ chainLen(3) ‖ {certLen(3) ‖ cert}+ for the given chain. Throws optiga::UsageError
// for an empty chain, an empty certificate or a chain too long for the format.
Bytes build_tls_identity(const std::vector<Bytes>& chain);

}  // namespace optiga::chip
