#include "pkcs11/handle_manager.h"

#include <atomic>

namespace optiga::pkcs11 {
namespace {

// Process-wide on purpose: a context ends with C_Finalize, and handles an application kept from
// before must not name objects of the next context. 0 is CK_INVALID_HANDLE.
CK_ULONG next_handle() {
  static std::atomic<CK_ULONG> counter{1};
  return counter.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace

template <typename T>
T* HandleManager::find_locked(CK_ULONG handle) {
  const auto it = entries_.find(handle);
  return it == entries_.end() ? nullptr : std::get_if<T>(&it->second);
}

CK_SESSION_HANDLE HandleManager::add_session(Session session) {
  const std::lock_guard lock(mutex_);
  const CK_ULONG handle = next_handle();
  entries_.emplace(handle, std::move(session));
  return handle;
}

Session* HandleManager::session(CK_SESSION_HANDLE handle) {
  const std::lock_guard lock(mutex_);
  return find_locked<Session>(handle);
}

std::vector<SessionRef> HandleManager::sessions() {
  const std::lock_guard lock(mutex_);
  std::vector<SessionRef> out;
  for (auto& [handle, entry] : entries_)
    if (auto* s = std::get_if<Session>(&entry)) out.push_back({handle, *s});
  return out;
}

CK_OBJECT_HANDLE HandleManager::object_handle(const ObjectKey& key) {
  const std::lock_guard lock(mutex_);
  const auto it = token_objects_.find(key);
  if (it != token_objects_.end()) return it->second;
  const CK_ULONG handle = next_handle();
  entries_.emplace(handle, key);
  token_objects_.emplace(key, handle);
  return handle;
}

void HandleManager::forget_slot(ObjectKey::Kind kind, std::uint16_t oid) {
  const std::lock_guard lock(mutex_);
  for (auto it = token_objects_.begin(); it != token_objects_.end();) {
    if (it->first.kind == kind && it->first.oid == oid) {
      entries_.erase(it->second);
      it = token_objects_.erase(it);
    } else {
      ++it;
    }
  }
}

CK_OBJECT_HANDLE HandleManager::add_session_object(SecretKeyObject object) {
  const std::lock_guard lock(mutex_);
  const CK_ULONG handle = next_handle();
  entries_.emplace(handle, std::move(object));
  return handle;
}

std::optional<ObjectKey> HandleManager::object_key(CK_OBJECT_HANDLE handle) {
  const std::lock_guard lock(mutex_);
  if (const auto* key = find_locked<ObjectKey>(handle)) return *key;
  if (find_locked<SecretKeyObject>(handle) != nullptr)
    return ObjectKey{ObjectKey::Kind::secret, 0, 0, handle};
  if (find_locked<SessionDataObject>(handle) != nullptr)
    return ObjectKey{ObjectKey::Kind::session_data, 0, 0, handle};
  return std::nullopt;
}

SecretKeyObject* HandleManager::session_object(CK_OBJECT_HANDLE handle) {
  const std::lock_guard lock(mutex_);
  return find_locked<SecretKeyObject>(handle);
}

std::vector<CK_OBJECT_HANDLE> HandleManager::session_objects() {
  const std::lock_guard lock(mutex_);
  std::vector<CK_OBJECT_HANDLE> out;
  for (const auto& [handle, entry] : entries_)
    if (std::holds_alternative<SecretKeyObject>(entry)) out.push_back(handle);
  return out;
}

CK_OBJECT_HANDLE HandleManager::add_session_data(SessionDataObject object) {
  const std::lock_guard lock(mutex_);
  const CK_ULONG handle = next_handle();
  entries_.emplace(handle, std::move(object));
  return handle;
}

SessionDataObject* HandleManager::session_data(CK_OBJECT_HANDLE handle) {
  const std::lock_guard lock(mutex_);
  return find_locked<SessionDataObject>(handle);
}

std::vector<CK_OBJECT_HANDLE> HandleManager::session_data_objects() {
  const std::lock_guard lock(mutex_);
  std::vector<CK_OBJECT_HANDLE> out;
  for (const auto& [handle, entry] : entries_)
    if (std::holds_alternative<SessionDataObject>(entry)) out.push_back(handle);
  return out;
}

bool HandleManager::remove(CK_ULONG handle) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(handle);
  if (it == entries_.end()) return false;
  if (const auto* key = std::get_if<ObjectKey>(&it->second)) token_objects_.erase(*key);
  entries_.erase(it);
  return true;
}

}  // namespace optiga::pkcs11
