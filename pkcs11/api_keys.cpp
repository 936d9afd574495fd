// Key generation: C_GenerateKeyPair (CKM_EC_KEY_PAIR_GEN) into a chip key slot.
// The slot comes from CKA_ID (2 bytes, e.g. E0 F1) or CKA_LABEL ("E0F1"); with neither, the
// first empty slot of 0xE0F1..0xE0F3. Occupied slots, the factory key 0xE0F0 and locked slots
// are refused (CKR_ACTION_PROHIBITED): PKCS#11 never replaces a key (optigactl can).
#include <openssl/crypto.h>

#include <algorithm>

#include "core/token/key_encoding.h"
#include "core/token/token.h"
#include "pkcs11/api.h"
#include "pkcs11/mechanisms.h"
#include "pkcs11/template.h"

using namespace optiga;
using namespace optiga::pkcs11;

namespace {

std::uint16_t choose_slot(token::Token& token, const Template& pub, const Template& priv) {
  auto id = priv.bytes(CKA_ID);
  if (!id) id = pub.bytes(CKA_ID);
  if (id) {
    if (const auto oid = token.key_slot_of_id(*id)) return *oid;
    fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_ID " + to_hex(*id) + " is not a key slot: use E0F1, E0F2 or E0F3");
  }
  auto label = priv.text(CKA_LABEL);
  if (!label) label = pub.text(CKA_LABEL);
  if (label)
    if (const auto oid = token.key_slot_of_label(*label)) return *oid;
  if (const auto oid = token.free_key_slot()) return *oid;
  fail(CKR_DEVICE_MEMORY, "every key slot holds a key; name one with CKA_ID to be told why it is refused");
}

}  // namespace

extern "C" {

CK_RV C_GenerateKeyPair(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_ATTRIBUTE_PTR pPublicKeyTemplate,
                        CK_ULONG ulPublicKeyAttributeCount, CK_ATTRIBUTE_PTR pPrivateKeyTemplate,
                        CK_ULONG ulPrivateKeyAttributeCount, CK_OBJECT_HANDLE_PTR phPublicKey,
                        CK_OBJECT_HANDLE_PTR phPrivateKey) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    if (pMechanism == nullptr || phPublicKey == nullptr || phPrivateKey == nullptr) return CKR_ARGUMENTS_BAD;
    const Template pub(pPublicKeyTemplate, ulPublicKeyAttributeCount);
    const Template priv(pPrivateKeyTemplate, ulPrivateKeyAttributeCount);
    if (pMechanism->mechanism != CKM_EC_KEY_PAIR_GEN) return CKR_MECHANISM_INVALID;
    const auto params = pub.bytes(CKA_EC_PARAMS);
    if (!params) return CKR_TEMPLATE_INCOMPLETE;
    const auto curve = token::curve_of_parameters(*params);
    token::Token& token = slot.token();
    const std::vector<chip::Algorithm> curves = token.curves();
    if (!curve || std::ranges::find(curves, *curve) == curves.end()) return CKR_CURVE_NOT_SUPPORTED;
    for (const Template* t : {&pub, &priv}) {
      if (!t->boolean(CKA_TOKEN).value_or(true)) return CKR_TEMPLATE_INCONSISTENT;  // chip keys are token objects
      if (t->ulong(CKA_KEY_TYPE).value_or(CKK_EC) != CKK_EC) return CKR_TEMPLATE_INCONSISTENT;
    }
    if (priv.boolean(CKA_EXTRACTABLE).value_or(false) || !priv.boolean(CKA_SENSITIVE).value_or(true))
      return CKR_TEMPLATE_INCONSISTENT;  // the chip never exports a private key
    if (!s.read_write()) return CKR_SESSION_READ_ONLY;
    if (!slot.user_authorised()) return CKR_USER_NOT_LOGGED_IN;

    // Templates that say nothing about use get the token's default usage; otherwise the token
    // maps signing (the private CKA_SIGN or the public CKA_VERIFY) and key agreement (CKA_DERIVE
    // in either template) to the chip's usages. Templates that contradict each other are refused.
    const auto either = [](std::optional<bool> a, std::optional<bool> b) -> std::optional<std::optional<bool>> {
      if (a && b && *a != *b) return std::nullopt;
      return a ? a : b;
    };
    const auto sign_pair = either(priv.boolean(CKA_SIGN), pub.boolean(CKA_VERIFY));
    const auto derive_pair = either(priv.boolean(CKA_DERIVE), pub.boolean(CKA_DERIVE));
    if (!sign_pair || !derive_pair) return CKR_TEMPLATE_INCONSISTENT;
    const std::optional<bool> sign_attr = *sign_pair;
    const std::optional<bool> derive_attr = *derive_pair;
    std::optional<std::uint8_t> usage;
    if (sign_attr || derive_attr) {
      const bool derive = derive_attr.value_or(false);
      const bool sign = sign_attr.value_or(!derive);
      if (!sign && !derive) return CKR_TEMPLATE_INCONSISTENT;
      usage = token::key_usage_for(sign, derive);
    }
    const std::uint16_t oid = choose_slot(token, pub, priv);
    try {
      token.generate_key(oid, *curve, usage);
    } catch (const UsageError&) {
      throw_write_error(WriteKind::key_generation);
    }
    auto label = priv.text(CKA_LABEL);
    if (!label) label = pub.text(CKA_LABEL);
    if (label && !token.key_slot_of_label(*label)) {
      try {
        slot.labels().set_label(oid, *label);
      } catch (const std::exception& e) {
        ctx.logger().warn(std::string("key generated, label not stored: ") + e.what());
      }
    }
    *phPublicKey = ctx.handle_for(ObjectKey{ObjectKey::Kind::public_key, oid, 0, 0});
    *phPrivateKey = ctx.handle_for(ObjectKey{ObjectKey::Kind::private_key, oid, 0, 0});
    return CKR_OK;
  });
}

}  // extern "C"
