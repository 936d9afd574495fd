// The attribute rules of every object class, as tables (one row per attribute): where the value
// comes from, whether it is ever revealed, whether C_SetAttributeValue / C_CopyObject may change
// it, and what a C_CreateObject template may say about it. C_GetAttributeValue, C_FindObjects,
// C_SetAttributeValue, C_CopyObject and C_CreateObject all read these tables (attributes.h); no
// attribute is answered anywhere else.
#pragma once

#include <optional>
#include <vector>

#include "core/util/bytes.h"
#include "pkcs11/cert_fields.h"
#include "pkcs11/ck.h"
#include "pkcs11/objects.h"

namespace optiga::pkcs11 {

// One table each. A trust anchor is an X.509 certificate the token trusts (its own table, so
// the difference is written down, not computed). CKO_DATA objects live on the chip or in a session.
enum class ObjectClass { private_key, public_key, x509_certificate, trust_anchor, secret_key, data };

// The object an attribute is read from, with what reading it may need. The certificate's fields
// are parsed at most once per call.
class AttributeSource {
 public:
  AttributeSource(ModuleContext& ctx, Slot& slot, const ObjectView& object)
      : ctx(ctx), slot(slot), object(object) {}
  ModuleContext& ctx;
  Slot& slot;
  const ObjectView& object;
  const std::optional<CertFields>& certificate_fields() const;

 private:
  mutable std::optional<std::optional<CertFields>> fields_;
};

// The object an attribute is written to (C_SetAttributeValue).
struct AttributeTarget {
  ModuleContext& ctx;
  Slot& slot;
  Session& session;
  const ObjectView& object;
};

enum class Source {
  constant,  // the same for every object of the class
  object,    // a field of the token object
  computed,  // encoded or looked up when asked (public-key encodings, certificate fields, labels)
};
enum class Secrecy {
  none,                // always revealed
  always,              // never revealed (CKR_ATTRIBUTE_SENSITIVE)
  unless_extractable,  // revealed only when the object is not sensitive and is extractable
};
enum class Change {
  never,    // CKR_ATTRIBUTE_READ_ONLY in C_SetAttributeValue and C_CopyObject templates
  in_copy,  // a C_CopyObject template may set it (PKCS#11 §4.4: CKA_TOKEN, CKA_PRIVATE, ...)
  always,   // C_SetAttributeValue (through the rule's setter) and C_CopyObject
};
enum class OnCreate {
  refused,  // CKR_ATTRIBUTE_READ_ONLY: the token decides it
  fixed,    // a template may name it only with the value the object will have (else
            // CKR_TEMPLATE_INCONSISTENT)
  taken,    // the template's value is used
  derived,  // read from another attribute (a certificate's subject from its value): ignored
};

// nullopt: this object has no value for the attribute (CKR_ATTRIBUTE_TYPE_INVALID).
using ValueFn = std::optional<Bytes> (*)(const AttributeSource&);
// Applies a new value; throws CkError (e.g. CKR_ATTRIBUTE_READ_ONLY for this very object).
using SetFn = void (*)(const AttributeTarget&, ByteView value);

struct AttributeRule {
  CK_ATTRIBUTE_TYPE type = 0;
  Source source = Source::constant;
  Bytes constant;           // Source::constant
  ValueFn value = nullptr;  // Source::object and Source::computed
  Secrecy secrecy = Secrecy::none;
  Change change = Change::never;
  SetFn set = nullptr;  // Change::always
  OnCreate on_create = OnCreate::refused;

  AttributeRule sensitive(Secrecy s = Secrecy::always) const;
  AttributeRule settable(SetFn setter) const;
  AttributeRule copy_may_change() const;
  AttributeRule when_created(OnCreate c) const;
};

using AttributeTable = std::vector<AttributeRule>;

const AttributeTable& attribute_table(ObjectClass cls);
ObjectClass class_of(const ObjectView& object);
// nullptr: the class has no such attribute.
const AttributeRule* find_rule(const AttributeTable& table, CK_ATTRIBUTE_TYPE type);

}  // namespace optiga::pkcs11
