// The attribute tables, one per object class (attribute_rules.h). Each row says where the value
// comes from; the order of the rows is the order of PKCS#11's attribute lists (storage, key,
// private/public key, certificate), which is also the order C_GetAttributeValue users expect.
#include <algorithm>

#include "core/util/error.h"
#include "pkcs11/attribute_rules.h"
#include "pkcs11/errors.h"
#include "pkcs11/mechanisms.h"
#include "pkcs11/template.h"

namespace optiga::pkcs11 {
namespace {

// ---- Row makers -------------------------------------------------------------------------------

AttributeRule constant(CK_ATTRIBUTE_TYPE type, Bytes value) {
  AttributeRule r;
  r.type = type;
  r.source = Source::constant;
  r.constant = std::move(value);
  r.on_create = OnCreate::fixed;
  return r;
}
AttributeRule constant_bool(CK_ATTRIBUTE_TYPE type, bool value) { return constant(type, ck_bool(value)); }
AttributeRule constant_ulong(CK_ATTRIBUTE_TYPE type, CK_ULONG value) { return constant(type, ck_ulong(value)); }
AttributeRule empty(CK_ATTRIBUTE_TYPE type) { return constant(type, {}); }

AttributeRule from(Source source, CK_ATTRIBUTE_TYPE type, ValueFn value) {
  AttributeRule r;
  r.type = type;
  r.source = source;
  r.value = value;
  r.on_create = OnCreate::refused;
  return r;
}
AttributeRule from_object(CK_ATTRIBUTE_TYPE type, ValueFn value) { return from(Source::object, type, value); }
AttributeRule computed(CK_ATTRIBUTE_TYPE type, ValueFn value) { return from(Source::computed, type, value); }

AttributeTable join(std::initializer_list<AttributeTable> parts) {
  AttributeTable out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// ---- Values ------------------------------------------------------------------------------------

const token::KeyObject& key(const AttributeSource& s) { return *s.object.key_object; }
const token::CertificateObject& cert(const AttributeSource& s) { return *s.object.certificate; }
const SecretKeyObject& secret(const AttributeSource& s) { return *s.object.secret; }

Bytes mechanism_array(const std::vector<CK_MECHANISM_TYPE>& list) {
  Bytes out;
  for (const auto m : list) append(out, ck_ulong(m));
  return out;
}

std::optional<Bytes> key_label(const AttributeSource& s) {
  return ck_text(label_of(s.slot, key(s).oid, key(s).label));
}
// Chain members beyond the slot's own certificate have no stored label of their own.
std::optional<Bytes> cert_label(const AttributeSource& s) {
  const auto& c = cert(s);
  return ck_text(c.chain_index == 0 ? label_of(s.slot, c.oid, c.label) : c.label);
}

// Labels of chip objects are stored on the chip (token_labels.h), so changing one is a write.
void store_label(const AttributeTarget& t, std::uint16_t oid, ByteView value) {
  require_write(t.session, t.slot);
  try {
    t.slot.labels().set_label(oid, std::string(value.begin(), value.end()));
  } catch (const UsageError&) {
    fail(translate_write_error(WriteKind::label));
  }
}
void set_key_label(const AttributeTarget& t, ByteView value) { store_label(t, t.object.key_object->oid, value); }
void set_cert_label(const AttributeTarget& t, ByteView value) {
  if (t.object.certificate->chain_index > 0) fail(CKR_ATTRIBUTE_READ_ONLY, "a chain member's label is fixed");
  store_label(t, t.object.certificate->oid, value);
}
void set_secret_label(const AttributeTarget& t, ByteView value) {
  t.object.secret->label.assign(value.begin(), value.end());
}

std::optional<Bytes> cert_field(const AttributeSource& s, Bytes CertFields::*field) {
  const auto& f = s.certificate_fields();
  if (!f) return std::nullopt;  // not parseable: the object has no such value
  return (*f).*field;
}

// ---- Rows shared by several classes -------------------------------------------------------------

// PKCS#11 §4.4 storage objects. The chip holds no copies, and only what the tables below allow
// may change.
AttributeTable storage(bool token, ValueFn label, SetFn set_label) {
  return {
      constant_bool(CKA_TOKEN, token).copy_may_change(),
      constant_bool(CKA_COPYABLE, false).copy_may_change(),
      from_object(CKA_LABEL, label).settable(set_label).when_created(OnCreate::taken),
  };
}

// PKCS#11 §4.7 keys (without CKA_KEY_TYPE, CKA_ID, CKA_DERIVE, CKA_ALLOWED_MECHANISMS, which
// differ between chip keys and session keys).
AttributeTable key_dates() { return {empty(CKA_START_DATE), empty(CKA_END_DATE)}; }

// Chip key pairs: EC keys generated on the chip, named by their slot.
AttributeTable chip_key() {
  return join({key_dates(),
               {
                   constant_ulong(CKA_KEY_TYPE, CKK_EC),
                   from_object(CKA_ID, [](const AttributeSource& s) -> std::optional<Bytes> { return key(s).id; }),
                   constant_bool(CKA_LOCAL, true),
                   constant_ulong(CKA_KEY_GEN_MECHANISM, CKM_EC_KEY_PAIR_GEN),
                   computed(CKA_ALLOWED_MECHANISMS,
                            [](const AttributeSource& s) -> std::optional<Bytes> {
                              return mechanism_array(allowed_mechanisms(key(s)));
                            }),
                   // Keys cannot be destroyed on the chip (C_DestroyObject: CKR_ACTION_PROHIBITED).
                   constant_bool(CKA_DESTROYABLE, false).copy_may_change(),
                   from_object(CKA_MODIFIABLE,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_bool(key(s).modifiable);
                               })
                       .copy_may_change(),
                   empty(CKA_SUBJECT),
                   computed(CKA_EC_PARAMS,
                            [](const AttributeSource& s) -> std::optional<Bytes> { return ec_params_of(key(s).curve); }),
                   computed(CKA_PUBLIC_KEY_INFO,
                            [](const AttributeSource& s) -> std::optional<Bytes> {
                              return public_key_info_of(s.ctx, key(s).public_key);
                            }),
               }});
}

// ---- The tables ----------------------------------------------------------------------------------

AttributeTable private_key_table() {
  return join({{constant_ulong(CKA_CLASS, CKO_PRIVATE_KEY)},
               storage(true, key_label, set_key_label),
               chip_key(),
               {
                   // Private with a PIN configured: invisible until C_Login.
                   computed(CKA_PRIVATE,
                            [](const AttributeSource& s) -> std::optional<Bytes> {
                              return ck_bool(s.slot.login_required());
                            })
                       .copy_may_change(),
                   from_object(CKA_DERIVE,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_bool(key(s).can_derive());
                               }),
                   constant_bool(CKA_SENSITIVE, true),
                   constant_bool(CKA_DECRYPT, false),
                   from_object(CKA_SIGN,
                               [](const AttributeSource& s) -> std::optional<Bytes> { return ck_bool(key(s).can_sign()); }),
                   constant_bool(CKA_SIGN_RECOVER, false),
                   constant_bool(CKA_UNWRAP, false),
                   constant_bool(CKA_EXTRACTABLE, false),
                   constant_bool(CKA_ALWAYS_SENSITIVE, true),
                   constant_bool(CKA_NEVER_EXTRACTABLE, true),
                   constant_bool(CKA_WRAP_WITH_TRUSTED, false),
                   constant_bool(CKA_ALWAYS_AUTHENTICATE, false),
                   // The private value never leaves the chip.
                   empty(CKA_VALUE).sensitive(),
               }});
}

AttributeTable public_key_table() {
  return join({{constant_ulong(CKA_CLASS, CKO_PUBLIC_KEY)},
               storage(true, key_label, set_key_label),
               chip_key(),
               {
                   constant_bool(CKA_PRIVATE, false).copy_may_change(),
                   constant_bool(CKA_DERIVE, false),
                   constant_bool(CKA_ENCRYPT, false),
                   from_object(CKA_VERIFY,
                               [](const AttributeSource& s) -> std::optional<Bytes> { return ck_bool(key(s).can_sign()); }),
                   constant_bool(CKA_VERIFY_RECOVER, false),
                   constant_bool(CKA_WRAP, false),
                   constant_bool(CKA_TRUSTED, false),
                   computed(CKA_EC_POINT,
                            [](const AttributeSource& s) -> std::optional<Bytes> {
                              return ec_point_of(key(s).public_key);
                            }),
               }});
}

// PKCS#11 §4.6 X.509 certificates. `trusted`: the trust-anchor table.
AttributeTable certificate_table(bool trusted) {
  AttributeRule category =
      trusted ? constant_ulong(CKA_CERTIFICATE_CATEGORY, 2)
              // 1 = token user (the certificate of a key on the chip), 2 = authority (the rest of
              // a stored chain).
              : computed(CKA_CERTIFICATE_CATEGORY, [](const AttributeSource& s) -> std::optional<Bytes> {
                  return ck_ulong(cert(s).chain_index > 0 ? 2 : 1);
                });
  return join({{constant_ulong(CKA_CLASS, CKO_CERTIFICATE)},
               storage(true, cert_label, set_cert_label),
               {
                   constant_bool(CKA_PRIVATE, false).copy_may_change(),
                   from_object(CKA_MODIFIABLE,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_bool(cert(s).modifiable);
                               })
                       .copy_may_change()
                       .when_created(OnCreate::derived),
                   // Erasing a certificate erases its slot, so only a writable slot's own
                   // certificate can go.
                   from_object(CKA_DESTROYABLE,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_bool(cert(s).modifiable && cert(s).chain_index == 0);
                               })
                       .copy_may_change()
                       .when_created(OnCreate::derived),
                   constant_ulong(CKA_CERTIFICATE_TYPE, CKC_X_509),
                   constant_bool(CKA_TRUSTED, trusted).when_created(OnCreate::taken),
                   category.when_created(OnCreate::taken),
                   key_dates()[0],
                   key_dates()[1],
                   from_object(CKA_ID, [](const AttributeSource& s) -> std::optional<Bytes> { return cert(s).id; })
                       .when_created(OnCreate::taken),
                   from_object(CKA_VALUE, [](const AttributeSource& s) -> std::optional<Bytes> { return cert(s).der; })
                       .when_created(OnCreate::taken),
                   // Read from CKA_VALUE: the chip stores the DER certificate only.
                   computed(CKA_SUBJECT,
                            [](const AttributeSource& s) { return cert_field(s, &CertFields::subject); })
                       .when_created(OnCreate::derived),
                   computed(CKA_ISSUER, [](const AttributeSource& s) { return cert_field(s, &CertFields::issuer); })
                       .when_created(OnCreate::derived),
                   computed(CKA_SERIAL_NUMBER,
                            [](const AttributeSource& s) { return cert_field(s, &CertFields::serial); })
                       .when_created(OnCreate::derived),
                   computed(CKA_PUBLIC_KEY_INFO,
                            [](const AttributeSource& s) { return cert_field(s, &CertFields::spki); })
                       .when_created(OnCreate::derived),
                   empty(CKA_URL),
                   empty(CKA_HASH_OF_SUBJECT_PUBLIC_KEY),
                   empty(CKA_HASH_OF_ISSUER_PUBLIC_KEY),
                   constant_ulong(CKA_JAVA_MIDP_SECURITY_DOMAIN, 0),
                   constant_ulong(CKA_NAME_HASH_ALGORITHM, CKM_SHA_1),
               }});
}

// Session secret keys (C_DeriveKey): held in memory, gone with their session.
AttributeTable secret_key_table() {
  return join({{constant_ulong(CKA_CLASS, CKO_SECRET_KEY)},
               storage(false,
                       [](const AttributeSource& s) -> std::optional<Bytes> { return ck_text(secret(s).label); },
                       set_secret_label),
               key_dates(),
               {
                   constant_bool(CKA_PRIVATE, false).copy_may_change(),
                   constant_bool(CKA_MODIFIABLE, true).copy_may_change(),
                   constant_bool(CKA_DESTROYABLE, true).copy_may_change(),
                   from_object(CKA_KEY_TYPE,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_ulong(secret(s).key_type);
                               }),
                   from_object(CKA_ID, [](const AttributeSource& s) -> std::optional<Bytes> { return secret(s).id; }),
                   constant_bool(CKA_DERIVE, false),
                   constant_bool(CKA_LOCAL, false),
                   constant_ulong(CKA_KEY_GEN_MECHANISM, CKM_ECDH1_DERIVE),
                   empty(CKA_ALLOWED_MECHANISMS),  // no restriction
                   from_object(CKA_SENSITIVE,
                               [](const AttributeSource& s) -> std::optional<Bytes> { return ck_bool(secret(s).sensitive); }),
                   from_object(CKA_EXTRACTABLE,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_bool(secret(s).extractable);
                               }),
                   from_object(CKA_ALWAYS_SENSITIVE,
                               [](const AttributeSource& s) -> std::optional<Bytes> { return ck_bool(secret(s).sensitive); }),
                   from_object(CKA_NEVER_EXTRACTABLE,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_bool(!secret(s).extractable);
                               }),
                   constant_bool(CKA_ENCRYPT, false),
                   constant_bool(CKA_DECRYPT, false),
                   constant_bool(CKA_SIGN, false),
                   constant_bool(CKA_VERIFY, false),
                   constant_bool(CKA_WRAP, false),
                   constant_bool(CKA_UNWRAP, false),
                   from_object(CKA_VALUE_LEN,
                               [](const AttributeSource& s) -> std::optional<Bytes> {
                                 return ck_ulong(secret(s).value.size());
                               }),
                   from_object(CKA_VALUE, [](const AttributeSource& s) -> std::optional<Bytes> { return secret(s).value; })
                       .sensitive(Secrecy::unless_extractable),
               }});
}

// PKCS#11 §4.5 data objects: the rules for when the module holds any (none yet; C_CreateObject
// refuses the class).
AttributeTable data_table() {
  const ValueFn none = [](const AttributeSource&) -> std::optional<Bytes> { return std::nullopt; };
  return join({{constant_ulong(CKA_CLASS, CKO_DATA)},
               storage(true, none, nullptr),
               {
                   constant_bool(CKA_PRIVATE, false).copy_may_change(),
                   constant_bool(CKA_MODIFIABLE, false).copy_may_change(),
                   constant_bool(CKA_DESTROYABLE, false).copy_may_change(),
                   from_object(CKA_APPLICATION, none).when_created(OnCreate::taken),
                   from_object(CKA_OBJECT_ID, none).when_created(OnCreate::taken),
                   from_object(CKA_VALUE, none).when_created(OnCreate::taken),
               }});
}

}  // namespace

AttributeRule AttributeRule::sensitive(Secrecy s) const {
  AttributeRule r = *this;
  r.secrecy = s;
  return r;
}
AttributeRule AttributeRule::settable(SetFn setter) const {
  AttributeRule r = *this;
  r.set = setter;
  r.change = setter != nullptr ? Change::always : r.change;
  return r;
}
AttributeRule AttributeRule::copy_may_change() const {
  AttributeRule r = *this;
  r.change = Change::in_copy;
  return r;
}
AttributeRule AttributeRule::when_created(OnCreate c) const {
  AttributeRule r = *this;
  r.on_create = c;
  return r;
}

const std::optional<CertFields>& AttributeSource::certificate_fields() const {
  if (!fields_) fields_ = object.certificate ? cert_fields(ctx.crypto(), object.certificate->der) : std::nullopt;
  return *fields_;
}

const AttributeTable& attribute_table(ObjectClass cls) {
  static const AttributeTable private_key = private_key_table();
  static const AttributeTable public_key = public_key_table();
  static const AttributeTable x509 = certificate_table(false);
  static const AttributeTable anchor = certificate_table(true);
  static const AttributeTable secret_key = secret_key_table();
  static const AttributeTable data = data_table();
  switch (cls) {
    case ObjectClass::private_key: return private_key;
    case ObjectClass::public_key: return public_key;
    case ObjectClass::x509_certificate: return x509;
    case ObjectClass::trust_anchor: return anchor;
    case ObjectClass::secret_key: return secret_key;
    case ObjectClass::data: return data;
  }
  fail(CKR_GENERAL_ERROR, "unknown object class");
}

ObjectClass class_of(const ObjectView& object) {
  switch (object.key.kind) {
    case ObjectKey::Kind::private_key: return ObjectClass::private_key;
    case ObjectKey::Kind::public_key: return ObjectClass::public_key;
    case ObjectKey::Kind::certificate:
      return object.certificate && object.certificate->trusted ? ObjectClass::trust_anchor
                                                               : ObjectClass::x509_certificate;
    case ObjectKey::Kind::secret: return ObjectClass::secret_key;
  }
  fail(CKR_GENERAL_ERROR, "unknown object kind");
}

const AttributeRule* find_rule(const AttributeTable& table, CK_ATTRIBUTE_TYPE type) {
  const auto it = std::find_if(table.begin(), table.end(), [&](const AttributeRule& r) { return r.type == type; });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace optiga::pkcs11
