// Standard encodings of a slot's public key for tools: SubjectPublicKeyInfo DER and PEM, with a
// named curve (never explicit parameters).
#pragma once

#include <string>

#include "core/device/public_key.h"

namespace optiga::device {

Bytes subject_public_key_info(const PublicKey& key);
Bytes subject_public_key_info(const CryptoContext& ctx, const PublicKey& key);
std::string public_key_pem(const CryptoContext& ctx, const PublicKey& key);

}  // namespace optiga::device
