// The module's one global context (behind C_Initialize/C_Finalize): the configured slot with its
// chip, the sessions, the object handle registry, the session objects and the logger. Every API call runs
// with the context's call lock held, so nothing here needs its own locking.
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
#include "core/token/token.h"
#include "core/token/token_labels.h"
#include "core/util/log.h"
#include "pkcs11/ck.h"
#include "pkcs11/handle_table.h"
#include "pkcs11/locking.h"
#include "pkcs11/operations.h"

namespace optiga::pkcs11 {

// What a handle stands for. Token objects are named by their chip slot, so the same object keeps
// its handle for the life of the context; session objects by their own serial.
struct ObjectKey {
  enum class Kind { private_key, public_key, certificate, secret };
  Kind kind = Kind::private_key;
  std::uint16_t oid = 0;
  std::size_t chain_index = 0;
  std::uint64_t serial = 0;  // session objects
  auto operator<=>(const ObjectKey&) const = default;
};

// A session object: the result of C_DeriveKey.
struct SecretKeyObject {
  Bytes value;
  CK_KEY_TYPE key_type = CKK_GENERIC_SECRET;
  bool sensitive = true;
  bool extractable = false;
  std::string label;
  Bytes id;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
};

struct Session {
  CK_SLOT_ID slot = 0;
  CK_FLAGS flags = 0;
  std::optional<FindOperation> find;
  std::optional<SignOperation> sign;
  std::optional<SignOperation> verify;
  std::optional<DigestOperation> digest;
  bool read_write() const { return (flags & CKF_RW_SESSION) != 0; }
};

// One configured chip: the slot and its token.
class Slot {
 public:
  Slot(config::DeviceSpec spec, std::optional<std::string> user_pin, Logger logger);
  const config::DeviceSpec& spec() const { return spec_; }
  // Opens the chip on first use; throws (TransportError...) when it cannot be reached.
  device::Device& device();
  token::Token& token();
  token::LabelStore& labels();
  bool present() noexcept;

  bool login_required() const { return user_pin_.has_value(); }
  bool check_pin(std::string_view pin) const { return !user_pin_ || *user_pin_ == pin; }
  bool logged_in = false;
  // Whether private objects may be used now (no PIN configured, or logged in).
  bool user_authorised() const { return !login_required() || logged_in; }

 private:
  config::DeviceSpec spec_;
  std::optional<std::string> user_pin_;
  Logger log_;
  // Whether "no token" was reported since the chip was last reachable: said once, not per poll.
  bool absence_reported_ = false;
  std::unique_ptr<device::Device> device_;
  std::unique_ptr<token::Token> token_;
  std::unique_ptr<token::LabelStore> labels_;
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
  HandleTable<Session>& sessions() { return sessions_; }

  CK_OBJECT_HANDLE handle_for(const ObjectKey& key);
  std::optional<ObjectKey> key_for(CK_OBJECT_HANDLE handle) const;
  CK_OBJECT_HANDLE add_secret(SecretKeyObject object);
  SecretKeyObject* secret(const ObjectKey& key);
  void erase_secret(const ObjectKey& key);
  std::map<std::uint64_t, SecretKeyObject>& secrets() { return secrets_; }

 private:
  std::unique_ptr<CallLock> lock_;
  pid_t pid_;
  Logger logger_;
  device::CryptoContext crypto_;
  std::vector<std::unique_ptr<Slot>> slots_;
  HandleTable<Session> sessions_;
  std::map<ObjectKey, CK_OBJECT_HANDLE> handles_;
  std::map<CK_OBJECT_HANDLE, ObjectKey> keys_;
  CK_OBJECT_HANDLE next_object_ = 1;
  std::uint64_t next_serial_ = 1;
  std::map<std::uint64_t, SecretKeyObject> secrets_;
};

}  // namespace optiga::pkcs11
