// The module's one global context (behind C_Initialize/C_Finalize): the configured slot with its
// chip, the one handle manager holding the sessions, the object handles and the session objects,
// and the logger. Every API call runs with the context's call lock held.
#pragma once

#include <sys/types.h>

#include <compare>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config/config_file.h"
#include "core/config/device_spec.h"
#include "core/device/device.h"
#include "core/device/public_key.h"
#include "core/token/data_objects.h"
#include "core/token/token.h"
#include "core/token/token_labels.h"
#include "core/util/log.h"
#include "pkcs11/ck.h"
#include "pkcs11/handle_manager.h"
#include "pkcs11/locking.h"
#include "pkcs11/object_key.h"
#include "pkcs11/session.h"

namespace optiga::pkcs11 {

// One configured chip: the slot and its token.
class Slot {
 public:
  Slot(config::DeviceSpec spec, std::optional<std::string> user_pin, Logger logger);
  const config::DeviceSpec& spec() const { return spec_; }
  // The chip, opened on first use; throws (TransportError...) when it cannot be reached. The
  // module reaches the chip only through its token.
  token::Token& token();
  token::LabelStore& labels();
  token::DataObjectStore& data_objects();
  bool present() noexcept;

  bool login_required() const { return user_pin_.has_value(); }
  bool check_pin(std::string_view pin) const { return !user_pin_ || *user_pin_ == pin; }
  bool logged_in = false;
  // Whether private objects may be used now (no PIN configured, or logged in).
  bool user_authorised() const { return !login_required() || logged_in; }

 private:
  config::DeviceSpec spec_;
  void open_chip();
  std::optional<std::string> user_pin_;
  Logger log_;
  // Whether "no token" was reported since the chip was last reachable: said once, not per poll.
  bool absence_reported_ = false;
  std::unique_ptr<device::Device> device_;  // owned for the token; never used directly
  std::unique_ptr<token::Token> token_;
  std::unique_ptr<token::LabelStore> labels_;
  std::unique_ptr<token::DataObjectStore> data_;
};

// The module's logger for this configuration file: $OPTIGA_LOG_LEVEL > log_level > warn. A bad
// $OPTIGA_LOG_LEVEL is a warning, never a reason to fail C_Initialize (log_settings.h).
Logger module_logger(const config::ConfigFile& file);

class ModuleContext {
 public:
  explicit ModuleContext(const CK_C_INITIALIZE_ARGS* args);
  ModuleContext(const ModuleContext&) = delete;
  ModuleContext& operator=(const ModuleContext&) = delete;

  CallLock& call_lock() { return *lock_; }
  const Logger& logger() const { return logger_; }
  pid_t pid() const { return pid_; }
  const device::CryptoContext& crypto() const { return crypto_; }

  std::size_t slot_count() const { return slots_.size(); }
  Slot& slot(CK_SLOT_ID id);  // CKR_SLOT_ID_INVALID
  Session& session(CK_SESSION_HANDLE handle);  // CKR_SESSION_HANDLE_INVALID
  CK_SESSION_HANDLE open_session(CK_SLOT_ID slot, CK_FLAGS flags);
  void close_session(CK_SESSION_HANDLE handle);
  void close_all_sessions(CK_SLOT_ID slot);
  std::vector<SessionRef> sessions() { return handles_.sessions(); }

  // Object handles (handle_manager.h): chip objects keep theirs for the life of the context.
  CK_OBJECT_HANDLE handle_for(const ObjectKey& key) { return handles_.object_handle(key); }
  std::optional<ObjectKey> key_for(CK_OBJECT_HANDLE handle) { return handles_.object_key(handle); }
  // Forgets the handles of a chip slot's objects (erased or rewritten).
  void forget_slot(ObjectKey::Kind kind, std::uint16_t oid) { handles_.forget_slot(kind, oid); }
  CK_OBJECT_HANDLE add_secret(SecretKeyObject object) { return handles_.add_session_object(std::move(object)); }
  SecretKeyObject* secret(const ObjectKey& key) { return handles_.session_object(key.serial); }
  void erase_secret(const ObjectKey& key) { handles_.remove(key.serial); }
  std::vector<CK_OBJECT_HANDLE> secrets() { return handles_.session_objects(); }
  CK_OBJECT_HANDLE add_session_data(SessionDataObject object) { return handles_.add_session_data(std::move(object)); }
  SessionDataObject* session_data(const ObjectKey& key) { return handles_.session_data(key.serial); }
  std::vector<CK_OBJECT_HANDLE> session_data_objects() { return handles_.session_data_objects(); }
  void erase_session_data(const ObjectKey& key) { handles_.remove(key.serial); }

 private:
  std::unique_ptr<CallLock> lock_;
  pid_t pid_;
  Logger logger_;
  device::CryptoContext crypto_;
  std::vector<std::unique_ptr<Slot>> slots_;
  HandleManager handles_;
};

}  // namespace optiga::pkcs11
