#include "pkcs11/objects.h"

#include "core/token/key_encoding.h"
#include "pkcs11/cert_fields.h"
#include "pkcs11/errors.h"
#include "pkcs11/mechanisms.h"
#include "pkcs11/template.h"

namespace optiga::pkcs11 {
namespace {

using Kind = ObjectKey::Kind;

Bytes mechanism_array(const std::vector<CK_MECHANISM_TYPE>& list) {
  Bytes out;
  for (const auto m : list) append(out, ck_ulong(m));
  return out;
}

void common_storage(AttributeMap& a, bool token, bool is_private, bool modifiable, const std::string& label,
                    bool destroyable) {
  a[CKA_TOKEN] = {ck_bool(token)};
  a[CKA_PRIVATE] = {ck_bool(is_private)};
  a[CKA_MODIFIABLE] = {ck_bool(modifiable)};
  a[CKA_COPYABLE] = {ck_bool(false)};
  a[CKA_DESTROYABLE] = {ck_bool(destroyable)};
  a[CKA_LABEL] = {ck_text(label)};
}

void key_common(AttributeMap& a, CK_KEY_TYPE type, const Bytes& id, bool local, CK_MECHANISM_TYPE gen,
                const std::vector<CK_MECHANISM_TYPE>& allowed, bool derive) {
  a[CKA_KEY_TYPE] = {ck_ulong(type)};
  a[CKA_ID] = {id};
  a[CKA_START_DATE] = {{}};
  a[CKA_END_DATE] = {{}};
  a[CKA_DERIVE] = {ck_bool(derive)};
  a[CKA_LOCAL] = {ck_bool(local)};
  a[CKA_KEY_GEN_MECHANISM] = {ck_ulong(gen)};
  a[CKA_ALLOWED_MECHANISMS] = {mechanism_array(allowed)};
}

}  // namespace

std::string label_of(Slot& slot, std::uint16_t oid, const std::string& fallback) {
  return slot.labels().label(oid).value_or(fallback);
}

std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> visible_objects(ModuleContext& ctx, Slot& slot,
                                                                     CK_SLOT_ID slot_id) {
  (void)slot_id;  // one token per slot: session objects belong to the application's only slot
  std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> out;
  token::Token& token = slot.token();
  for (const auto& k : token.keys()) {
    if (slot.user_authorised()) {
      ObjectView v{{Kind::private_key, k.oid, 0, 0}, k, std::nullopt, nullptr};
      out.emplace_back(ctx.handle_for(v.key), v);
    }
    ObjectView p{{Kind::public_key, k.oid, 0, 0}, k, std::nullopt, nullptr};
    out.emplace_back(ctx.handle_for(p.key), p);
  }
  for (const auto& c : token.certificates()) {
    ObjectView v{{Kind::certificate, c.oid, c.chain_index, 0}, std::nullopt, c, nullptr};
    out.emplace_back(ctx.handle_for(v.key), v);
  }
  for (auto& [serial, secret] : ctx.secrets()) {
    ObjectView v{{Kind::secret, 0, 0, serial}, std::nullopt, std::nullopt, &secret};
    out.emplace_back(ctx.handle_for(v.key), v);
  }
  return out;
}

ObjectView resolve(ModuleContext& ctx, Slot& slot, CK_OBJECT_HANDLE handle) {
  const auto key = ctx.key_for(handle);
  if (!key) fail(CKR_OBJECT_HANDLE_INVALID);
  ObjectView v{*key, std::nullopt, std::nullopt, nullptr};
  switch (key->kind) {
    case Kind::private_key:
      if (!slot.user_authorised()) fail(CKR_OBJECT_HANDLE_INVALID, "private key needs login");
      [[fallthrough]];
    case Kind::public_key:
      v.key_object = slot.token().key(key->oid);
      if (!v.key_object) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
    case Kind::certificate: {
      const auto certs = slot.token().certificates_in(key->oid);
      for (const auto& c : certs)
        if (c.chain_index == key->chain_index) v.certificate = c;
      if (!v.certificate) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
    }
    case Kind::secret:
      v.secret = ctx.secret(*key);
      if (v.secret == nullptr) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
  }
  return v;
}

AttributeMap attributes_of(ModuleContext& ctx, Slot& slot, const ObjectView& object) {
  AttributeMap a;
  switch (object.key.kind) {
    case Kind::private_key: {
      const token::KeyObject& k = *object.key_object;
      a[CKA_CLASS] = {ck_ulong(CKO_PRIVATE_KEY)};
      // Keys cannot be destroyed on the chip (C_DestroyObject answers CKR_ACTION_PROHIBITED).
      common_storage(a, true, slot.login_required(), k.modifiable, label_of(slot, k.oid, k.label), false);
      key_common(a, CKK_EC, k.id, true, CKM_EC_KEY_PAIR_GEN, allowed_mechanisms(k), k.can_derive());
      a[CKA_SUBJECT] = {{}};
      a[CKA_SENSITIVE] = {ck_bool(true)};
      a[CKA_DECRYPT] = {ck_bool(false)};
      a[CKA_SIGN] = {ck_bool(k.can_sign())};
      a[CKA_SIGN_RECOVER] = {ck_bool(false)};
      a[CKA_UNWRAP] = {ck_bool(false)};
      a[CKA_EXTRACTABLE] = {ck_bool(false)};
      a[CKA_ALWAYS_SENSITIVE] = {ck_bool(true)};
      a[CKA_NEVER_EXTRACTABLE] = {ck_bool(true)};
      a[CKA_WRAP_WITH_TRUSTED] = {ck_bool(false)};
      a[CKA_ALWAYS_AUTHENTICATE] = {ck_bool(false)};
      a[CKA_EC_PARAMS] = {token::curve_parameters(k.curve)};
      a[CKA_PUBLIC_KEY_INFO] = {token::subject_public_key_info(k.public_key)};
      a[CKA_VALUE] = {{}, true};
      break;
    }
    case Kind::public_key: {
      const token::KeyObject& k = *object.key_object;
      a[CKA_CLASS] = {ck_ulong(CKO_PUBLIC_KEY)};
      common_storage(a, true, false, k.modifiable, label_of(slot, k.oid, k.label), false);
      key_common(a, CKK_EC, k.id, true, CKM_EC_KEY_PAIR_GEN, allowed_mechanisms(k), false);
      a[CKA_SUBJECT] = {{}};
      a[CKA_ENCRYPT] = {ck_bool(false)};
      a[CKA_VERIFY] = {ck_bool(k.can_sign())};
      a[CKA_VERIFY_RECOVER] = {ck_bool(false)};
      a[CKA_WRAP] = {ck_bool(false)};
      a[CKA_TRUSTED] = {ck_bool(false)};
      a[CKA_EC_PARAMS] = {token::curve_parameters(k.curve)};
      a[CKA_EC_POINT] = {token::ec_point_octet_string(k.public_key)};
      a[CKA_PUBLIC_KEY_INFO] = {token::subject_public_key_info(k.public_key)};
      break;
    }
    case Kind::certificate: {
      const token::CertificateObject& c = *object.certificate;
      a[CKA_CLASS] = {ck_ulong(CKO_CERTIFICATE)};
      const std::string label = c.chain_index == 0 ? label_of(slot, c.oid, c.label) : c.label;
      common_storage(a, true, false, c.modifiable, label, c.modifiable && c.chain_index == 0);
      a[CKA_CERTIFICATE_TYPE] = {ck_ulong(CKC_X_509)};
      a[CKA_TRUSTED] = {ck_bool(c.trusted)};
      // 1 = token user (the certificate of a key on the chip), 2 = authority (trust anchors
      // and the rest of a stored chain).
      a[CKA_CERTIFICATE_CATEGORY] = {ck_ulong(c.trusted || c.chain_index > 0 ? 2 : 1)};
      a[CKA_CHECK_VALUE] = {{}};
      a[CKA_START_DATE] = {{}};
      a[CKA_END_DATE] = {{}};
      a[CKA_ID] = {c.id};
      a[CKA_VALUE] = {c.der};
      a[CKA_URL] = {{}};
      a[CKA_HASH_OF_SUBJECT_PUBLIC_KEY] = {{}};
      a[CKA_HASH_OF_ISSUER_PUBLIC_KEY] = {{}};
      a[CKA_JAVA_MIDP_SECURITY_DOMAIN] = {ck_ulong(0)};
      a[CKA_NAME_HASH_ALGORITHM] = {ck_ulong(CKM_SHA_1)};
      if (const auto f = cert_fields(ctx.crypto(), c.der)) {
        a[CKA_SUBJECT] = {f->subject};
        a[CKA_ISSUER] = {f->issuer};
        a[CKA_SERIAL_NUMBER] = {f->serial};
        a[CKA_PUBLIC_KEY_INFO] = {f->spki};
      }
      a.erase(CKA_CHECK_VALUE);
      break;
    }
    case Kind::secret: {
      const SecretKeyObject& s = *object.secret;
      a[CKA_CLASS] = {ck_ulong(CKO_SECRET_KEY)};
      common_storage(a, false, false, true, s.label, true);
      key_common(a, s.key_type, s.id, false, CKM_ECDH1_DERIVE, {}, false);
      a[CKA_SENSITIVE] = {ck_bool(s.sensitive)};
      a[CKA_EXTRACTABLE] = {ck_bool(s.extractable)};
      a[CKA_ALWAYS_SENSITIVE] = {ck_bool(s.sensitive)};
      a[CKA_NEVER_EXTRACTABLE] = {ck_bool(!s.extractable)};
      for (const auto t : {CKA_ENCRYPT, CKA_DECRYPT, CKA_SIGN, CKA_VERIFY, CKA_WRAP, CKA_UNWRAP})
        a[t] = {ck_bool(false)};
      a[CKA_VALUE_LEN] = {ck_ulong(s.value.size())};
      a[CKA_VALUE] = {s.value, s.sensitive || !s.extractable};
      break;
    }
  }
  return a;
}

}  // namespace optiga::pkcs11
