// Objects: C_FindObjectsInit/C_FindObjects/C_FindObjectsFinal, C_GetAttributeValue,
// C_SetAttributeValue (CKA_LABEL), C_CreateObject (X.509 certificates), C_CopyObject,
// C_DestroyObject, C_GetObjectSize. What each attribute is and may become is in the class
// tables (attribute_rules.h).
#include "core/token/token.h"
#include "pkcs11/api.h"
#include "pkcs11/attributes.h"
#include "pkcs11/cert_fields.h"
#include "pkcs11/objects.h"
#include "pkcs11/template.h"

using namespace optiga;
using namespace optiga::pkcs11;

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

// Only CKA_LABEL can change; labels of chip objects are stored on the chip (token_labels.h).
CK_RV C_SetAttributeValue(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                          CK_ULONG ulCount) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    const Template t(pTemplate, ulCount);
    const ObjectView object = resolve(ctx, slot, hObject);
    set_attribute_values(AttributeTarget{ctx, slot, s, object}, t);
    return CKR_OK;
  });
}

// No object of this token can be copied (CKA_COPYABLE is false: a chip slot holds one object).
CK_RV C_CopyObject(CK_SESSION_HANDLE hSession, CK_OBJECT_HANDLE hObject, CK_ATTRIBUTE_PTR pTemplate,
                   CK_ULONG ulCount, CK_OBJECT_HANDLE_PTR phNewObject) {
  return with_session(hSession, [&](ModuleContext& ctx, Session&, Slot& slot) -> CK_RV {
    const Template t(pTemplate, ulCount);
    if (phNewObject == nullptr) return CKR_ARGUMENTS_BAD;
    const ObjectView object = resolve(ctx, slot, hObject);
    check_copy(AttributeSource(ctx, slot, object), t);
    return CKR_FUNCTION_NOT_SUPPORTED;  // reached only if a class ever becomes copyable
  });
}

// X.509 certificates only: the target slot comes from CKA_ID / CKA_LABEL or the matching key
// (token.h, store_certificate). Other classes cannot be stored on the chip.
CK_RV C_CreateObject(CK_SESSION_HANDLE hSession, CK_ATTRIBUTE_PTR pTemplate, CK_ULONG ulCount,
                     CK_OBJECT_HANDLE_PTR phObject) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    const Template t(pTemplate, ulCount);
    if (phObject == nullptr) return CKR_ARGUMENTS_BAD;
    const auto cls = t.ulong(CKA_CLASS);
    if (!cls) return CKR_TEMPLATE_INCOMPLETE;
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
    std::uint16_t oid = 0;
    try {
      oid = slot.token().store_certificate(*value, target);
    } catch (const UsageError&) {
      throw_write_error(WriteKind::certificate);
    }
    // Whatever the slot held before is gone; its handles must not name the new certificate.
    ctx.forget_slot(ObjectKey::Kind::certificate, oid);
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
