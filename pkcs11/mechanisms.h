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

// `curves`: the curves the token's chip can generate (token::Token::curves()).
std::vector<MechanismEntry> mechanisms_for(const std::vector<chip::Algorithm>& curves);
std::optional<CK_MECHANISM_INFO> mechanism_info(const std::vector<chip::Algorithm>& curves, CK_MECHANISM_TYPE type);

// The hash of an ECDSA-with-hash or digest mechanism ("SHA256"); nullptr for others.
const char* digest_name(CK_MECHANISM_TYPE type);
// Mechanisms a key may be used with (CKA_ALLOWED_MECHANISMS), from its usage metadata.
std::vector<CK_MECHANISM_TYPE> allowed_mechanisms(const token::KeyObject& key);

}  // namespace optiga::pkcs11
