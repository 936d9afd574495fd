// ECDH: C_DeriveKey with CKM_ECDH1_DERIVE (CKD_NULL). The chip computes the shared secret; the
// result is a session secret-key object whose CKA_SENSITIVE / CKA_EXTRACTABLE follow the
// caller's template (defaults: sensitive, not extractable).
#include <openssl/crypto.h>

#include "core/chip/chip_error.h"
#include "core/token/key_encoding.h"
#include "pkcs11/api.h"
#include "pkcs11/objects.h"
#include "pkcs11/template.h"

using namespace optiga;
using namespace optiga::pkcs11;

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

    // PKCS#11 gives the peer's point raw or in a DER OCTET STRING; the token reads either.
    token::PublicKey peer;
    try {
      peer = token::parse_peer_key(ByteView(params->pPublicData, params->ulPublicDataLen), base.key_object->curve);
    } catch (const UsageError& e) {
      fail(CKR_MECHANISM_PARAM_INVALID, e.what());
    }
    Bytes secret;
    try {
      secret = slot.token().derive(base.key_object->oid, peer);
    } catch (const chip::ChipError& e) {
      // A peer point off the curve is the caller's mechanism parameter, whether the host's check
      // (UsageError) or the chip's (0x05) finds it.
      if (e.code() == chip::err::invalid_parameter_in_data) fail(CKR_MECHANISM_PARAM_INVALID, e.what());
      throw;
    } catch (const UsageError& e) {
      fail(CKR_MECHANISM_PARAM_INVALID, e.what());
    }
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
