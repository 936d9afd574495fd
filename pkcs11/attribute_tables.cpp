// The attribute tables, one per object class (attribute_rules.h). Rows shared by several classes
// (storage objects, chip keys) are written once and joined; everything an object of a class
// answers is in its table and nowhere else.
#include <algorithm>

#include "core/token/key_encoding.h"
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
AttributeRule constant_ulong(CK_ATTRIBUTE_TYPE type, CK_ULONG value) {
  return constant(type, ck_ulong(value));
}
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
// One function per value an object supplies; the tables below name them.

using Value = std::optional<Bytes>;

const token::KeyObject& key(const AttributeSource& s) { return *s.object.key_object; }
const token::CertificateObject& cert(const AttributeSource& s) { return *s.object.certificate; }
const SecretKeyObject& secret(const AttributeSource& s) { return *s.object.secret; }

Bytes mechanism_array(const std::vector<CK_MECHANISM_TYPE>& list) {
  Bytes out;
  for (const auto m : list) append(out, ck_ulong(m));
  return out;
}

Value key_id(const AttributeSource& s) { return key(s).id; }
Value key_label(const AttributeSource& s) { return ck_text(label_of(s.slot, key(s).oid, key(s).label)); }
Value key_modifiable(const AttributeSource& s) { return ck_bool(key(s).modifiable); }
Value key_can_sign(const AttributeSource& s) { return ck_bool(key(s).can_sign()); }
Value key_can_derive(const AttributeSource& s) { return ck_bool(key(s).can_derive()); }
Value key_allowed_mechanisms(const AttributeSource& s) { return mechanism_array(allowed_mechanisms(key(s))); }
Value key_ec_params(const AttributeSource& s) { return token::curve_parameters(key(s).curve); }
// The public-key encodings come from objects.h (one place for them).
Value key_ec_point(const AttributeSource& s) { return token::ec_point_octet_string(key(s).public_key); }
Value key_public_key_info(const AttributeSource& s) { return token::subject_public_key_info(key(s).public_key); }
// Private keys are CKA_PRIVATE when a PIN is configured: invisible until C_Login.
Value login_required(const AttributeSource& s) { return ck_bool(s.slot.login_required()); }

// Chain members beyond the slot's own certificate have no stored label of their own.
Value cert_label(const AttributeSource& s) {
  const auto& c = cert(s);
  return ck_text(c.chain_index == 0 ? label_of(s.slot, c.oid, c.label) : c.label);
}
Value cert_id(const AttributeSource& s) { return cert(s).id; }
Value cert_value(const AttributeSource& s) { return cert(s).der; }
Value cert_modifiable(const AttributeSource& s) { return ck_bool(cert(s).modifiable); }
// Erasing a certificate erases its slot, so only a writable slot's own certificate can go.
Value cert_destroyable(const AttributeSource& s) {
  return ck_bool(cert(s).modifiable && cert(s).chain_index == 0);
}
// 1 = token user (the certificate of a key on the chip), 2 = authority (the rest of a chain).
Value cert_category(const AttributeSource& s) { return ck_ulong(cert(s).chain_index > 0 ? 2 : 1); }
// Read from CKA_VALUE (the chip stores the DER certificate only); nullopt if it does not parse.
Value cert_field(const AttributeSource& s, Bytes CertFields::*field) {
  const auto& f = s.certificate_fields();
  if (!f) return std::nullopt;
  return (*f).*field;
}
Value cert_subject(const AttributeSource& s) { return cert_field(s, &CertFields::subject); }
Value cert_issuer(const AttributeSource& s) { return cert_field(s, &CertFields::issuer); }
Value cert_serial(const AttributeSource& s) { return cert_field(s, &CertFields::serial); }
Value cert_public_key_info(const AttributeSource& s) { return cert_field(s, &CertFields::spki); }

Value secret_label(const AttributeSource& s) { return ck_text(secret(s).label); }
Value secret_id(const AttributeSource& s) { return secret(s).id; }
Value secret_key_type(const AttributeSource& s) { return ck_ulong(secret(s).key_type); }
Value secret_sensitive(const AttributeSource& s) { return ck_bool(secret(s).sensitive); }
Value secret_extractable(const AttributeSource& s) { return ck_bool(secret(s).extractable); }
Value secret_never_extractable(const AttributeSource& s) { return ck_bool(!secret(s).extractable); }
Value secret_value_len(const AttributeSource& s) { return ck_ulong(secret(s).value.size()); }
Value secret_value(const AttributeSource& s) { return secret(s).value; }

// Data objects (core/token/data_objects.h on the chip, SessionDataObject in memory).
const token::DataObject& data(const AttributeSource& s) { return *s.object.data_object(); }
Value data_token(const AttributeSource& s) { return ck_bool(s.object.key.kind == ObjectKey::Kind::data); }
Value data_private(const AttributeSource& s) { return ck_bool(data(s).is_private); }
Value data_modifiable(const AttributeSource& s) { return ck_bool(data(s).modifiable); }
Value data_destroyable(const AttributeSource& s) { return ck_bool(data(s).destroyable); }
Value data_copyable(const AttributeSource& s) { return ck_bool(data(s).copyable); }
Value data_label(const AttributeSource& s) { return ck_text(data(s).label); }
Value data_application(const AttributeSource& s) { return ck_text(data(s).application); }
Value data_object_id(const AttributeSource& s) { return data(s).object_id; }
Value data_value(const AttributeSource& s) { return data(s).value; }

// ---- Changes -----------------------------------------------------------------------------------

// Labels of chip objects are stored on the chip (token_labels.h), so changing one is a write.
// They live apart from the key or certificate (in 0xF1DB), so they may change even where the
// object's own CKA_MODIFIABLE (its slot's change access condition) is false.
void store_label(const AttributeTarget& t, std::uint16_t oid, ByteView value) {
  require_write(t.session, t.slot);
  try {
    t.slot.labels().set_label(oid, std::string(value.begin(), value.end()));
  } catch (const UsageError&) {
    throw_write_error(WriteKind::label);
  }
}
void set_key_label(const AttributeTarget& t, ByteView value) {
  store_label(t, t.object.key_object->oid, value);
}
void set_cert_label(const AttributeTarget& t, ByteView value) {
  if (t.object.certificate->chain_index > 0) fail(CKR_ATTRIBUTE_READ_ONLY, "a chain member's label is fixed");
  store_label(t, t.object.certificate->oid, value);
}
void set_secret_label(const AttributeTarget& t, ByteView value) {
  t.object.secret->label.assign(value.begin(), value.end());
}

// A data object changes as a whole: in memory, or rewritten on the chip from what the chip holds
// now (its label is inside it, token_labels.h is not involved). CKA_MODIFIABLE
// false refuses every change (PKCS#11 3.0 §4.4: CKR_ACTION_PROHIBITED).
using DataChange = void (*)(token::DataObject&, ByteView);  // one attribute's change
void change_data(const AttributeTarget& t, ByteView value, DataChange apply) {
  if (SessionDataObject* in_memory = t.object.session_data) {
    if (!in_memory->data.modifiable) fail(CKR_ACTION_PROHIBITED, "CKA_MODIFIABLE is false");
    apply(in_memory->data, value);
    return;
  }
  require_write(t.session, t.slot);
  auto current = t.slot.data_objects().object(t.object.key.oid);
  if (!current) fail(CKR_OBJECT_HANDLE_INVALID);
  if (!current->modifiable) fail(CKR_ACTION_PROHIBITED, "CKA_MODIFIABLE is false");
  apply(*current, value);
  try {
    t.slot.data_objects().update(t.object.key.oid, *current);
  } catch (const UsageError&) {
    throw_write_error(WriteKind::certificate);
  }
}
void set_data_label(const AttributeTarget& t, ByteView value) {
  change_data(t, value, [](token::DataObject& d, ByteView v) { d.label.assign(v.begin(), v.end()); });
}

// ---- Rows shared by several classes --------------------------------------------------------------

// PKCS#11 §4.4 storage objects. The chip holds no copies. `label` is the class's CKA_LABEL row.
AttributeTable storage(bool token, const AttributeRule& label) {
  return {
      constant_bool(CKA_TOKEN, token).copy_may_change(),
      constant_bool(CKA_COPYABLE, false).copy_may_change(),
      label.when_created(OnCreate::taken),
  };
}

// The validity dates (PKCS#11 §4.6, §4.7): the chip keeps none.
AttributeTable no_dates() { return {empty(CKA_START_DATE), empty(CKA_END_DATE)}; }

// Chip key pairs (PKCS#11 §4.7, §10.1): EC keys generated on the chip, named by their slot.
AttributeTable chip_key() {
  return join({no_dates(),
               {
                   constant_ulong(CKA_KEY_TYPE, CKK_EC),
                   from_object(CKA_ID, key_id),
                   constant_bool(CKA_LOCAL, true),
                   constant_ulong(CKA_KEY_GEN_MECHANISM, CKM_EC_KEY_PAIR_GEN),
                   computed(CKA_ALLOWED_MECHANISMS, key_allowed_mechanisms),
                   // Keys cannot be erased on the chip (C_DestroyObject: CKR_ACTION_PROHIBITED).
                   constant_bool(CKA_DESTROYABLE, false).copy_may_change(),
                   from_object(CKA_MODIFIABLE, key_modifiable).copy_may_change(),
                   empty(CKA_SUBJECT),
                   computed(CKA_EC_PARAMS, key_ec_params),
                   computed(CKA_PUBLIC_KEY_INFO, key_public_key_info),
               }});
}

// ---- The tables ----------------------------------------------------------------------------------

AttributeTable private_key_table() {
  return join(
      {{constant_ulong(CKA_CLASS, CKO_PRIVATE_KEY)},
       storage(true, computed(CKA_LABEL, key_label).settable(set_key_label)),
       chip_key(),
       {
           computed(CKA_PRIVATE, login_required).copy_may_change(), from_object(CKA_DERIVE, key_can_derive),
           constant_bool(CKA_SENSITIVE, true), constant_bool(CKA_DECRYPT, false),
           from_object(CKA_SIGN, key_can_sign), constant_bool(CKA_SIGN_RECOVER, false),
           constant_bool(CKA_UNWRAP, false), constant_bool(CKA_EXTRACTABLE, false),
           constant_bool(CKA_ALWAYS_SENSITIVE, true), constant_bool(CKA_NEVER_EXTRACTABLE, true),
           constant_bool(CKA_WRAP_WITH_TRUSTED, false), constant_bool(CKA_ALWAYS_AUTHENTICATE, false),
           empty(CKA_VALUE).sensitive(),  // the private value never leaves the chip
       }});
}

AttributeTable public_key_table() {
  return join({{constant_ulong(CKA_CLASS, CKO_PUBLIC_KEY)},
               storage(true, computed(CKA_LABEL, key_label).settable(set_key_label)),
               chip_key(),
               {
                   constant_bool(CKA_PRIVATE, false).copy_may_change(),
                   // The pair's key agreement, as the generating template asked (pkcs11-tool
                   // --usage-derive sets it on both keys).
                   from_object(CKA_DERIVE, key_can_derive),
                   constant_bool(CKA_ENCRYPT, false),
                   from_object(CKA_VERIFY, key_can_sign),
                   constant_bool(CKA_VERIFY_RECOVER, false),
                   constant_bool(CKA_WRAP, false),
                   constant_bool(CKA_TRUSTED, false),
                   computed(CKA_EC_POINT, key_ec_point),
               }});
}

// PKCS#11 §4.6 X.509 certificates; `trusted` gives the trust-anchor table. What a creation
// template says is taken (value, id, label, trust), read from the value (subject, issuer,
// serial, key) or must be what the chip keeps anyway (the constants).
AttributeTable certificate_table(bool trusted) {
  return join(
      {{constant_ulong(CKA_CLASS, CKO_CERTIFICATE)},
       storage(true, computed(CKA_LABEL, cert_label).settable(set_cert_label)),
       no_dates(),
       {
           constant_bool(CKA_PRIVATE, false).copy_may_change(),
           from_object(CKA_MODIFIABLE, cert_modifiable).copy_may_change().when_created(OnCreate::derived),
           from_object(CKA_DESTROYABLE, cert_destroyable).copy_may_change().when_created(OnCreate::derived),
           constant_ulong(CKA_CERTIFICATE_TYPE, CKC_X_509),
           constant_bool(CKA_TRUSTED, trusted).when_created(OnCreate::taken),
           (trusted ? constant_ulong(CKA_CERTIFICATE_CATEGORY, 2)
                    : computed(CKA_CERTIFICATE_CATEGORY, cert_category))
               .when_created(OnCreate::taken),
           from_object(CKA_ID, cert_id).when_created(OnCreate::taken),
           from_object(CKA_VALUE, cert_value).when_created(OnCreate::taken),
           computed(CKA_SUBJECT, cert_subject).when_created(OnCreate::derived),
           computed(CKA_ISSUER, cert_issuer).when_created(OnCreate::derived),
           computed(CKA_SERIAL_NUMBER, cert_serial).when_created(OnCreate::derived),
           computed(CKA_PUBLIC_KEY_INFO, cert_public_key_info).when_created(OnCreate::derived),
           empty(CKA_URL),
           empty(CKA_HASH_OF_SUBJECT_PUBLIC_KEY),
           empty(CKA_HASH_OF_ISSUER_PUBLIC_KEY),
           constant_ulong(CKA_JAVA_MIDP_SECURITY_DOMAIN, 0),
           constant_ulong(CKA_NAME_HASH_ALGORITHM, CKM_SHA_1),
       }});
}

// Session secret keys (C_DeriveKey): held in memory, gone with their session. CKA_VALUE is
// revealed only when the key is not sensitive and is extractable (its own rows decide).
AttributeTable secret_key_table() {
  return join({{constant_ulong(CKA_CLASS, CKO_SECRET_KEY)},
               storage(false, from_object(CKA_LABEL, secret_label).settable(set_secret_label)),
               no_dates(),
               {
                   constant_bool(CKA_PRIVATE, false).copy_may_change(),
                   constant_bool(CKA_MODIFIABLE, true).copy_may_change(),
                   constant_bool(CKA_DESTROYABLE, true).copy_may_change(),
                   from_object(CKA_KEY_TYPE, secret_key_type),
                   from_object(CKA_ID, secret_id),
                   constant_bool(CKA_DERIVE, false),
                   constant_bool(CKA_LOCAL, false),
                   constant_ulong(CKA_KEY_GEN_MECHANISM, CKM_ECDH1_DERIVE),
                   empty(CKA_ALLOWED_MECHANISMS),  // no restriction
                   from_object(CKA_SENSITIVE, secret_sensitive),
                   from_object(CKA_EXTRACTABLE, secret_extractable),
                   from_object(CKA_ALWAYS_SENSITIVE, secret_sensitive),
                   from_object(CKA_NEVER_EXTRACTABLE, secret_never_extractable),
                   constant_bool(CKA_ENCRYPT, false),
                   constant_bool(CKA_DECRYPT, false),
                   constant_bool(CKA_SIGN, false),
                   constant_bool(CKA_VERIFY, false),
                   constant_bool(CKA_WRAP, false),
                   constant_bool(CKA_UNWRAP, false),
                   from_object(CKA_VALUE_LEN, secret_value_len),
                   from_object(CKA_VALUE, secret_value).sensitive(Secrecy::unless_extractable),
               }});
}

// PKCS#11 §4.5 data objects, on the chip (CKA_TOKEN true) or in a session: every attribute is
// the application's. The storage flags are set when created or copied; only the label changes
// afterwards (PKCS#11 2.40 §4.2 footnote 8 marks no data-object attribute as modifiable; SoftHSM2
// agrees), and only while CKA_MODIFIABLE is true.
AttributeTable data_table() {
  return {
      constant_ulong(CKA_CLASS, CKO_DATA),
      from_object(CKA_TOKEN, data_token).copy_may_change().when_created(OnCreate::taken),
      from_object(CKA_PRIVATE, data_private).copy_may_change().when_created(OnCreate::taken),
      from_object(CKA_MODIFIABLE, data_modifiable).copy_may_change().when_created(OnCreate::taken),
      from_object(CKA_DESTROYABLE, data_destroyable).copy_may_change().when_created(OnCreate::taken),
      from_object(CKA_COPYABLE, data_copyable).copy_may_change().when_created(OnCreate::taken),
      from_object(CKA_LABEL, data_label).settable(set_data_label).when_created(OnCreate::taken),
      from_object(CKA_APPLICATION, data_application).when_created(OnCreate::taken),
      from_object(CKA_OBJECT_ID, data_object_id).when_created(OnCreate::taken),
      from_object(CKA_VALUE, data_value).when_created(OnCreate::taken),
  };
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
  if (!fields_)
    fields_ = object.certificate ? cert_fields(ctx.crypto(), object.certificate->der) : std::nullopt;
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
    case ObjectClass::private_key:
      return private_key;
    case ObjectClass::public_key:
      return public_key;
    case ObjectClass::x509_certificate:
      return x509;
    case ObjectClass::trust_anchor:
      return anchor;
    case ObjectClass::secret_key:
      return secret_key;
    case ObjectClass::data:
      return data;
  }
  fail(CKR_GENERAL_ERROR, "unknown object class");
}

ObjectClass class_of(const ObjectView& object) {
  switch (object.key.kind) {
    case ObjectKey::Kind::private_key:
      return ObjectClass::private_key;
    case ObjectKey::Kind::public_key:
      return ObjectClass::public_key;
    case ObjectKey::Kind::certificate:
      return object.certificate && object.certificate->trusted ? ObjectClass::trust_anchor
                                                               : ObjectClass::x509_certificate;
    case ObjectKey::Kind::secret:
      return ObjectClass::secret_key;
    case ObjectKey::Kind::data:
    case ObjectKey::Kind::session_data:
      return ObjectClass::data;
  }
  fail(CKR_GENERAL_ERROR, "unknown object kind");
}

const AttributeRule* find_rule(const AttributeTable& table, CK_ATTRIBUTE_TYPE type) {
  const auto it =
      std::find_if(table.begin(), table.end(), [&](const AttributeRule& r) { return r.type == type; });
  return it == table.end() ? nullptr : &*it;
}

}  // namespace optiga::pkcs11
