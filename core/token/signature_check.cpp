#include "core/token/signature_check.h"

#include <stdexcept>

#include "core/chip/der.h"
#include "core/token/ecdsa_digest.h"
#include "core/util/error.h"

namespace optiga::token {

bool verify_raw_signature(const device::CryptoContext& ctx, const device::PublicKey& key, ByteView digest, ByteView raw) {
  const auto info = chip::curve_info(key.curve);
  if (!info || raw.size() != info->raw_signature_bytes()) return false;
  Bytes der;
  try {
    der = chip::ecdsa_chip_to_der(chip::ecdsa_raw_to_chip(raw));
  } catch (const Error&) {
    return false;  // r or s is zero (UsageError, ParseError): no valid signature
  }
  return device::verify_ecdsa(ctx, key, ecdsa_digest_for_chip(digest, key.curve), der);
}

}  // namespace optiga::token
