// ECDH: C_DeriveKey with CKM_ECDH1_DERIVE (CKD_NULL). The chip computes the shared secret; the
// result is a session secret-key object whose CKA_SENSITIVE / CKA_EXTRACTABLE follow the
// caller's template (defaults: sensitive, not extractable).
#include <openssl/crypto.h>

#include "core/chip/der.h"
#include "core/util/error.h"
#include "pkcs11/api.h"
#include "pkcs11/objects.h"
#include "pkcs11/template.h"

using namespace optiga;
using namespace optiga::pkcs11;

namespace {

// The peer's point as the chip takes it (BIT STRING 03 len 00 04 X Y). PKCS#11 allows the raw
// point or a DER OCTET STRING holding it.
// The peer's point as PKCS#11 allows it: raw (04 X Y) or wrapped in a DER OCTET STRING. The
// base key's curve tells which: a raw point has exactly 1 + 2 * field bytes.
Bytes peer_bit_string(ByteView public_data, chip::Algorithm curve) {
  ByteView point = public_data;
  const auto info = chip::curve_info(curve);
  const std::size_t raw_size = info ? info->point_bytes() : 0;
  if (point.size() != raw_size && !point.empty() && point[0] == 0x04) {
    try {
      const chip::DerElement e = chip::der_read(point);
      if (e.encoded_size == point.size() && !e.value.empty() && e.value[0] == 0x04) point = e.value;
    } catch (const ParseError&) {
    }
  }
  if (point.empty() || point[0] != 0x04) fail(CKR_MECHANISM_PARAM_INVALID, "peer key is not an uncompressed point");
  Bytes body{0x00};
  append(body, point);
  return chip::der_encode(0x03, body);
}

}  // namespace

extern "C" {

CK_RV C_DeriveKey(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hBaseKey,
                  CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulAttributeCount, CK_OBJECT_HANDLE_PTR phKey) {
  return with_session(hSession, [&](ModuleContext& ctx, Session&, Slot& slot) -> CK_RV {
    if (pMechanism == nullptr || phKey == nullptr) return CKR_ARGUMENTS_BAD;
    const Template t(pTemplate, ulAttributeCount);
    if (pMechanism->mechanism != CKM_ECDH1_DERIVE) return CKR_MECHANISM_INVALID;
    if (pMechanism->pParameter == nullptr || pMechanism->ulParameterLen != sizeof(CK_ECDH1_DERIVE_PARAMS))
      return CKR_MECHANISM_PARAM_INVALID;
    const auto* params = static_cast<const CK_ECDH1_DERIVE_PARAMS*>(pMechanism->pParameter);
    if (params->kdf != CKD_NULL || params->ulSharedDataLen != 0 || params->pPublicData == nullptr)
      return CKR_MECHANISM_PARAM_INVALID;
    if (!slot.user_authorised()) return CKR_USER_NOT_LOGGED_IN;
    ObjectView base;
    try {
      base = resolve(ctx, slot, hBaseKey);
    } catch (const CkError& e) {
      return e.rv() == CKR_OBJECT_HANDLE_INVALID ? CKR_KEY_HANDLE_INVALID : e.rv();
    }
    if (base.key.kind != ObjectKey::Kind::private_key) return CKR_KEY_TYPE_INCONSISTENT;
    if (!base.key_object->can_derive()) return CKR_KEY_FUNCTION_NOT_PERMITTED;
    if (t.ulong(CKA_CLASS).value_or(CKO_SECRET_KEY) != CKO_SECRET_KEY) return CKR_TEMPLATE_INCONSISTENT;
    if (t.boolean(CKA_TOKEN).value_or(false)) return CKR_TEMPLATE_INCONSISTENT;  // session objects only

    const Bytes peer = peer_bit_string(ByteView(params->pPublicData, params->ulPublicDataLen), base.key_object->curve);
    Bytes secret = slot.device().ecdh(base.key_object->oid, peer);
    if (const auto len = t.ulong(CKA_VALUE_LEN)) {
      if (*len == 0 || *len > secret.size()) {
        OPENSSL_cleanse(secret.data(), secret.size());
        return CKR_TEMPLATE_INCONSISTENT;
      }
      secret.resize(*len);
    }
    SecretKeyObject object;
    object.value = std::move(secret);
    object.key_type = t.ulong(CKA_KEY_TYPE).value_or(CKK_GENERIC_SECRET);
    object.sensitive = t.boolean(CKA_SENSITIVE).value_or(true);
    object.extractable = t.boolean(CKA_EXTRACTABLE).value_or(false);
    object.label = t.text(CKA_LABEL).value_or("");
    object.id = t.bytes(CKA_ID).value_or(Bytes{});
    object.session = hSession;
    *phKey = ctx.add_secret(std::move(object));
    return CKR_OK;
  });
}

}  // extern "C"
