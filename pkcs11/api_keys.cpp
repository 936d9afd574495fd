// Key generation: C_GenerateKeyPair (CKM_EC_KEY_PAIR_GEN) into a chip key slot.
// The slot comes from CKA_ID (2 bytes, e.g. E0 F1) or CKA_LABEL ("E0F1"); with neither, the
// first empty slot of 0xE0F1..0xE0F3. Occupied slots, the factory key 0xE0F0 and locked slots
// are refused (CKR_ACTION_PROHIBITED): PKCS#11 never replaces a key (optigactl can).
#include <openssl/crypto.h>

#include "core/chip/key_usage.h"
#include "core/token/token.h"
#include "pkcs11/api.h"
#include "pkcs11/mechanisms.h"
#include "pkcs11/template.h"

using namespace optiga;
using namespace optiga::pkcs11;

namespace {

std::optional<std::uint16_t> key_slot_named(const Bytes& id, chip::Model model) {
  if (id.size() != 2) return std::nullopt;
  const auto oid = static_cast<std::uint16_t>((id[0] << 8) | id[1]);
  const auto kind = token::slot_kind(oid, model);
  if (kind != token::SlotKind::ecc_key) return std::nullopt;
  return oid;
}

std::optional<std::uint16_t> key_slot_labelled(const std::string& label, chip::Model model) {
  try {
    const token::SlotRef ref = token::parse_slot(label, model);
    if (ref.kind == token::SlotKind::ecc_key) return ref.oid;
  } catch (const UsageError&) {
  }
  return std::nullopt;
}

std::uint16_t choose_slot(Slot& slot, const Template& pub, const Template& priv) {
  const chip::Model model = slot.device().model();
  auto id = priv.bytes(CKA_ID);
  if (!id) id = pub.bytes(CKA_ID);
  if (id) {
    if (const auto oid = key_slot_named(*id, model)) return *oid;
    fail(CKR_ATTRIBUTE_VALUE_INVALID, "CKA_ID " + to_hex(*id) + " is not a key slot: use E0F1, E0F2 or E0F3");
  }
  auto label = priv.text(CKA_LABEL);
  if (!label) label = pub.text(CKA_LABEL);
  if (label)
    if (const auto oid = key_slot_labelled(*label, model)) return *oid;
  for (const std::uint16_t oid : {0xE0F1, 0xE0F2, 0xE0F3})
    if (!slot.token().key(oid)) return oid;
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
    const auto curve = curve_of_ec_params(*params);
    const chip::Model model = slot.device().model();
    if (!curve || !chip::model_supports(model, *curve)) return CKR_CURVE_NOT_SUPPORTED;
    for (const Template* t : {&pub, &priv}) {
      if (!t->boolean(CKA_TOKEN).value_or(true)) return CKR_TEMPLATE_INCONSISTENT;  // chip keys are token objects
      if (t->ulong(CKA_KEY_TYPE).value_or(CKK_EC) != CKK_EC) return CKR_TEMPLATE_INCONSISTENT;
    }
    if (priv.boolean(CKA_EXTRACTABLE).value_or(false) || !priv.boolean(CKA_SENSITIVE).value_or(true))
      return CKR_TEMPLATE_INCONSISTENT;  // the chip never exports a private key
    if (!s.read_write()) return CKR_SESSION_READ_ONLY;
    if (!slot.user_authorised()) return CKR_USER_NOT_LOGGED_IN;

    const bool derive = priv.boolean(CKA_DERIVE).value_or(false);
    const bool sign = priv.boolean(CKA_SIGN).value_or(!derive);
    if (!sign && !derive) return CKR_TEMPLATE_INCONSISTENT;
    // CKA_SIGN maps to the chip's signing usages (Auth|Sign, the default of every front end),
    // CKA_DERIVE to KeyAgree.
    const std::uint8_t usage = static_cast<std::uint8_t>((sign ? chip::default_key_usage : 0) |
                                                         (derive ? chip::key_usage::key_agreement : 0));
    const std::uint16_t oid = choose_slot(slot, pub, priv);
    try {
      slot.token().generate_key(oid, *curve, usage);
    } catch (const UsageError&) {
      throw_write_error(WriteKind::key_generation);
    }
    auto label = priv.text(CKA_LABEL);
    if (!label) label = pub.text(CKA_LABEL);
    if (label && !key_slot_labelled(*label, model)) {
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
