// The one handle manager of the module: every session and object handle comes from here.
// Handles are opaque numbers (never pointers), drawn from one process-wide counter that only
// grows, so a handle is never reused in the life of the process, not even across
// C_Finalize/C_Initialize, and a stale or foreign handle names nothing. Lookups are typed: a
// session handle given where an object is expected (or the reverse) is simply unknown.
//
// The table is guarded by its own mutex. The entries it hands out (Session&, SecretKeyObject*,
// SessionDataObject*)
// stay valid until removed; every API call holds the context's call lock, which is what keeps
// another thread from removing them meanwhile.
#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <variant>
#include <vector>

#include "pkcs11/ck.h"
#include "pkcs11/object_key.h"
#include "pkcs11/session.h"

namespace optiga::pkcs11 {

struct SessionRef {
  CK_SESSION_HANDLE handle;
  Session& session;
};

class HandleManager {
 public:
  HandleManager() = default;
  HandleManager(const HandleManager&) = delete;
  HandleManager& operator=(const HandleManager&) = delete;

  // Sessions.
  CK_SESSION_HANDLE add_session(Session session);
  Session* session(CK_SESSION_HANDLE handle);
  std::vector<SessionRef> sessions();

  // Token objects: the same key always gets the same handle, until forget() drops it.
  CK_OBJECT_HANDLE object_handle(const ObjectKey& key);
  // Drops the handles of every object of this kind in a chip slot (erased or rewritten): what
  // is written there next is a new object with new handles.
  void forget_slot(ObjectKey::Kind kind, std::uint16_t oid);
  // Session objects: held here; their ObjectKey carries their handle as serial.
  CK_OBJECT_HANDLE add_session_object(SecretKeyObject object);
  // What an object handle names (nullopt: not an object handle, or removed).
  std::optional<ObjectKey> object_key(CK_OBJECT_HANDLE handle);
  SecretKeyObject* session_object(CK_OBJECT_HANDLE handle);
  std::vector<CK_OBJECT_HANDLE> session_objects();
  // Session data objects, likewise (their ObjectKey is Kind::session_data).
  CK_OBJECT_HANDLE add_session_data(SessionDataObject object);
  SessionDataObject* session_data(CK_OBJECT_HANDLE handle);
  std::vector<CK_OBJECT_HANDLE> session_data_objects();

  // Drops a handle of any kind; false when it named nothing.
  bool remove(CK_ULONG handle);

 private:
  using Entry = std::variant<Session, ObjectKey, SecretKeyObject, SessionDataObject>;
  template <typename T>
  T* find_locked(CK_ULONG handle);

  std::mutex mutex_;
  std::map<CK_ULONG, Entry> entries_;
  std::map<ObjectKey, CK_OBJECT_HANDLE> token_objects_;  // reverse index of the ObjectKey entries
};

}  // namespace optiga::pkcs11
