// Errors inside the module and their one translation into CK_RV at the API boundary
// (docs/pkcs11.md, "Error codes").
#pragma once

#include <stdexcept>
#include <string>

#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

// A PKCS#11-level error with the exact code to return.
class CkError : public std::runtime_error {
 public:
  explicit CkError(CK_RV rv, const std::string& why = {}) : std::runtime_error(why), rv_(rv) {}
  CK_RV rv() const { return rv_; }

 private:
  CK_RV rv_;
};

[[noreturn]] inline void fail(CK_RV rv, const std::string& why = {}) { throw CkError(rv, why); }

// What a write does when the token refuses it with a UsageError: the reason decides the code.
enum class WriteKind { certificate, key_generation, label };

// Called from a catch block: translates the exception in flight. The message goes to stderr
// when OPTIGA_PKCS11_DEBUG is set (never key material: errors never carry any).
CK_RV translate_current_exception() noexcept;
// As above, for a UsageError raised by a token write.
CK_RV translate_write_error(WriteKind kind) noexcept;

void debug_log(const std::string& message) noexcept;

}  // namespace optiga::pkcs11
