// C_Initialize, C_Finalize, C_GetInfo, C_GetFunctionList, C_GetInterfaceList, C_GetInterface.
#include <pthread.h>

#include <algorithm>
#include <cstring>
#include <new>

#include "pkcs11/api.h"
#include "pkcs11/function_list.h"
#include "pkcs11/no_destructor.h"

namespace optiga::pkcs11 {

ModuleState::ModuleState() {
  // fork() waits for calls in progress and the child starts with an unlocked gate; the child's
  // inherited context is then abandoned by its pid (api.h).
  // The child is a new thread id, which may not unlock the parent's rwlock: it gets a fresh one.
  pthread_atfork([] { module_state().gate.lock(); }, [] { module_state().gate.unlock(); },
                 [] { new (&module_state().gate) std::shared_mutex(); });
}

ModuleState& module_state() {
  static NoDestructor<ModuleState> state;
  return state.get();
}

void set_text(CK_UTF8CHAR* field, std::size_t size, std::string_view text) {
  std::memset(field, ' ', size);
  std::memcpy(field, text.data(), std::min(size, text.size()));
}

CK_RV put_output(ByteView data, CK_BYTE_PTR out, CK_ULONG_PTR out_len) {
  if (out_len == nullptr) return CKR_ARGUMENTS_BAD;
  if (out == nullptr) {
    *out_len = data.size();
    return CKR_OK;
  }
  if (*out_len < data.size()) {
    *out_len = data.size();
    return CKR_BUFFER_TOO_SMALL;
  }
  std::copy(data.begin(), data.end(), out);
  *out_len = data.size();
  return CKR_OK;
}

}  // namespace optiga::pkcs11

using namespace optiga::pkcs11;

extern "C" {

CK_RV C_Initialize(CK_VOID_PTR pInitArgs) {
  try {
    ModuleState& state = module_state();
    std::unique_lock gate(state.gate);
    if (state.context && state.context->pid() == getpid()) return CKR_CRYPTOKI_ALREADY_INITIALIZED;
    // A context inherited over fork() may hold locks and chip state of the parent: it is left
    // alone (deliberately not destroyed) and a fresh one is made.
    if (state.context) (void)state.context.release();
    state.context = std::make_unique<ModuleContext>(static_cast<CK_C_INITIALIZE_ARGS*>(pInitArgs));
    log_call(state.context->logger(), std::source_location::current(), CKR_OK, {});
    return CKR_OK;
  } catch (...) {
    std::string reason;
    const CK_RV rv = translate_current_exception(&reason);
    // No context, so no configured logger: $OPTIGA_LOG_LEVEL alone decides.
    log_call(module_logger({}), std::source_location::current(), rv, reason);
    return rv;
  }
}

CK_RV C_Finalize(CK_VOID_PTR pReserved) {
  try {
    if (pReserved != nullptr) return CKR_ARGUMENTS_BAD;
    ModuleState& state = module_state();
    std::unique_lock gate(state.gate);
    if (!state.context || state.context->pid() != getpid()) return CKR_CRYPTOKI_NOT_INITIALIZED;
    log_call(state.context->logger(), std::source_location::current(), CKR_OK, {});
    state.context.reset();
    return CKR_OK;
  } catch (...) {
    return translate_current_exception();
  }
}

CK_RV C_GetInfo(CK_INFO_PTR pInfo) {
  return call([&](ModuleContext&) -> CK_RV {
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    *pInfo = CK_INFO{};
    pInfo->cryptokiVersion = {2, 40};
    set_text(pInfo->manufacturerID, sizeof pInfo->manufacturerID, "optiga-host");
    set_text(pInfo->libraryDescription, sizeof pInfo->libraryDescription, "OPTIGA Trust X/M PKCS#11 module");
    pInfo->libraryVersion = {0, 1};
    return CKR_OK;
  });
}

CK_RV C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR ppFunctionList) {
  if (ppFunctionList == nullptr) return CKR_ARGUMENTS_BAD;
  *ppFunctionList = function_list();
  return CKR_OK;
}

// Two interfaces named "PKCS 11": the 3.0 list (every 3.0 entry set, api_v3.cpp) and the 2.40
// list. The interface records are static, so the pointers handed out stay valid.
CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount) {
  if (pulCount == nullptr) return CKR_ARGUMENTS_BAD;
  const auto offered = interfaces_offered();
  if (pInterfacesList == nullptr) {
    *pulCount = offered.size();
    return CKR_OK;
  }
  if (*pulCount < offered.size()) {
    *pulCount = offered.size();
    return CKR_BUFFER_TOO_SMALL;
  }
  std::copy(offered.begin(), offered.end(), pInterfacesList);
  *pulCount = offered.size();
  return CKR_OK;
}

// The first offered interface that matches the name (NULL: any), the version (NULL: the
// default, i.e. the newest) and carries every requested flag.
CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion, CK_INTERFACE_PTR_PTR ppInterface,
                     CK_FLAGS flags) {
  if (ppInterface == nullptr) return CKR_ARGUMENTS_BAD;
  *ppInterface = nullptr;
  for (CK_INTERFACE& iface : interfaces_offered()) {
    if (pInterfaceName != nullptr && std::strcmp(reinterpret_cast<const char*>(pInterfaceName),
                                                 reinterpret_cast<const char*>(iface.pInterfaceName)) != 0)
      continue;
    // Both lists start with a CK_VERSION, whatever their length.
    const CK_VERSION v = *static_cast<const CK_VERSION*>(iface.pFunctionList);
    if (pVersion != nullptr && (pVersion->major != v.major || pVersion->minor != v.minor)) continue;
    if ((flags & iface.flags) != flags) continue;
    *ppInterface = &iface;
    return CKR_OK;
  }
  return CKR_ARGUMENTS_BAD;
}

}  // extern "C"
