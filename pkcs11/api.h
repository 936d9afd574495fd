// The API boundary: every C_* function runs its body through call() or with_session(), which
// check that the module is initialised in this process, take the call lock, and translate any
// exception into a CK_RV exactly once.
#pragma once

#include <unistd.h>

#include <memory>
#include <mutex>
#include <shared_mutex>

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

template <typename F>
CK_RV call(F&& body) noexcept {
  try {
    ModuleState& state = module_state();
    std::shared_lock gate(state.gate);
    // After fork() the child inherits a context it must not use: PKCS#11 requires a new
    // C_Initialize there (§5.3, "Applications and processes").
    if (!state.context || state.context->pid() != getpid()) return CKR_CRYPTOKI_NOT_INITIALIZED;
    ModuleContext& ctx = *state.context;
    std::lock_guard<CallLock> guard(ctx.call_lock());
    return body(ctx);
  } catch (...) {
    return translate_current_exception();
  }
}

template <typename F>
CK_RV with_session(CK_SESSION_HANDLE handle, F&& body) noexcept {
  return call([&](ModuleContext& ctx) -> CK_RV {
    Session& s = ctx.session(handle);
    return body(ctx, s, ctx.slot(s.slot));
  });
}

// Copies a fixed-width, blank-padded PKCS#11 text field.
void set_text(CK_UTF8CHAR* field, std::size_t size, std::string_view text);

// The usual "NULL buffer asks for the size, too small buffer says so" output convention.
CK_RV put_output(ByteView data, CK_BYTE_PTR out, CK_ULONG_PTR out_len);

}  // namespace optiga::pkcs11
