// Key and certificate inspection the engine needs beyond SimCrypto: the private scalar for
// GenKeyPair export and the public key of a certificate for VerifySign. Uses its own
// OSSL_LIB_CTX so the emulator never touches the application's OpenSSL setup.
#pragma once

#include <memory>
#include <optional>

#include "core/chip/ids.h"
#include "core/util/bytes.h"

namespace optiga::sim {

struct CertificateKey {
  std::optional<chip::Algorithm> algorithm;  // nullopt: not an EC key on a curve the chip knows
  Bytes public_bitstring;                    // 03 len 00 04 X Y
};

class KeyInspector {
 public:
  KeyInspector();
  ~KeyInspector();
  KeyInspector(const KeyInspector&) = delete;
  KeyInspector& operator=(const KeyInspector&) = delete;

  // The private scalar d of a PKCS#8 key, left-padded to field_bytes. Throws optiga::UsageError.
  Bytes private_scalar(ByteView private_der, unsigned field_bytes);
  // nullopt when der is not a parsable X.509 certificate.
  std::optional<CertificateKey> certificate_key(ByteView der);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// DER BIT STRING (0 unused bits) around an encoded point.
Bytes bitstring_of(ByteView point);

}  // namespace optiga::sim
