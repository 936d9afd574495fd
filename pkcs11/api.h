// The API boundary: every C_* function runs its body through call() or with_session(), which
// check that the module is initialised in this process, take the call lock, translate any
// exception into a CK_RV exactly once, and log the outcome: a failing call with its CKR and
// reason at level debug, every call at trace. The function's name comes from the caller's
// source location, so C_* bodies need not repeat it.
#pragma once

#include <unistd.h>

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <source_location>
#include <string>

#include "pkcs11/context.h"
#include "core/util/error.h"
#include "pkcs11/errors.h"

namespace optiga::pkcs11 {

// The process-wide state: the context pointer and the gate that C_Initialize/C_Finalize take
// exclusively and every other call shares. Never destroyed (no_destructor.h).
struct ModuleState {
  ModuleState();
  std::shared_mutex gate;
  std::unique_ptr<ModuleContext> context;
};
ModuleState& module_state();

// One log line for the outcome of the API function at `where` (never throws).
void log_call(const Logger& log, const std::source_location& where, CK_RV rv, const std::string& reason) noexcept;

template <typename F>
CK_RV call(F&& body, const std::source_location where = std::source_location::current()) noexcept {
  try {
    ModuleState& state = module_state();
    std::shared_lock gate(state.gate);
    // After fork() the child inherits a context it must not use: PKCS#11 requires a new
    // C_Initialize there (§5.3, "Applications and processes").
    if (!state.context || state.context->pid() != getpid()) return CKR_CRYPTOKI_NOT_INITIALIZED;
    ModuleContext& ctx = *state.context;
    std::lock_guard<CallLock> guard(ctx.call_lock());
    CK_RV rv = CKR_OK;
    std::string reason;
    try {
      rv = body(ctx);
    } catch (...) {
      rv = translate_current_exception(&reason);
    }
    log_call(ctx.logger(), where, rv, reason);
    return rv;
  } catch (...) {
    return translate_current_exception();
  }
}

template <typename F>
CK_RV with_session(CK_SESSION_HANDLE handle, F&& body,
                   const std::source_location where = std::source_location::current()) noexcept {
  return call(
      [&](ModuleContext& ctx) -> CK_RV {
        Session& s = ctx.session(handle);
        return body(ctx, s, ctx.slot(s.slot));
      },
      where);
}

// Copies a fixed-width, blank-padded PKCS#11 text field.
void set_text(CK_UTF8CHAR* field, std::size_t size, std::string_view text);

// The usual "NULL buffer asks for the size, too small buffer says so" output convention.
CK_RV put_output(ByteView data, CK_BYTE_PTR out, CK_ULONG_PTR out_len);

}  // namespace optiga::pkcs11
