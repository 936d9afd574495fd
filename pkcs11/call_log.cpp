// The log line of each API call (api.h, log_call).
#include <string_view>

#include "pkcs11/api.h"

namespace optiga::pkcs11 {
namespace {

// GCC names the function "CK_RV C_Sign(CK_SESSION_HANDLE, ...)" (or with the types spelt
// out): the word before the parameter list.
std::string_view function_word(std::string_view pretty) {
  pretty = pretty.substr(0, pretty.find('('));
  const auto space = pretty.rfind(' ');
  return space == std::string_view::npos ? pretty : pretty.substr(space + 1);
}

}  // namespace

void log_call(const Logger& log, const std::source_location& where, CK_RV rv, const std::string& reason) noexcept {
  try {
    const LogLevel level = rv == CKR_OK ? LogLevel::trace : LogLevel::debug;
    if (!log.enabled(level)) return;
    std::string line = std::string(function_word(where.function_name())) + ": " + ck_rv_text(rv);
    if (!reason.empty()) line += ": " + reason;
    log.log(level, line);
  } catch (...) {
    // Logging must never change what the call returns.
  }
}

}  // namespace optiga::pkcs11
