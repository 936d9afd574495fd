// ECC public keys as the chip speaks them (a DER BIT STRING `03 len 00 04 X Y`, spec §5.5) and the
// host-side checks done with them through a private OpenSSL library context.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <optional>
#include <string>

#include "core/chip/ids.h"
#include "core/util/bytes.h"
#include "core/util/openssl_ptr.h"

namespace optiga::device {

struct PublicKey {
  chip::Algorithm curve = chip::Algorithm::nist_p256;
  Bytes bit_string;    // exactly as GenKeyPair returns it
  std::string source;  // "generated", "0xF1D1", "certificate 0xE0E1", "caller": for error messages
  // The key as OpenSSL holds it, made on first use: building it costs more than a verification,
  // and every signature is verified. Copies share it; a new key is a new PublicKey.
  mutable std::shared_ptr<EVP_PKEY> loaded;
};

// The library context every OpenSSL call of the device layer goes through: the global one
// deadlocks when this code runs inside a PKCS#11 module loaded under a PKCS#11-backed provider.
class CryptoContext {
 public:
  CryptoContext();
  OSSL_LIB_CTX* get() const { return ctx_.get(); }

 private:
  LibCtxPtr ctx_;
};

// The uncompressed point inside a BIT STRING; throws UsageError when it is not `03 len 00 04 ...`.
ByteView point_of(ByteView bit_string);

// The curve the point lies on, among the chip's curves of that size. A BIT STRING does not name
// its curve, and P-256/brainpoolP256r1 points have the same size; a random point lies on both
// only with negligible probability, so the on-curve check decides.
std::optional<chip::Algorithm> detect_curve(const CryptoContext& ctx, ByteView bit_string);

// Whether the BIT STRING holds a valid point of that curve.
bool is_point_on(const CryptoContext& ctx, chip::Algorithm curve, ByteView bit_string);

// The stored forms a public-key object may hold: the bare BIT STRING (what we write) or a
// SubjectPublicKeyInfo (what some other tools write). nullopt if neither parses.
std::optional<PublicKey> parse_stored_public_key(const CryptoContext& ctx, ByteView stored);

// The public key of the first certificate in a certificate object (any format of spec §8.1).
std::optional<PublicKey> public_key_from_certificate_object(const CryptoContext& ctx, ByteView object);

// OpenSSL verification of a DER ECDSA signature over a digest.
bool verify_ecdsa(const CryptoContext& ctx, const PublicKey& key, ByteView digest, ByteView der_signature);

}  // namespace optiga::device
