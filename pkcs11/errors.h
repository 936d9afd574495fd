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

// Called from a catch block: translates the exception in flight. Its message goes to `reason`
// when given; call() logs it with the code at level debug (errors never carry key material).
CK_RV translate_current_exception(std::string* reason = nullptr) noexcept;
// Called from a catch block around a token write: rethrows the UsageError in flight as a CkError
// whose code says why the write was refused (a locked slot → CKR_ACTION_PROHIBITED, ...), so
// that the boundary returns and logs it once, with its reason.
[[noreturn]] void throw_write_error(WriteKind kind);

// The CK_RV of a chip error code: the few with a PKCS#11 meaning of their own (0x07 access
// conditions → CKR_ACTION_PROHIBITED, 0x08/0x0D → CKR_DEVICE_MEMORY, 0x0E → CKR_ACTION_PROHIBITED,
// 0x2C → CKR_SIGNATURE_INVALID), CKR_DEVICE_ERROR for every other.
CK_RV ck_rv_of_chip_error(std::uint8_t code);

// "CKR_KEY_HANDLE_INVALID (0x60)"; "CKR 0x..." for a code without a name here.
std::string ck_rv_text(CK_RV rv);

}  // namespace optiga::pkcs11
