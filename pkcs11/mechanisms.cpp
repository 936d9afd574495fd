#include "pkcs11/mechanisms.h"

#include <algorithm>

namespace optiga::pkcs11 {
namespace {
constexpr CK_FLAGS ec_flags = CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS;
}  // namespace

std::vector<MechanismEntry> mechanisms_for(const std::vector<chip::Algorithm>& curves) {
  CK_ULONG min_bits = 0, max_bits = 0;
  for (const auto c : curves) {
    const CK_ULONG bits = chip::curve_info(c)->bits;
    min_bits = min_bits == 0 ? bits : std::min(min_bits, bits);
    max_bits = std::max(max_bits, bits);
  }
  const CK_FLAGS sign = CKF_HW | CKF_SIGN | CKF_VERIFY | ec_flags;
  return {
      {CKM_EC_KEY_PAIR_GEN, {min_bits, max_bits, CKF_HW | CKF_GENERATE_KEY_PAIR | ec_flags}},
      {CKM_ECDSA, {min_bits, max_bits, sign}},
      {CKM_ECDSA_SHA256, {min_bits, max_bits, sign}},
      {CKM_ECDSA_SHA384, {min_bits, max_bits, sign}},
      {CKM_ECDSA_SHA512, {min_bits, max_bits, sign}},
      {CKM_ECDH1_DERIVE, {min_bits, max_bits, CKF_HW | CKF_DERIVE | ec_flags}},
      // Hashing runs on the host (the chip's CalcHash is not used).
      {CKM_SHA256, {0, 0, CKF_DIGEST}},
      {CKM_SHA384, {0, 0, CKF_DIGEST}},
      {CKM_SHA512, {0, 0, CKF_DIGEST}},
  };
}

std::optional<CK_MECHANISM_INFO> mechanism_info(const std::vector<chip::Algorithm>& curves, CK_MECHANISM_TYPE type) {
  for (const auto& m : mechanisms_for(curves))
    if (m.type == type) return m.info;
  return std::nullopt;
}

const char* digest_name(CK_MECHANISM_TYPE type) {
  switch (type) {
    case CKM_ECDSA_SHA256:
    case CKM_SHA256: return "SHA256";
    case CKM_ECDSA_SHA384:
    case CKM_SHA384: return "SHA384";
    case CKM_ECDSA_SHA512:
    case CKM_SHA512: return "SHA512";
    default: return nullptr;
  }
}

std::vector<CK_MECHANISM_TYPE> allowed_mechanisms(const token::KeyObject& key) {
  std::vector<CK_MECHANISM_TYPE> out;
  out.reserve(5);
  if (key.can_sign())
    for (const CK_MECHANISM_TYPE m : {CKM_ECDSA, CKM_ECDSA_SHA256, CKM_ECDSA_SHA384, CKM_ECDSA_SHA512}) out.push_back(m);
  if (key.can_derive()) out.push_back(CKM_ECDH1_DERIVE);
  return out;
}

}  // namespace optiga::pkcs11
