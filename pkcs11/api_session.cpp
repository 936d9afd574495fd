// Sessions and login: C_OpenSession, C_CloseSession, C_CloseAllSessions, C_GetSessionInfo,
// C_Login, C_Logout. The login state belongs to the application (all its sessions on the slot).
#include <string_view>

#include "pkcs11/api.h"

using namespace optiga::pkcs11;

extern "C" {

CK_RV C_OpenSession(CK_SLOT_ID slotID, CK_FLAGS flags, CK_VOID_PTR, CK_NOTIFY, CK_SESSION_HANDLE_PTR phSession) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    Slot& slot = ctx.slot(slotID);
    if (phSession == nullptr) return CKR_ARGUMENTS_BAD;
    if (!(flags & CKF_SERIAL_SESSION)) return CKR_SESSION_PARALLEL_NOT_SUPPORTED;
    if (!slot.present()) return CKR_TOKEN_NOT_PRESENT;
    *phSession = ctx.open_session(slotID, flags);
    return CKR_OK;
  });
}

CK_RV C_CloseSession(CK_SESSION_HANDLE hSession) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    ctx.close_session(hSession);
    return CKR_OK;
  });
}

CK_RV C_CloseAllSessions(CK_SLOT_ID slotID) {
  return call([&](ModuleContext& ctx) -> CK_RV {
    ctx.close_all_sessions(slotID);
    return CKR_OK;
  });
}

CK_RV C_GetSessionInfo(CK_SESSION_HANDLE hSession, CK_SESSION_INFO_PTR pInfo) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot& slot) -> CK_RV {
    if (pInfo == nullptr) return CKR_ARGUMENTS_BAD;
    pInfo->slotID = s.slot;
    pInfo->flags = s.flags;
    pInfo->ulDeviceError = 0;
    if (s.read_write())
      pInfo->state = slot.logged_in ? CKS_RW_USER_FUNCTIONS : CKS_RW_PUBLIC_SESSION;
    else
      pInfo->state = slot.logged_in ? CKS_RO_USER_FUNCTIONS : CKS_RO_PUBLIC_SESSION;
    return CKR_OK;
  });
}

// With a user PIN configured (user_pin in the configuration file) it must match; without one,
// any PIN logs in, so clients that always send a PIN work, and CKF_LOGIN_REQUIRED is not set.
// There is no security officer: the chip is administered with optigactl.
CK_RV C_Login(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen) {
  return with_session(hSession, [&](ModuleContext&, Session&, Slot& slot) -> CK_RV {
    if (userType == CKU_CONTEXT_SPECIFIC) return CKR_OPERATION_NOT_INITIALIZED;
    if (userType == CKU_SO) return CKR_USER_TYPE_INVALID;
    if (userType != CKU_USER) return CKR_USER_TYPE_INVALID;
    if (slot.logged_in) return CKR_USER_ALREADY_LOGGED_IN;
    if (pPin == nullptr && ulPinLen != 0) return CKR_ARGUMENTS_BAD;
    const std::string_view pin(reinterpret_cast<const char*>(pPin), pPin == nullptr ? 0 : ulPinLen);
    if (!slot.check_pin(pin)) return CKR_PIN_INCORRECT;
    slot.logged_in = true;
    return CKR_OK;
  });
}

CK_RV C_Logout(CK_SESSION_HANDLE hSession) {
  return with_session(hSession, [&](ModuleContext&, Session&, Slot& slot) -> CK_RV {
    if (!slot.logged_in) return CKR_USER_NOT_LOGGED_IN;
    slot.logged_in = false;
    return CKR_OK;
  });
}

}  // extern "C"
