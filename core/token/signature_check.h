// Host-side checks of signatures made by a chip key (PKCS#11 C_Verify): the signature in the
// front end's form, checked against the key's public key over the same digest the chip signs
// (ecdsa_digest.h), so that what the token signs always verifies here.
#pragma once

#include "core/device/public_key.h"
#include "core/util/bytes.h"

namespace optiga::token {

// r‖s, each of the curve's field size. false for a signature that does not match, and for one
// of the wrong length (callers that must tell the two apart compare the length with
// chip::CurveInfo::raw_signature_bytes() first).
bool verify_raw_signature(const device::CryptoContext& ctx, const device::PublicKey& key, ByteView digest, ByteView raw);

}  // namespace optiga::token
