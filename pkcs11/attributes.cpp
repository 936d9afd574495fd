#include "pkcs11/attributes.h"

#include <algorithm>
#include <cstring>

#include "pkcs11/errors.h"

namespace optiga::pkcs11 {
namespace {

const AttributeTable& table_of(const AttributeSource& source) {
  return attribute_table(class_of(source.object));
}

std::optional<Bytes> value_of(const AttributeSource& source, const AttributeRule& rule) {
  if (rule.source == Source::constant) return rule.constant;
  return rule.value(source);
}

bool flag(const AttributeSource& source, CK_ATTRIBUTE_TYPE type) {
  const AttributeRule* rule = find_rule(table_of(source), type);
  if (rule == nullptr) return false;
  const auto v = value_of(source, *rule);
  return v && v->size() == 1 && (*v)[0] != CK_FALSE;
}

// Whether the object keeps this attribute's value to itself. For Secrecy::unless_extractable
// the object's own CKA_SENSITIVE / CKA_EXTRACTABLE rows decide (PKCS#11 §4.9).
bool hidden(const AttributeSource& source, const AttributeRule& rule) {
  switch (rule.secrecy) {
    case Secrecy::none:
      return false;
    case Secrecy::always:
      return true;
    case Secrecy::unless_extractable:
      return flag(source, CKA_SENSITIVE) || !flag(source, CKA_EXTRACTABLE);
  }
  return true;
}

ByteView given_value(const CK_ATTRIBUTE& a) {
  if (a.pValue == nullptr && a.ulValueLen != 0) fail(CKR_ATTRIBUTE_VALUE_INVALID);
  if (a.pValue == nullptr) return {};
  return ByteView(static_cast<const std::uint8_t*>(a.pValue), a.ulValueLen);
}

bool equal(ByteView given, const Bytes& value) {
  return given.size() == value.size() && std::equal(value.begin(), value.end(), given.begin());
}

}  // namespace

CK_RV get_attribute_values(const AttributeSource& source, CK_ATTRIBUTE_PTR attrs, CK_ULONG count) {
  if (attrs == nullptr && count != 0) return CKR_ARGUMENTS_BAD;
  const AttributeTable& table = table_of(source);
  bool sensitive = false, type_invalid = false, too_small = false;
  for (CK_ULONG i = 0; i < count; ++i) {
    CK_ATTRIBUTE& a = attrs[i];
    const AttributeRule* rule = find_rule(table, a.type);
    if (rule != nullptr && hidden(source, *rule)) {
      a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
      sensitive = true;
      continue;
    }
    const auto value = rule == nullptr ? std::nullopt : value_of(source, *rule);
    if (!value) {
      a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
      type_invalid = true;
    } else if (a.pValue == nullptr) {
      a.ulValueLen = value->size();
    } else if (a.ulValueLen >= value->size()) {
      if (!value->empty()) std::memcpy(a.pValue, value->data(), value->size());
      a.ulValueLen = value->size();
    } else {
      a.ulValueLen = CK_UNAVAILABLE_INFORMATION;
      too_small = true;
    }
  }
  if (sensitive) return CKR_ATTRIBUTE_SENSITIVE;
  if (type_invalid) return CKR_ATTRIBUTE_TYPE_INVALID;
  if (too_small) return CKR_BUFFER_TOO_SMALL;
  return CKR_OK;
}

std::optional<Bytes> readable_value(const AttributeSource& source, CK_ATTRIBUTE_TYPE type) {
  const AttributeRule* rule = find_rule(table_of(source), type);
  if (rule == nullptr || hidden(source, *rule)) return std::nullopt;
  return value_of(source, *rule);
}

bool matches(const AttributeSource& source, const Template& t) {
  for (CK_ULONG i = 0; i < t.size(); ++i) {
    const auto value = readable_value(source, t[i].type);
    if (!value) return false;
    if (t[i].pValue == nullptr) {
      if (!value->empty() || t[i].ulValueLen != 0) return false;
    } else if (!equal(ByteView(static_cast<const std::uint8_t*>(t[i].pValue), t[i].ulValueLen), *value)) {
      return false;
    }
  }
  return true;
}

void set_attribute_values(const AttributeTarget& target, const Template& t) {
  const AttributeTable& table = attribute_table(class_of(target.object));
  std::vector<std::pair<const AttributeRule*, ByteView>> changes;
  for (CK_ULONG i = 0; i < t.size(); ++i) {
    const AttributeRule* rule = find_rule(table, t[i].type);
    if (rule == nullptr) fail(CKR_ATTRIBUTE_TYPE_INVALID);
    if (rule->change != Change::always || rule->set == nullptr) fail(CKR_ATTRIBUTE_READ_ONLY);
    changes.emplace_back(rule, given_value(t[i]));
  }
  for (const auto& [rule, value] : changes) rule->set(target, value);
}

void check_create_template(ObjectClass cls, const Template& t) {
  const AttributeTable& table = attribute_table(cls);
  for (CK_ULONG i = 0; i < t.size(); ++i) {
    const AttributeRule* rule = find_rule(table, t[i].type);
    if (rule == nullptr) fail(CKR_ATTRIBUTE_TYPE_INVALID);
    switch (rule->on_create) {
      case OnCreate::refused:
        fail(CKR_ATTRIBUTE_READ_ONLY);
      case OnCreate::fixed:
        if (rule->source != Source::constant) fail(CKR_ATTRIBUTE_READ_ONLY);
        if (!equal(given_value(t[i]), rule->constant)) fail(CKR_TEMPLATE_INCONSISTENT);
        break;
      case OnCreate::taken:
      case OnCreate::derived:
        break;
    }
  }
}

void check_copy(const AttributeSource& source, const Template& t) {
  const AttributeTable& table = table_of(source);
  for (CK_ULONG i = 0; i < t.size(); ++i) {
    const AttributeRule* rule = find_rule(table, t[i].type);
    if (rule == nullptr) fail(CKR_ATTRIBUTE_TYPE_INVALID);
    if (rule->change == Change::never) fail(CKR_ATTRIBUTE_READ_ONLY);
    given_value(t[i]);
  }
  if (!flag(source, CKA_COPYABLE)) fail(CKR_ACTION_PROHIBITED, "CKA_COPYABLE is false");
}

}  // namespace optiga::pkcs11
