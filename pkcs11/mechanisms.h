// The mechanism table, by chip model: what is listed is what works (architecture, "Behaviour
// generic clients rely on"), and the same table decides what C_*Init accept.
#pragma once

#include <optional>
#include <vector>

#include "core/chip/ids.h"
#include "core/token/token.h"
#include "core/util/bytes.h"
#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

struct MechanismEntry {
  CK_MECHANISM_TYPE type;
  CK_MECHANISM_INFO info;
};

std::vector<MechanismEntry> mechanisms_for(chip::Model model);
std::optional<CK_MECHANISM_INFO> mechanism_info(chip::Model model, CK_MECHANISM_TYPE type);

// The ECC curves this model can generate, in a stable order.
std::vector<chip::Algorithm> curves_for(chip::Model model);
// CKA_EC_PARAMS: the DER OID of the named curve.
Bytes ec_params_of(chip::Algorithm curve);
// The named curve of a CKA_EC_PARAMS value (an OID; explicit parameters are not accepted).
std::optional<chip::Algorithm> curve_of_ec_params(ByteView der);

// The hash of an ECDSA-with-hash or digest mechanism ("SHA256"); nullptr for others.
const char* digest_name(CK_MECHANISM_TYPE type);
// Mechanisms a key may be used with (CKA_ALLOWED_MECHANISMS), from its usage metadata.
std::vector<CK_MECHANISM_TYPE> allowed_mechanisms(const token::KeyObject& key);

}  // namespace optiga::pkcs11
