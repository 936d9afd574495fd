// The functions PKCS#11 3.0 adds to the function list (C_GetInterfaceList/C_GetInterface are in
// api_general.cpp). The token has one user without a name, and no message-based operations: the
// chip signs one digest at a time and encrypts nothing, so those entries are present (a 3.0
// caller may call any entry of the list) and answer CKR_FUNCTION_NOT_SUPPORTED.
#include "pkcs11/api.h"

using namespace optiga::pkcs11;

namespace {
CK_RV not_supported() {
  return call([](ModuleContext&) -> CK_RV { return CKR_FUNCTION_NOT_SUPPORTED; });
}
}  // namespace

extern "C" {

// With no user name this is C_Login; the token has no named users to choose between.
CK_RV C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                  CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen) {
  if (pUsername != nullptr && ulUsernameLen != 0) return not_supported();
  return C_Login(hSession, userType, pPin, ulPinLen);
}

// Ends the operations named by flags (3.0 §5.6); an operation not active is not an error.
CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    // Encryption, decryption, recover and message operations never start on this token.
    if (flags & CKF_SIGN) s.sign.reset();
    if (flags & CKF_VERIFY) s.verify.reset();
    if (flags & CKF_DIGEST) s.digest.reset();
    if (flags & CKF_FIND_OBJECTS) s.find.reset();
    return CKR_OK;
  });
}

CK_RV C_MessageEncryptInit(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE) { return not_supported(); }
CK_RV C_EncryptMessage(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG,
                       CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}
CK_RV C_EncryptMessageBegin(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG) { return not_supported(); }
CK_RV C_EncryptMessageNext(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR,
                           CK_FLAGS) {
  return not_supported();
}
CK_RV C_MessageEncryptFinal(CK_SESSION_HANDLE) { return not_supported(); }
CK_RV C_MessageDecryptInit(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE) { return not_supported(); }
CK_RV C_DecryptMessage(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG,
                       CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}
CK_RV C_DecryptMessageBegin(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG) { return not_supported(); }
CK_RV C_DecryptMessageNext(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR,
                           CK_FLAGS) {
  return not_supported();
}
CK_RV C_MessageDecryptFinal(CK_SESSION_HANDLE) { return not_supported(); }
CK_RV C_MessageSignInit(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE) { return not_supported(); }
CK_RV C_SignMessage(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}
CK_RV C_SignMessageBegin(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG) { return not_supported(); }
CK_RV C_SignMessageNext(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG_PTR) {
  return not_supported();
}
CK_RV C_MessageSignFinal(CK_SESSION_HANDLE) { return not_supported(); }
CK_RV C_MessageVerifyInit(CK_SESSION_HANDLE, CK_MECHANISM_PTR, CK_OBJECT_HANDLE) { return not_supported(); }
CK_RV C_VerifyMessage(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG) {
  return not_supported();
}
CK_RV C_VerifyMessageBegin(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG) { return not_supported(); }
CK_RV C_VerifyMessageNext(CK_SESSION_HANDLE, CK_VOID_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG, CK_BYTE_PTR, CK_ULONG) {
  return not_supported();
}
CK_RV C_MessageVerifyFinal(CK_SESSION_HANDLE) { return not_supported(); }

}  // extern "C"
