// A chip key's public key in the encodings the front ends hand out, and the one parser of the
// public keys they receive (an ECDH peer). The chip speaks a DER BIT STRING (03 len 00 04 X Y);
// PKCS#11 wants CKA_EC_POINT (OCTET STRING), CKA_EC_PARAMS (the curve's OID) and
// CKA_PUBLIC_KEY_INFO (SubjectPublicKeyInfo); OpenSSL wants the bare point and SPKI. All of them
// are made here, so no front end knows the chip's form.
#pragma once

#include <optional>

#include "core/chip/ids.h"
#include "core/device/public_key.h"
#include "core/util/bytes.h"

namespace optiga::token {

// 04 ‖ X ‖ Y.
Bytes uncompressed_point(const device::PublicKey& key);
// CKA_EC_POINT: the uncompressed point in a DER OCTET STRING.
Bytes ec_point_octet_string(const device::PublicKey& key);
// SubjectPublicKeyInfo DER with the named curve (never explicit parameters).
Bytes subject_public_key_info(const device::PublicKey& key);
// The curve's ECParameters as a named curve: the DER OID (CKA_EC_PARAMS).
Bytes curve_parameters(chip::Algorithm curve);
// The chip curve a DER OID names; nullopt for any other curve and for explicit parameters.
std::optional<chip::Algorithm> curve_of_parameters(ByteView der);

// A public key on `curve` from an uncompressed point 04 X Y (OpenSSL's form).
// Throws UsageError when it is not an uncompressed point of the curve's size.
device::PublicKey public_key_from_point(chip::Algorithm curve, ByteView point);

// An ECDH peer's public key in any form a front end receives: the raw uncompressed point, a DER
// OCTET STRING holding it (PKCS#11 allows both), a SubjectPublicKeyInfo (its curve must be
// `curve`) or the chip's BIT STRING. The point's size is checked against the curve; whether the
// point lies on the curve is checked by the derivation. Throws UsageError for anything else.
device::PublicKey parse_peer_key(ByteView data, chip::Algorithm curve);

}  // namespace optiga::token
