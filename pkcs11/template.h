// Reading caller templates (CK_ATTRIBUTE arrays) and encoding attribute values.
#pragma once

#include <cstring>
#include <optional>
#include <string>

#include "core/util/bytes.h"
#include "pkcs11/ck.h"
#include "pkcs11/errors.h"

namespace optiga::pkcs11 {

class Template {
 public:
  // CKR_ARGUMENTS_BAD for a NULL array with a count.
  Template(CK_ATTRIBUTE_PTR attrs, CK_ULONG count) : attrs_(attrs), count_(count) {
    if (attrs == nullptr && count != 0) fail(CKR_ARGUMENTS_BAD);
  }
  // CKR_ARGUMENTS_BAD for an attribute with a length but no value (a search template must point
  // at every value it promises).
  void require_values() const {
    for (CK_ULONG i = 0; i < count_; ++i)
      if (attrs_[i].pValue == nullptr && attrs_[i].ulValueLen != 0) fail(CKR_ARGUMENTS_BAD);
  }
  const CK_ATTRIBUTE* find(CK_ATTRIBUTE_TYPE type) const {
    for (CK_ULONG i = 0; i < count_; ++i)
      if (attrs_[i].type == type) return &attrs_[i];
    return nullptr;
  }
  std::optional<Bytes> bytes(CK_ATTRIBUTE_TYPE type) const {
    const CK_ATTRIBUTE* a = find(type);
    if (a == nullptr) return std::nullopt;
    if (a->pValue == nullptr && a->ulValueLen != 0) fail(CKR_ATTRIBUTE_VALUE_INVALID);
    const auto* p = static_cast<const std::uint8_t*>(a->pValue);
    return p == nullptr ? Bytes{} : Bytes(p, p + a->ulValueLen);
  }
  std::optional<std::string> text(CK_ATTRIBUTE_TYPE type) const {
    const auto b = bytes(type);
    if (!b) return std::nullopt;
    return std::string(b->begin(), b->end());
  }
  std::optional<bool> boolean(CK_ATTRIBUTE_TYPE type) const {
    const CK_ATTRIBUTE* a = find(type);
    if (a == nullptr) return std::nullopt;
    if (a->pValue == nullptr || a->ulValueLen != sizeof(CK_BBOOL)) fail(CKR_ATTRIBUTE_VALUE_INVALID);
    return *static_cast<const CK_BBOOL*>(a->pValue) != CK_FALSE;
  }
  std::optional<CK_ULONG> ulong(CK_ATTRIBUTE_TYPE type) const {
    const CK_ATTRIBUTE* a = find(type);
    if (a == nullptr) return std::nullopt;
    if (a->pValue == nullptr || a->ulValueLen != sizeof(CK_ULONG)) fail(CKR_ATTRIBUTE_VALUE_INVALID);
    CK_ULONG v = 0;
    std::memcpy(&v, a->pValue, sizeof v);
    return v;
  }
  CK_ULONG size() const { return count_; }
  const CK_ATTRIBUTE& operator[](CK_ULONG i) const { return attrs_[i]; }

 private:
  CK_ATTRIBUTE_PTR attrs_;
  CK_ULONG count_;
};

inline Bytes ck_bool(bool v) { return Bytes{static_cast<std::uint8_t>(v ? CK_TRUE : CK_FALSE)}; }
inline Bytes ck_ulong(CK_ULONG v) {
  Bytes out(sizeof v);
  std::memcpy(out.data(), &v, sizeof v);
  return out;
}
inline Bytes ck_text(std::string_view s) { return Bytes(s.begin(), s.end()); }

}  // namespace optiga::pkcs11
