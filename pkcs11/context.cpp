#include "pkcs11/context.h"

#include <unistd.h>

#include <cstdio>

#include "core/config/settings.h"
#include "core/util/error.h"
#include "pkcs11/errors.h"
#include "runtime/open_chip.h"

namespace optiga::pkcs11 {

Slot::Slot(config::DeviceSpec spec, std::optional<std::string> user_pin)
    : spec_(std::move(spec)), user_pin_(std::move(user_pin)) {}

device::Device& Slot::device() {
  if (!device_) {
    auto device = runtime::open_device(spec_);
    device->open();
    token_ = std::make_unique<token::Token>(*device);
    labels_ = std::make_unique<token::LabelStore>(*device);
    device_ = std::move(device);
  }
  return *device_;
}

token::Token& Slot::token() {
  device();
  return *token_;
}

token::LabelStore& Slot::labels() {
  device();
  return *labels_;
}

bool Slot::present() noexcept {
  try {
    device();
    return true;
  } catch (const std::exception& e) {
    debug_log(std::string("no token on ") + spec_.text + ": " + e.what());
    return false;
  } catch (...) {
    return false;
  }
}

ModuleContext::ModuleContext(const CK_C_INITIALIZE_ARGS* args) : lock_(make_call_lock(args)), pid_(getpid()) {
  // One slot per configured chip. No configuration is not an error: the module then has no
  // slots (p11-kit-proxy loads every installed module, configured or not).
  try {
    const config::Settings settings = config::load_settings();
    if (settings.device) {
      slots_.push_back(std::make_unique<Slot>(config::resolve_device(settings), settings.file.user_pin));
    }
  } catch (const Error& e) {
    std::fprintf(stderr, "optiga-pkcs11: no slot: %s\n", e.what());
  }
}

Slot& ModuleContext::slot(CK_SLOT_ID id) {
  if (id >= slots_.size()) fail(CKR_SLOT_ID_INVALID);
  return *slots_[id];
}

Session& ModuleContext::session(CK_SESSION_HANDLE handle) {
  Session* s = sessions_.find(handle);
  if (s == nullptr) fail(CKR_SESSION_HANDLE_INVALID);
  return *s;
}

CK_SESSION_HANDLE ModuleContext::open_session(CK_SLOT_ID slot_id, CK_FLAGS flags) {
  Session s;
  s.slot = slot_id;
  s.flags = flags;
  return sessions_.add(std::move(s));
}

void ModuleContext::close_session(CK_SESSION_HANDLE handle) {
  Session& s = session(handle);
  const CK_SLOT_ID slot_id = s.slot;
  for (auto it = secrets_.begin(); it != secrets_.end();) {
    if (it->second.session == handle) {
      const CK_OBJECT_HANDLE h = handles_[ObjectKey{ObjectKey::Kind::secret, 0, 0, it->first}];
      keys_.erase(h);
      handles_.erase(ObjectKey{ObjectKey::Kind::secret, 0, 0, it->first});
      it = secrets_.erase(it);
    } else {
      ++it;
    }
  }
  sessions_.erase(handle);
  // The login state belongs to the application and ends with its last session on the slot.
  bool any = false;
  for (auto& [h, other] : sessions_.items()) any = any || other.slot == slot_id;
  if (!any) slot(slot_id).logged_in = false;
}

void ModuleContext::close_all_sessions(CK_SLOT_ID slot_id) {
  slot(slot_id);
  std::vector<CK_SESSION_HANDLE> handles;
  for (auto& [h, s] : sessions_.items())
    if (s.slot == slot_id) handles.push_back(h);
  for (const auto h : handles) close_session(h);
  slot(slot_id).logged_in = false;
}

CK_OBJECT_HANDLE ModuleContext::handle_for(const ObjectKey& key) {
  const auto it = handles_.find(key);
  if (it != handles_.end()) return it->second;
  const CK_OBJECT_HANDLE h = next_object_++;
  handles_.emplace(key, h);
  keys_.emplace(h, key);
  return h;
}

std::optional<ObjectKey> ModuleContext::key_for(CK_OBJECT_HANDLE handle) const {
  const auto it = keys_.find(handle);
  if (it == keys_.end()) return std::nullopt;
  return it->second;
}

CK_OBJECT_HANDLE ModuleContext::add_secret(SecretKeyObject object) {
  const std::uint64_t serial = next_serial_++;
  secrets_.emplace(serial, std::move(object));
  return handle_for(ObjectKey{ObjectKey::Kind::secret, 0, 0, serial});
}

SecretKeyObject* ModuleContext::secret(const ObjectKey& key) {
  const auto it = secrets_.find(key.serial);
  return it == secrets_.end() ? nullptr : &it->second;
}

void ModuleContext::erase_secret(const ObjectKey& key) {
  const auto it = handles_.find(key);
  if (it != handles_.end()) {
    keys_.erase(it->second);
    handles_.erase(it);
  }
  secrets_.erase(key.serial);
}

}  // namespace optiga::pkcs11
