// The fields of an X.509 certificate that PKCS#11 exposes as attributes.
#pragma once

#include <optional>

#include "core/device/public_key.h"
#include "core/util/bytes.h"

namespace optiga::pkcs11 {

struct CertFields {
  Bytes subject;  // DER Name
  Bytes issuer;   // DER Name
  Bytes serial;   // DER INTEGER
  Bytes spki;     // DER SubjectPublicKeyInfo
};

// nullopt when the bytes are not exactly one DER certificate.
std::optional<CertFields> cert_fields(const device::CryptoContext& ctx, ByteView der);

}  // namespace optiga::pkcs11
