// Provider core: OSSL_provider_init, the parameters, the operation tables and the context's
// chip access and error translation.
#include "ossl_provider/provider.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>
#include <openssl/prov_ssl.h>

#include <cstdarg>
#include <cstdlib>
#include <set>

#include "core/chip/chip_error.h"
#include "core/config/log_settings.h"
#include "core/config/settings.h"
#include "core/util/error.h"
#include "core/util/yes_no.h"
#include "ossl_provider/algorithms.h"
#include "runtime/open_chip.h"

namespace optiga::provider {

std::string slot_text(std::uint16_t oid) { return chip::oid_text(oid); }

namespace {

// "void* optiga::provider::{anonymous}::store_open(void*, const char*)" → "store_open", kept for
// the life of the process: the core stores the pointer with the error, not a copy. The set is
// bounded by the number of call sites.
const char* function_name(const std::source_location& where) {
  std::string_view name = where.function_name();
  if (const auto paren = name.find('('); paren != std::string_view::npos) name = name.substr(0, paren);
  if (const auto colons = name.rfind("::"); colons != std::string_view::npos) name = name.substr(colons + 2);
  if (const auto space = name.rfind(' '); space != std::string_view::npos) name = name.substr(space + 1);
  while (!name.empty() && (name.front() == '*' || name.front() == '&')) name.remove_prefix(1);
  if (name.empty()) return where.function_name();
  static std::mutex mutex;
  static std::set<std::string, std::less<>> names;
  std::lock_guard<std::mutex> lock(mutex);
  return names.emplace(name).first->c_str();
}

}  // namespace

ProviderContext::ProviderContext(const OSSL_CORE_HANDLE* handle, const OSSL_DISPATCH* in)
    : handle_(handle), core_in_(in), software_(OSSL_LIB_CTX_new()) {
  for (; in != nullptr && in->function_id != 0; ++in) {
    switch (in->function_id) {
      case OSSL_FUNC_CORE_GET_PARAMS: core_get_params_ = OSSL_FUNC_core_get_params(in); break;
      case OSSL_FUNC_CORE_NEW_ERROR: core_new_error_ = OSSL_FUNC_core_new_error(in); break;
      case OSSL_FUNC_CORE_SET_ERROR_DEBUG: core_set_error_debug_ = OSSL_FUNC_core_set_error_debug(in); break;
      case OSSL_FUNC_CORE_VSET_ERROR: core_vset_error_ = OSSL_FUNC_core_vset_error(in); break;
      case OSSL_FUNC_BIO_READ_EX: core_bio_read_ = OSSL_FUNC_BIO_read_ex(in); break;
      case OSSL_FUNC_BIO_WRITE_EX: core_bio_write_ = OSSL_FUNC_BIO_write_ex(in); break;
      case OSSL_FUNC_BIO_GETS: core_bio_gets_ = OSSL_FUNC_BIO_gets(in); break;
      default: break;
    }
  }
  if (software_) software_default_ = OSSL_PROVIDER_load(software_.get(), "default");
  if (software_default_ == nullptr) software_.reset();
  device_text_ = core_param("device").value_or("");
  config_path_ = core_param("config").value_or("");
  // A misspelt value fails the load rather than silently leaving the TRNG off.
  if (const auto rand = core_param("rand")) rand_enabled_ = parse_yes_no(*rand, "optiga provider parameter rand");
  make_logger();
}

void ProviderContext::make_logger() {
  // The configuration file is read here only for log_level; a file that cannot be read is
  // reported when the chip is opened, where the error reaches the application.
  config::SettingsSources sources;
  if (!config_path_.empty()) sources.explicit_path = config_path_;
  config::ConfigFile file;
  try {
    file = config::load_settings(sources).file;
  } catch (const Error&) {
  }
  logger_ = config::library_logger("optiga-provider", file);
  logger_.debug(std::string("loaded") + (device_text_.empty() ? "" : ", device parameter " + device_text_) +
                (config_path_.empty() ? "" : ", config parameter " + config_path_) +
                (file.source.empty() ? "" : ", configuration " + file.source.string()) +
                ", rand " + (rand_enabled_ ? "on" : "off"));
}

bool ProviderContext::application_has_other_ec() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    // A child library context sees the providers the application loaded (OSSL_LIB_CTX_new_child(3)).
    if (!application_) application_.reset(OSSL_LIB_CTX_new_child(handle_, core_in_));
  }
  if (!application_) return true;  // cannot tell: do not stand in the way
  ERR_set_mark();  // "not found" is an answer here, not an error for the application
  EVP_KEYMGMT* other = EVP_KEYMGMT_fetch(application_.get(), "EC", "provider!=optiga");
  ERR_pop_to_mark();
  EVP_KEYMGMT_free(other);
  return other != nullptr;
}

ProviderContext::~ProviderContext() {
  application_.reset();  // the child first: it holds references to the application's providers
  if (software_default_ != nullptr) OSSL_PROVIDER_unload(software_default_);
}

std::optional<std::string> ProviderContext::core_param(const char* name) const {
  if (core_get_params_ == nullptr) return std::nullopt;
  char* value = nullptr;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_ptr(name, &value, 0), OSSL_PARAM_construct_end()};
  if (!core_get_params_(handle_, params) || value == nullptr) return std::nullopt;
  return std::string(value);
}

void ProviderContext::raise(int reason, const char* file, int line, const char* func, const std::string& message) const {
  if (core_new_error_ == nullptr || core_vset_error_ == nullptr) return;
  core_new_error_(handle_);
  if (core_set_error_debug_ != nullptr) core_set_error_debug_(handle_, file, line, func);
  // vset_error takes a va_list; route through a variadic helper.
  auto vset = [this](int r, const char* fmt, ...) {
    va_list args;
    va_start(args, fmt);
    core_vset_error_(handle_, static_cast<uint32_t>(r), fmt, args);
    va_end(args);
  };
  vset(reason, "optiga: %s", message.c_str());
}

int ProviderContext::bio_read(OSSL_CORE_BIO* bio, void* data, std::size_t size, std::size_t* read) const {
  return core_bio_read_ != nullptr ? core_bio_read_(bio, data, size, read) : 0;
}

int ProviderContext::bio_gets(OSSL_CORE_BIO* bio, char* buf, int size) const {
  return core_bio_gets_ != nullptr ? core_bio_gets_(bio, buf, size) : -1;
}

int ProviderContext::bio_write(OSSL_CORE_BIO* bio, const void* data, std::size_t size, std::size_t* written) const {
  return core_bio_write_ != nullptr ? core_bio_write_(bio, data, size, written) : 0;
}

config::SettingsSources ProviderContext::settings_sources() const {
  // The provider's parameters (openssl.cnf) are the explicit arguments of the one precedence.
  config::SettingsSources sources;
  if (!device_text_.empty()) {
    sources.explicit_device = device_text_;
    sources.explicit_device_origin = "the provider's device parameter";
  }
  if (!config_path_.empty()) sources.explicit_path = config_path_;
  return sources;
}

std::string ProviderContext::device_in_use() const {
  try {
    const config::Settings settings = config::load_settings(settings_sources());
    if (settings.device) return " " + *settings.device + " (from " + settings.device_origin + ")";
  } catch (const Error&) {
    // The configuration itself is what failed: the cause that follows says so.
  }
  return "";
}

void ProviderContext::open_chip() {
  if (token_) return;
  device_ = runtime::open_chip(settings_sources(), &logger_).device;
  token_ = std::make_unique<token::Token>(*device_);
}

bool ProviderContext::with_token(const std::string& what, const std::function<void(token::Token&)>& f,
                                 std::source_location where) {
  std::lock_guard<std::mutex> lock(mutex_);
  int reason = reason_internal;
  std::string message;
  if (!what.empty()) logger_.debug(what);
  try {
    try {
      open_chip();
    } catch (const Error& e) {
      // A chip that is absent or not configured says so, whatever the operation was, naming the
      // device string actually chosen and where it came from.
      throw TransportError("cannot open the chip" + device_in_use() + ": " + e.what());
    }
    f(*token_);
    return true;
  } catch (const chip::ChipError& e) {
    reason = reason_chip;
    message = e.what();
  } catch (const TransportError& e) {
    reason = reason_no_device;
    message = e.what();
  } catch (const UsageError& e) {
    reason = reason_usage;
    message = e.what();
  } catch (const std::exception& e) {
    message = e.what();
  }
  message = what.empty() ? message : what + ": " + message;
  logger_.debug("failed: " + message);
  raise(reason, where.file_name(), static_cast<int>(where.line()), function_name(where), message);
  return false;
}

namespace {

const OSSL_ALGORITHM store_algorithms[] = {
    {"optiga", properties, store_functions, "OPTIGA Trust X/M keys and certificates (optiga:0xE0F1)"},
    {nullptr, nullptr, nullptr, nullptr}};
const OSSL_ALGORITHM keymgmt_algorithms[] = {
    {"EC:id-ecPublicKey:1.2.840.10045.2.1", properties, keymgmt_ec_functions, "EC keys held in an OPTIGA chip"},
    {nullptr, nullptr, nullptr, nullptr}};
const OSSL_ALGORITHM signature_algorithms[] = {
    {"ECDSA", properties, signature_ecdsa_functions, "ECDSA signing inside the OPTIGA chip"},
    {nullptr, nullptr, nullptr, nullptr}};
const OSSL_ALGORITHM keyexch_algorithms[] = {
    {"ECDH", properties, keyexch_ecdh_functions, "ECDH with a key inside the OPTIGA chip"},
    {nullptr, nullptr, nullptr, nullptr}};
const OSSL_ALGORITHM encoder_algorithms[] = {
    {"EC", "provider=optiga,output=der,structure=SubjectPublicKeyInfo", encoder_spki_der_functions, nullptr},
    {"EC", "provider=optiga,output=pem,structure=SubjectPublicKeyInfo", encoder_spki_pem_functions, nullptr},
    {"EC", "provider=optiga,output=text", encoder_text_functions, nullptr},
    {"EC", "provider=optiga,output=pem,structure=PrivateKeyInfo", encoder_reference_pem_functions, nullptr},
    {nullptr, nullptr, nullptr, nullptr}};
const OSSL_ALGORITHM decoder_algorithms[] = {
    {"DER", "provider=optiga,input=pem", decoder_reference_pem_functions, nullptr},
    {"EC", "provider=optiga,input=der,structure=OptigaKeyReference", decoder_reference_functions, nullptr},
    {nullptr, nullptr, nullptr, nullptr}};
const OSSL_ALGORITHM rand_algorithms[] = {
    {"OPTIGA-TRNG", properties, rand_trng_functions, "the OPTIGA chip's true random number generator"},
    {nullptr, nullptr, nullptr, nullptr}};

const OSSL_ITEM reason_strings[] = {
    {reason_slot_empty, const_cast<char*>("slot is empty")},
    {reason_bad_uri, const_cast<char*>("malformed optiga: URI")},
    {reason_unknown_slot, const_cast<char*>("no such slot")},
    {reason_no_device, const_cast<char*>("chip not available")},
    {reason_chip, const_cast<char*>("chip refused the command")},
    {reason_usage, const_cast<char*>("invalid request")},
    {reason_not_supported, const_cast<char*>("not supported")},
    {reason_bad_reference, const_cast<char*>("bad key reference")},
    {reason_no_private_key, const_cast<char*>("no private key")},
    {reason_internal, const_cast<char*>("internal error")},
    {reason_not_certificate, const_cast<char*>("not a certificate")},
    {0, nullptr}};

ProviderContext* as_ctx(void* provctx) { return static_cast<ProviderContext*>(provctx); }

void teardown(void* provctx) { delete as_ctx(provctx); }

const OSSL_PARAM* gettable_params(void*) {
  static const OSSL_PARAM params[] = {
      OSSL_PARAM_DEFN(OSSL_PROV_PARAM_NAME, OSSL_PARAM_UTF8_PTR, nullptr, 0),
      OSSL_PARAM_DEFN(OSSL_PROV_PARAM_VERSION, OSSL_PARAM_UTF8_PTR, nullptr, 0),
      OSSL_PARAM_DEFN(OSSL_PROV_PARAM_BUILDINFO, OSSL_PARAM_UTF8_PTR, nullptr, 0),
      OSSL_PARAM_DEFN(OSSL_PROV_PARAM_STATUS, OSSL_PARAM_INTEGER, nullptr, 0),
      OSSL_PARAM_END};
  return params;
}

int get_params(void*, OSSL_PARAM params[]) {
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_NAME);
  if (p != nullptr && !OSSL_PARAM_set_utf8_ptr(p, "OPTIGA Trust X/M provider")) return 0;
  p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_VERSION);
  if (p != nullptr && !OSSL_PARAM_set_utf8_ptr(p, OPTIGA_VERSION)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_BUILDINFO);
  if (p != nullptr && !OSSL_PARAM_set_utf8_ptr(p, "optiga-host " OPTIGA_VERSION)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_PROV_PARAM_STATUS);
  if (p != nullptr && !OSSL_PARAM_set_int(p, 1)) return 0;
  return 1;
}

const OSSL_ALGORITHM* query_operation(void* provctx, int operation_id, int* no_cache) {
  *no_cache = 0;
  switch (operation_id) {
    case OSSL_OP_STORE: return store_algorithms;
    case OSSL_OP_KEYMGMT: return keymgmt_algorithms;
    case OSSL_OP_SIGNATURE: return signature_algorithms;
    case OSSL_OP_KEYEXCH: return keyexch_algorithms;
    case OSSL_OP_ENCODER: return encoder_algorithms;
    case OSSL_OP_DECODER: return decoder_algorithms;
    // The chip's TRNG is slow and shared: offered only when the "rand" parameter asks for it.
    case OSSL_OP_RAND: return as_ctx(provctx)->rand_enabled() ? rand_algorithms : nullptr;
    default: return nullptr;
  }
}

const OSSL_ITEM* get_reason_strings(void*) { return reason_strings; }

// TLS groups for our EC key manager. libssl (3.0) uses a provider's group only when the EC key
// manager it fetches comes from that same provider; when `optiga` is loaded before `default`,
// the fetch finds ours and the default provider's EC groups are dropped, so without these TLS 1.2
// has no ECDHE curve for an ECDSA certificate ("no shared cipher"). Ids and security bits are
// the IANA/RFC 8422 values; brainpool curves are TLS 1.2 only (RFC 7027).
struct TlsGroup {
  const char* name;
  const char* internal;
  unsigned int id;
  unsigned int security_bits;
  int max_tls;
};
constexpr TlsGroup tls_groups[] = {
    {"secp256r1", "prime256v1", 23, 128, 0},
    {"P-256", "prime256v1", 23, 128, 0},
    {"secp384r1", "secp384r1", 24, 192, 0},
    {"P-384", "secp384r1", 24, 192, 0},
    {"secp521r1", "secp521r1", 25, 256, 0},
    {"P-521", "secp521r1", 25, 256, 0},
    {"brainpoolP256r1", "brainpoolP256r1", 26, 128, TLS1_2_VERSION},
    {"brainpoolP384r1", "brainpoolP384r1", 27, 192, TLS1_2_VERSION},
    {"brainpoolP512r1", "brainpoolP512r1", 28, 256, TLS1_2_VERSION},
};

int get_capabilities(void*, const char* capability, OSSL_CALLBACK* cb, void* arg) {
  if (capability == nullptr || OPENSSL_strcasecmp(capability, "TLS-GROUP") != 0) return 0;
  for (const TlsGroup& g : tls_groups) {
    unsigned int id = g.id;
    unsigned int bits = g.security_bits;
    int is_kem = 0;
    int min_tls = TLS1_VERSION;
    int max_tls = g.max_tls;
    int min_dtls = DTLS1_VERSION;
    int max_dtls = g.max_tls == 0 ? 0 : DTLS1_2_VERSION;
    const OSSL_PARAM params[] = {
        OSSL_PARAM_construct_utf8_string(OSSL_CAPABILITY_TLS_GROUP_NAME, const_cast<char*>(g.name), 0),
        OSSL_PARAM_construct_utf8_string(OSSL_CAPABILITY_TLS_GROUP_NAME_INTERNAL, const_cast<char*>(g.internal), 0),
        OSSL_PARAM_construct_uint(OSSL_CAPABILITY_TLS_GROUP_ID, &id),
        OSSL_PARAM_construct_utf8_string(OSSL_CAPABILITY_TLS_GROUP_ALG, const_cast<char*>("EC"), 0),
        OSSL_PARAM_construct_uint(OSSL_CAPABILITY_TLS_GROUP_SECURITY_BITS, &bits),
        OSSL_PARAM_construct_int(OSSL_CAPABILITY_TLS_GROUP_IS_KEM, &is_kem),
        OSSL_PARAM_construct_int(OSSL_CAPABILITY_TLS_GROUP_MIN_TLS, &min_tls),
        OSSL_PARAM_construct_int(OSSL_CAPABILITY_TLS_GROUP_MAX_TLS, &max_tls),
        OSSL_PARAM_construct_int(OSSL_CAPABILITY_TLS_GROUP_MIN_DTLS, &min_dtls),
        OSSL_PARAM_construct_int(OSSL_CAPABILITY_TLS_GROUP_MAX_DTLS, &max_dtls),
        OSSL_PARAM_construct_end()};
    if (!cb(params, arg)) return 0;
  }
  return 1;
}

const OSSL_DISPATCH provider_functions[] = {
    {OSSL_FUNC_PROVIDER_TEARDOWN, reinterpret_cast<void (*)()>(teardown)},
    {OSSL_FUNC_PROVIDER_GETTABLE_PARAMS, reinterpret_cast<void (*)()>(gettable_params)},
    {OSSL_FUNC_PROVIDER_GET_PARAMS, reinterpret_cast<void (*)()>(get_params)},
    {OSSL_FUNC_PROVIDER_QUERY_OPERATION, reinterpret_cast<void (*)()>(query_operation)},
    {OSSL_FUNC_PROVIDER_GET_REASON_STRINGS, reinterpret_cast<void (*)()>(get_reason_strings)},
    {OSSL_FUNC_PROVIDER_GET_CAPABILITIES, reinterpret_cast<void (*)()>(get_capabilities)},
    {0, nullptr}};

}  // namespace
}  // namespace optiga::provider

extern "C" __attribute__((visibility("default"))) int OSSL_provider_init(const OSSL_CORE_HANDLE* handle,
                                                                          const OSSL_DISPATCH* in,
                                                                          const OSSL_DISPATCH** out, void** provctx) {
  try {
    auto ctx = std::make_unique<optiga::provider::ProviderContext>(handle, in);
    if (ctx->software() == nullptr) return 0;
    *provctx = ctx.release();  // owned by the core until teardown()
    *out = optiga::provider::provider_functions;
    return 1;
  } catch (...) {
    return 0;
  }
}
