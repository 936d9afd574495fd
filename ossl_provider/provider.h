// The one provider context of the `optiga` provider: the core's handle and upcalls, the provider
// parameters from openssl.cnf, a private library context for software crypto (hashing,
// verification), the logger, and the chip, opened on first use. Every operation file reaches the chip only
// through with_token(), which serialises access and translates core errors to the OpenSSL error
// stack once.
#pragma once

#include <openssl/core.h>
#include <openssl/core_dispatch.h>
#include <openssl/types.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <source_location>
#include <string>

#include "core/config/settings.h"
#include "core/device/device.h"
#include "core/token/token.h"
#include "core/util/log.h"
#include "core/util/openssl_ptr.h"

namespace optiga::provider {

// Reason codes of the provider's errors (strings in provider.cpp).
enum Reason : int {
  reason_slot_empty = 1,
  reason_bad_uri,
  reason_unknown_slot,
  reason_no_device,
  reason_chip,
  reason_usage,
  reason_not_supported,
  reason_bad_reference,
  reason_no_private_key,
  reason_internal,
  reason_not_certificate,
};

class ProviderContext {
 public:
  ProviderContext(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* in);
  ~ProviderContext();
  ProviderContext(const ProviderContext&) = delete;
  ProviderContext& operator=(const ProviderContext&) = delete;

  // Where software crypto runs: a library context of our own with the default provider, so
  // nothing we do recurses into the core that loaded us (architecture "Behaviour generic clients
  // rely on").
  OSSL_LIB_CTX* software() const { return software_.get(); }
  // Whether the application's library context has an EC key manager other than ours (the
  // default provider, usually): without one, a key generation without a slot is a mistake, not a
  // software key the application can use elsewhere.
  bool application_has_other_ec();
  bool rand_enabled() const { return rand_enabled_; }
  const std::string& device_text() const { return device_text_; }
  // Leveled lines on stderr, "optiga-provider: debug: ..." ($OPTIGA_LOG_LEVEL > log_level > warn).
  const Logger& logger() const { return logger_; }

  // Runs f(token) with the chip opened and locked against other threads of this process.
  // Exceptions from the core become one OpenSSL error line "optiga: <what>: <cause>", attributed
  // to the calling function (`where`), and the call returns false.
  bool with_token(const std::string& what, const std::function<void(token::Token&)>& f,
                  std::source_location where = std::source_location::current());

  // One error line on the OpenSSL error stack, attributed to this provider. The core keeps the
  // file and func pointers, not copies: both must be static strings.
  void raise(int reason, const char* file, int line, const char* func, const std::string& message) const;

  // The core's BIO read, for decoders (OSSL_CORE_BIO is opaque to us).
  int bio_read(OSSL_CORE_BIO* bio, void* data, std::size_t size, std::size_t* read) const;
  int bio_gets(OSSL_CORE_BIO* bio, char* buf, int size) const;
  int bio_write(OSSL_CORE_BIO* bio, const void* data, std::size_t size, std::size_t* written) const;

 private:
  void open_chip();
  config::SettingsSources settings_sources() const;
  // " sim+unix:/run/x.sock (from $OPTIGA_DEVICE)": the device string the precedence chose, for
  // messages; empty when none is configured.
  std::string device_in_use() const;
  void make_logger();
  std::optional<std::string> core_param(const char* name) const;

  const OSSL_CORE_HANDLE* handle_;
  OSSL_FUNC_core_get_params_fn* core_get_params_ = nullptr;
  OSSL_FUNC_core_new_error_fn* core_new_error_ = nullptr;
  OSSL_FUNC_core_set_error_debug_fn* core_set_error_debug_ = nullptr;
  OSSL_FUNC_core_vset_error_fn* core_vset_error_ = nullptr;
  OSSL_FUNC_BIO_read_ex_fn* core_bio_read_ = nullptr;
  OSSL_FUNC_BIO_write_ex_fn* core_bio_write_ = nullptr;
  OSSL_FUNC_BIO_gets_fn* core_bio_gets_ = nullptr;

  const OSSL_DISPATCH* core_in_;  // the core's functions, for the child library context
  LibCtxPtr application_;          // a child of the application's library context (lazily made)
  LibCtxPtr software_;
  // The default provider loaded into software_: its handle holds a reference that freeing the
  // library context does not drop, so it is unloaded first (else the provider object leaks).
  OSSL_PROVIDER* software_default_ = nullptr;
  std::string device_text_;   // provider parameter "device" (empty: $OPTIGA_DEVICE or the config file)
  std::string config_path_;   // provider parameter "config"
  bool rand_enabled_ = false;  // provider parameter "rand"
  Logger logger_;

  std::mutex mutex_;
  std::unique_ptr<device::Device> device_;
  std::unique_ptr<token::Token> token_;
};

// __func__, not OPENSSL_FUNC: <openssl/e_os2.h> defines that only for C (__STDC_VERSION__), so
// in C++ every error would read "(unknown function)".
#define OPTIGA_RAISE(pctx, reason, message) (pctx)->raise((reason), OPENSSL_FILE, OPENSSL_LINE, __func__, (message))

// "0xE0F1"
std::string slot_text(std::uint16_t oid);

}  // namespace optiga::provider
