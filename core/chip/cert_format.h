// Certificate storage formats of the certificate objects (spec §8.1): bare DER (first byte 0x30)
// and the 0xC0 "TLS identity" chain. Used by the emulator's factory and by the host token layer.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/error.h"

namespace optiga::chip {

enum class CertFormat { empty, der, tls_identity, usb_type_c, unknown };

// What an interrupted certificate write left (docs/protocol-notes.md "Certificate writes and
// power loss"): neither the old certificate nor the new one. Only writing it again cures it.
class TornCertificateObject : public ParseError {
 public:
  explicit TornCertificateObject(const std::string& detail)
      : ParseError("torn certificate object: " + detail), detail_(detail) {}
  // What shows the tear ("its DER length says 1655 bytes, the object holds 1549").
  const std::string& detail() const { return detail_; }

 private:
  std::string detail_;
};

CertFormat detect_cert_format(ByteView object);
// All certificates stored in the object, first = the slot's own certificate. Empty or
// all-zero content gives an empty list. Bytes after the stored structure are not part of it
// (zero padding, or the tail of an interrupted longer write that left this one whole).
// Throws TornCertificateObject when the object starts with 0x00 but is not all zero (a write
// that commits its first bytes last was cut before them) or when the outer DER or 0xC0 length
// runs past the bytes stored (a write that wrote its first bytes first was cut after them);
// optiga::ParseError on other malformed headers (lengths that disagree) or an unsupported format.
std::vector<Bytes> parse_certificate_object(ByteView object);
// How many leading bytes the stored certificate structure occupies (0 for an empty object);
// nullopt when the object holds no readable certificate structure (torn, unknown format).
std::optional<std::size_t> certificate_object_extent(ByteView object);
// C0 ‖ L(2) ‖ chainLen(3) ‖ {certLen(3) ‖ cert}+ for the given chain. Throws optiga::UsageError
// for an empty chain, an empty certificate or a chain too long for the format.
Bytes build_tls_identity(const std::vector<Bytes>& chain);

}  // namespace optiga::chip
