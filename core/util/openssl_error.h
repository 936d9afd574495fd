// OpenSSL failures that are bugs or resource exhaustion rather than bad input: thrown as
// InternalError with the library's reason, leaving the thread's error queue clean for the next call.
#pragma once

#include <openssl/err.h>

#include <string>

#include "core/util/error.h"

namespace optiga {

[[noreturn]] inline void throw_openssl_failure(const std::string& what) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  std::string msg = what;
  if (code != 0) {
    char reason[256];
    ERR_error_string_n(code, reason, sizeof reason);
    msg += ": ";
    msg += reason;
  }
  throw InternalError(msg);
}

}  // namespace optiga
