// Attribute reading, matching and writing, all through the class tables (attribute_rules.h).
// get_attribute_values() follows PKCS#11 2.40 §5.7 (C_GetAttributeValue) to the letter:
// every attribute gets its own answer, and the call returns CKR_ATTRIBUTE_SENSITIVE before
// CKR_ATTRIBUTE_TYPE_INVALID before CKR_BUFFER_TOO_SMALL when several apply.
#pragma once

#include <optional>

#include "pkcs11/attribute_rules.h"
#include "pkcs11/template.h"

namespace optiga::pkcs11 {

// C_GetAttributeValue's loop and return value.
CK_RV get_attribute_values(const AttributeSource& source, CK_ATTRIBUTE_PTR attrs, CK_ULONG count);
// One attribute's value; nullopt when the object has none or never reveals it.
std::optional<Bytes> readable_value(const AttributeSource& source, CK_ATTRIBUTE_TYPE type);
// C_FindObjects: every template attribute exists, is revealed and equals the object's value.
// Only the attributes the template names are computed.
bool matches(const AttributeSource& source, const Template& t);

// C_SetAttributeValue: checks the whole template first (CKR_ATTRIBUTE_TYPE_INVALID,
// CKR_ATTRIBUTE_READ_ONLY, CKR_ATTRIBUTE_VALUE_INVALID), then applies it. Throws CkError.
void set_attribute_values(const AttributeTarget& target, const Template& t);
// C_CreateObject for an object of class `cls`: what the template may say (on_create). Throws.
void check_create_template(ObjectClass cls, const Template& t);
// C_CopyObject: what the template may change (Change), then whether the object may be copied
// (CKA_COPYABLE, else CKR_ACTION_PROHIBITED). Throws.
void check_copy(const AttributeSource& source, const Template& t);

}  // namespace optiga::pkcs11
