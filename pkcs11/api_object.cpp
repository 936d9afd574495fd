// Objects: C_FindObjectsInit/C_FindObjects/C_FindObjectsFinal, C_GetAttributeValue,
// C_SetAttributeValue (CKA_LABEL), C_CreateObject (X.509 certificates, data objects),
// C_CopyObject (data objects),
// C_DestroyObject, C_GetObjectSize. What each attribute is and may become is in the class
// tables (attribute_rules.h).
#include "core/token/token.h"
#include "core/token/token_labels.h"
#include "pkcs11/api.h"
#include "pkcs11/attributes.h"
#include "pkcs11/cert_fields.h"
#include "pkcs11/objects.h"
#include "pkcs11/template.h"

using namespace optiga;
using namespace optiga::pkcs11;

namespace {
// A CKA_LABEL the object keeps as its own: not absent, empty or a slot's name ("E0E1", which
// chooses the slot and is the default label anyway).
std::optional<std::string> own_label(Slot& slot, const std::optional<std::string>& label) {
  if (!label || label->empty()) return std::nullopt;
  try {
    slot.token().parse_slot(*label);
    return std::nullopt;
  } catch (const UsageError&) {
    return label;
  }
}

// A data object's attributes as a template sets them over `d` (creation: the defaults; copy: the
// original). CKA_PRIVATE defaults to false, as the storage flags default to true.
void apply_data_template(const Template& t, token::DataObject& d, bool& on_token) {
  on_token = t.boolean(CKA_TOKEN).value_or(on_token);
  d.is_private = t.boolean(CKA_PRIVATE).value_or(d.is_private);
  d.modifiable = t.boolean(CKA_MODIFIABLE).value_or(d.modifiable);
  d.destroyable = t.boolean(CKA_DESTROYABLE).value_or(d.destroyable);
  d.copyable = t.boolean(CKA_COPYABLE).value_or(d.copyable);
  if (auto v = t.text(CKA_LABEL)) d.label = std::move(*v);
  if (auto v = t.text(CKA_APPLICATION)) d.application = std::move(*v);
  if (auto v = t.bytes(CKA_OBJECT_ID)) d.object_id = std::move(*v);
  if (auto v = t.bytes(CKA_VALUE)) d.value = std::move(*v);
}

// Stores a data object: on the chip (core/token/data_objects.h) or in memory, owned by the
// session. A private one needs an authorised user (CKR_USER_NOT_LOGGED_IN), a token one a token
// write (require_write); too large, or no free chip object: CKR_DEVICE_MEMORY.
CK_OBJECT_HANDLE store_data(ModuleContext& ctx, CK_SESSION_HANDLE handle, const Session& s, Slot& slot,
                            const token::DataObject& d, bool on_token) {
  if (d.is_private && !slot.user_authorised()) fail(CKR_USER_NOT_LOGGED_IN, "a private object needs login");
  if (!on_token) return ctx.add_session_data(SessionDataObject{d, handle});
  require_write(s, slot);
  std::uint16_t oid = 0;
  try {
    oid = slot.data_objects().create(d);
  } catch (const UsageError&) {
    throw_write_error(WriteKind::certificate);  // the refusal decides (does_not_fit → DEVICE_MEMORY)
  }
  ctx.forget_slot(ObjectKey::Kind::data, oid);
  return ctx.handle_for(ObjectKey{ObjectKey::Kind::data, oid, 0, 0});
}
}  // namespace

extern "C" {

CK_RV C_FindObjectsInit(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    const Template t(pTemplate, ulCount);
    if (s.find) return CKR_OPERATION_ACTIVE;
    t.require_values();
    FindOperation op;
    // A search for a key by its CKA_ID (pkcs11-tool --id, most applications) looks at that key
    // slot only: a process that signs once reads nothing else from the chip.
    const auto cls = t.ulong(CKA_CLASS);
    const auto id = t.bytes(CKA_ID);
    std::optional<std::uint16_t> key_slot;
    if (id && cls && (*cls == CKO_PRIVATE_KEY || *cls == CKO_PUBLIC_KEY)) key_slot = slot.token().key_slot_of_id(*id);
    const auto candidates = key_slot ? visible_key_objects(ctx, slot, *key_slot) : visible_objects(ctx, slot, s.slot);
    for (const auto& [handle, object] : candidates)
      if (matches(AttributeSource(ctx, slot, object), t)) op.results.push_back(handle);
    s.find = std::move(op);
    return CKR_OK;
  });
}

CK_RV C_FindObjects(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE_PTR phObject, CK_ULONG ulMaxObjectCount,
                    CK_ULONG_PTR pulObjectCount) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    if (phObject == nullptr || pulObjectCount == nullptr) return CKR_ARGUMENTS_BAD;
    if (!s.find) return CKR_OPERATION_NOT_INITIALIZED;
    FindOperation& op = *s.find;
    CK_ULONG n = 0;
    while (n < ulMaxObjectCount && op.next < op.results.size()) phObject[n++] = op.results[op.next++];
    *pulObjectCount = n;
    return CKR_OK;
  });
}

CK_RV C_FindObjectsFinal(CK_SESSION_HANDLE hSession) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    if (!s.find) return CKR_OPERATION_NOT_INITIALIZED;
    s.find.reset();
    return CKR_OK;
  });
}

CK_RV C_GetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                          CK_ULONG ulCount) {
  return with_session(hSession, [&](ModuleContext& ctx, Session&, Slot& slot) -> CK_RV {
    if (pTemplate == nullptr && ulCount != 0) return CKR_ARGUMENTS_BAD;
    const ObjectView object = resolve(ctx, slot, hObject);
    return get_attribute_values(AttributeSource(ctx, slot, object), pTemplate, ulCount);
  });
}

// Only CKA_LABEL can change; labels of keys and certificates are stored on the chip
// (token_labels.h), a data object's inside the data object.
CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                          CK_ULONG ulCount) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    const Template t(pTemplate, ulCount);
    const ObjectView object = resolve(ctx, slot, hObject);
    set_attribute_values(AttributeTarget{ctx, slot, s, object}, t);
    return CKR_OK;
  });
}

// Data objects whose CKA_COPYABLE is true can be copied (to the chip or into the session, as the
// template's CKA_TOKEN says). Keys and certificates cannot (CKA_COPYABLE is false: a chip slot
// holds one object).
CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                   CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    const Template t(pTemplate, ulCount);
    if (phNewObject == nullptr) return CKR_ARGUMENTS_BAD;
    const ObjectView object = resolve(ctx, slot, hObject);
    check_copy(AttributeSource(ctx, slot, object), t);
    const token::DataObject* original = object.data_object();
    if (original == nullptr) return CKR_FUNCTION_NOT_SUPPORTED;  // only data objects are copyable
    token::DataObject copy = *original;
    bool on_token = object.key.kind == ObjectKey::Kind::data;
    apply_data_template(t, copy, on_token);
    *phNewObject = store_data(ctx, hSession, s, slot, copy, on_token);
    return CKR_OK;
  });
}

// X.509 certificates only: the target slot comes from CKA_ID / CKA_LABEL or the matching key
// (token.h, store_certificate); a CKA_LABEL that names no slot is kept on the chip as the
// certificate's label (token_labels.h). Other classes cannot be stored on the chip.
CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                     CK_OBJECT_HANDLE_PTR phObject) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    const Template t(pTemplate, ulCount);
    if (phObject == nullptr) return CKR_ARGUMENTS_BAD;
    const auto cls = t.ulong(CKA_CLASS);
    if (!cls) return CKR_TEMPLATE_INCOMPLETE;
    if (*cls == CKO_DATA) {
      check_create_template(ObjectClass::data, t);
      token::DataObject d;
      bool on_token = false;
      apply_data_template(t, d, on_token);
      *phObject = store_data(ctx, hSession, s, slot, d, on_token);
      return CKR_OK;
    }
    if (*cls != CKO_CERTIFICATE) return CKR_TEMPLATE_INCONSISTENT;
    if (t.ulong(CKA_CERTIFICATE_TYPE).value_or(CKC_X_509) != CKC_X_509) return CKR_TEMPLATE_INCONSISTENT;
    if (!t.boolean(CKA_TOKEN).value_or(false)) return CKR_TEMPLATE_INCONSISTENT;  // no session certificates
    token::CertificateTarget target;
    target.id = t.bytes(CKA_ID);
    target.label = t.text(CKA_LABEL);
    target.trusted = t.boolean(CKA_TRUSTED).value_or(false) || t.ulong(CKA_CERTIFICATE_CATEGORY).value_or(0) == 2;
    check_create_template(target.trusted ? ObjectClass::trust_anchor : ObjectClass::x509_certificate, t);
    const auto value = t.bytes(CKA_VALUE);
    if (!value) return CKR_TEMPLATE_INCOMPLETE;
    require_write(s, slot);
    if (!cert_fields(ctx.crypto(), *value)) return CKR_ATTRIBUTE_VALUE_INVALID;
    const std::optional<std::string> label = own_label(slot, target.label);
    if (label && label->size() > token::max_label_length)
      fail(CKR_ATTRIBUTE_VALUE_INVALID, "label of " + std::to_string(label->size()) + " bytes; at most " +
                                            std::to_string(token::max_label_length));
    std::uint16_t oid = 0;
    try {
      oid = slot.token().store_certificate(*value, target);
    } catch (const UsageError&) {
      throw_write_error(WriteKind::certificate);
    }
    // Whatever the slot held before is gone; its handles must not name the new certificate.
    ctx.forget_slot(ObjectKey::Kind::certificate, oid);
    // The new certificate's label (NSS's nickname, keytool's alias) is kept on the chip like a
    // key's; without one it shows its slot's name, not the label of what it replaced.
    if (label) {
      try {
        slot.labels().set_label(oid, *label);
      } catch (const UsageError&) {
        throw_write_error(WriteKind::label);
      }
    } else {
      try {
        slot.labels().clear(oid);
      } catch (const std::exception& e) {
        ctx.logger().warn(std::string("certificate written, the old label not cleared: ") + e.what());
      }
    }
    *phObject = ctx.handle_for(ObjectKey{ObjectKey::Kind::certificate, oid, 0, 0});
    return CKR_OK;
  });
}

// A certificate: its slot is erased (with the rest of a chain stored there). A key: the chip
// has no command that erases a key, so the key and its public key stay; CKR_ACTION_PROHIBITED.
CK_RV C_DestroyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    const ObjectView object = resolve(ctx, slot, hObject);
    switch (object.key.kind) {
      case ObjectKey::Kind::secret: ctx.erase_secret(object.key); return CKR_OK;
      case ObjectKey::Kind::session_data:
        if (!object.session_data->data.destroyable) return CKR_ACTION_PROHIBITED;
        ctx.erase_session_data(object.key);
        return CKR_OK;
      case ObjectKey::Kind::data:
        if (!object.data->destroyable) return CKR_ACTION_PROHIBITED;
        require_write(s, slot);
        try {
          slot.data_objects().erase(object.key.oid);
        } catch (const UsageError&) {
          throw_write_error(WriteKind::certificate);
        }
        ctx.forget_slot(ObjectKey::Kind::data, object.key.oid);
        return CKR_OK;
      case ObjectKey::Kind::private_key:
      case ObjectKey::Kind::public_key: return CKR_ACTION_PROHIBITED;
      case ObjectKey::Kind::certificate:
        if (object.key.chain_index > 0) return CKR_ACTION_PROHIBITED;
        require_write(s, slot);
        try {
          slot.token().erase_certificate(object.key.oid);
        } catch (const UsageError&) {
          throw_write_error(WriteKind::certificate);
        }
        // The handles of the erased chain go with it: a certificate written there later is a
        // new object with a new handle.
        ctx.forget_slot(ObjectKey::Kind::certificate, object.key.oid);
        try {
          slot.labels().clear(object.key.oid);
        } catch (const std::exception& e) {
          ctx.logger().warn(std::string("certificate erased, its label not cleared: ") + e.what());
        }
        return CKR_OK;
    }
    return CKR_GENERAL_ERROR;
  });
}

CK_RV C_GetObjectSize(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ULONG_PTR pulSize) {
  return with_session(hSession, [&](ModuleContext& ctx, Session&, Slot& slot) -> CK_RV {
    if (pulSize == nullptr) return CKR_ARGUMENTS_BAD;
    const ObjectView object = resolve(ctx, slot, hObject);
    *pulSize = object.certificate ? object.certificate->der.size() : CK_UNAVAILABLE_INFORMATION;
    return CKR_OK;
  });
}

}  // extern "C"
