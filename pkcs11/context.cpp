#include "pkcs11/context.h"

#include <unistd.h>

#include "core/config/log_settings.h"
#include "core/config/settings.h"
#include "core/util/error.h"
#include "pkcs11/errors.h"
#include "runtime/open_chip.h"

namespace optiga::pkcs11 {

Logger module_logger(const config::ConfigFile& file) { return config::library_logger("optiga-pkcs11", file); }

Slot::Slot(config::DeviceSpec spec, std::optional<std::string> user_pin, Logger logger)
    : spec_(std::move(spec)), user_pin_(std::move(user_pin)), log_(std::move(logger)) {}

void Slot::open_chip() {
  if (!device_) {
    log_.debug("opening " + spec_.text);
    auto device = runtime::open_device(spec_);
    device->set_logger(log_);
    device->open();
    log_.info("token found on " + spec_.text + ": " + std::string(chip::model_name(device->model())));
    absence_reported_ = false;
    token_ = std::make_unique<token::Token>(*device);
    labels_ = std::make_unique<token::LabelStore>(*device);
    data_ = std::make_unique<token::DataObjectStore>(*device);
    device_ = std::move(device);
  }
}

token::Token& Slot::token() {
  open_chip();
  return *token_;
}

token::LabelStore& Slot::labels() {
  open_chip();
  return *labels_;
}

token::DataObjectStore& Slot::data_objects() {
  open_chip();
  return *data_;
}

bool Slot::present() noexcept {
  try {
    open_chip();
    return true;
  } catch (const std::exception& e) {
    // Applications poll C_GetSlotList/C_GetSlotInfo: the first miss is a warning, the rest debug.
    log_.log(absence_reported_ ? LogLevel::debug : LogLevel::warn, std::string("no token on ") + spec_.text + ": " + e.what());
    absence_reported_ = true;
    return false;
  } catch (...) {
    return false;
  }
}

ModuleContext::ModuleContext(const CK_C_INITIALIZE_ARGS* args) : lock_(make_call_lock(args)), pid_(getpid()) {
  // One slot per configured chip. No configuration is not an error: the module then has no
  // slots (p11-kit-proxy loads every installed module, configured or not).
  std::optional<config::Settings> settings;
  std::string problem;
  try {
    settings = config::load_settings();
  } catch (const Error& e) {
    problem = e.what();
  }
  logger_ = module_logger(settings ? settings->file : config::ConfigFile{});
  if (!problem.empty()) {
    logger_.error("no slot: " + problem);
    return;
  }
  if (!settings->device) {
    logger_.info("C_Initialize: no device configured, so no slot (set OPTIGA_DEVICE or device= in the configuration file)");
    return;
  }
  try {
    slots_.push_back(std::make_unique<Slot>(config::resolve_device(*settings), settings->file.user_pin, logger_));
    logger_.info("C_Initialize: slot 0 is " + *settings->device + " (from " + settings->device_origin + ")" +
                 (settings->file.source.empty() ? "" : ", configuration " + settings->file.source.string()) +
                 (settings->file.user_pin ? ", login required" : ""));
  } catch (const Error& e) {
    logger_.error(std::string("no slot: ") + e.what());
  }
}

Slot& ModuleContext::slot(CK_SLOT_ID id) {
  if (id >= slots_.size()) fail(CKR_SLOT_ID_INVALID);
  return *slots_[id];
}

Session& ModuleContext::session(CK_SESSION_HANDLE handle) {
  Session* s = handles_.session(handle);
  if (s == nullptr) fail(CKR_SESSION_HANDLE_INVALID);
  return *s;
}

CK_SESSION_HANDLE ModuleContext::open_session(CK_SLOT_ID slot_id, CK_FLAGS flags) {
  Session s;
  s.slot = slot_id;
  s.flags = flags;
  return handles_.add_session(std::move(s));
}

void ModuleContext::close_session(CK_SESSION_HANDLE handle) {
  const CK_SLOT_ID slot_id = session(handle).slot;
  // Session objects end with the session that made them.
  for (const auto h : handles_.session_objects())
    if (handles_.session_object(h)->session == handle) handles_.remove(h);
  for (const auto h : handles_.session_data_objects())
    if (handles_.session_data(h)->session == handle) handles_.remove(h);
  handles_.remove(handle);
  // The login state belongs to the application and ends with its last session on the slot.
  bool any = false;
  for (const auto& [h, other] : handles_.sessions()) any = any || other.slot == slot_id;
  if (!any) slot(slot_id).logged_in = false;
}

void ModuleContext::close_all_sessions(CK_SLOT_ID slot_id) {
  slot(slot_id);
  for (const auto& [h, s] : handles_.sessions())
    if (s.slot == slot_id) close_session(h);
  slot(slot_id).logged_in = false;
}

}  // namespace optiga::pkcs11
