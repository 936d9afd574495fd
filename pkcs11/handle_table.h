// Opaque handles (never pointers): a counter that only grows, so a stale handle can never name
// a new object or session.
#pragma once

#include <map>
#include <optional>

#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

template <typename T>
class HandleTable {
 public:
  CK_ULONG add(T value) {
    const CK_ULONG handle = next_++;
    items_.emplace(handle, std::move(value));
    return handle;
  }
  T* find(CK_ULONG handle) {
    const auto it = items_.find(handle);
    return it == items_.end() ? nullptr : &it->second;
  }
  bool erase(CK_ULONG handle) { return items_.erase(handle) > 0; }
  void clear() { items_.clear(); }
  std::map<CK_ULONG, T>& items() { return items_; }
  std::size_t size() const { return items_.size(); }

 private:
  CK_ULONG next_ = 1;  // 0 is CK_INVALID_HANDLE
  std::map<CK_ULONG, T> items_;
};

}  // namespace optiga::pkcs11
