#include "pkcs11/mechanisms.h"


#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>

#include <algorithm>
#include <memory>
#include <string>

#include "core/chip/der.h"
#include "core/util/openssl_ptr.h"

namespace optiga::pkcs11 {
namespace {

constexpr CK_FLAGS ec_flags = CKF_EC_F_P | CKF_EC_NAMEDCURVE | CKF_EC_UNCOMPRESS;

// DER OID of a dotted OID ("1.2.840.10045.3.1.7"); OBJ_* functions use no library context.
Bytes oid_der(std::string_view dotted) {
  Asn1ObjectPtr obj(OBJ_txt2obj(std::string(dotted).c_str(), 1));
  if (!obj) return {};
  unsigned char* buf = nullptr;
  const int len = i2d_ASN1_OBJECT(obj.get(), &buf);
  if (len <= 0) return {};
  Bytes out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

}  // namespace

std::vector<chip::Algorithm> curves_for(chip::Model model) {
  std::vector<chip::Algorithm> out;
  for (const chip::CurveInfo& c : chip::all_curves())
    if (chip::model_supports(model, c.algorithm)) out.push_back(c.algorithm);
  return out;
}

std::vector<MechanismEntry> mechanisms_for(chip::Model model) {
  CK_ULONG min_bits = 0, max_bits = 0;
  for (const auto c : curves_for(model)) {
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

std::optional<CK_MECHANISM_INFO> mechanism_info(chip::Model model, CK_MECHANISM_TYPE type) {
  for (const auto& m : mechanisms_for(model))
    if (m.type == type) return m.info;
  return std::nullopt;
}

Bytes ec_params_of(chip::Algorithm curve) { return oid_der(chip::curve_info(curve).value().oid_dotted); }

std::optional<chip::Algorithm> curve_of_ec_params(ByteView der) {
  for (const chip::CurveInfo& c : chip::all_curves()) {
    const Bytes want = oid_der(c.oid_dotted);
    if (std::equal(want.begin(), want.end(), der.begin(), der.end())) return c.algorithm;
  }
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
