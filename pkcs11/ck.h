// The PKCS#11 2.40 header (p11-kit's copy) and the few 3.0 declarations the module exports
// (C_GetInterfaceList / C_GetInterface). p11-kit's header defines lower-case compatibility
// macros (value, count, parameter, ...) that would rewrite ordinary C++ names such as
// std::optional::value(); they are removed right after the include.
#pragma once

#include <p11-kit-1/p11-kit/pkcs11.h>

#undef aad_len
#undef aad_ptr
#undef ck_attribute
#undef ck_attribute_type_t
#undef ck_c_initialize_args
#undef ck_certificate_type_t
#undef ck_createmutex_t
#undef ck_date
#undef ck_destroymutex_t
#undef ck_flags_t
#undef ck_function_list
#undef ck_hw_feature_type_t
#undef ck_info
#undef ck_key_type_t
#undef ck_lockmutex_t
#undef ck_mechanism
#undef ck_mechanism_info
#undef ck_mechanism_type_t
#undef ck_notification_t
#undef ck_notify_t
#undef ck_object_class_t
#undef ck_object_handle_t
#undef ck_otp_param
#undef ck_otp_params
#undef ck_otp_signature_info
#undef ck_param_type
#undef ck_rsa_pkcs_mgf_type_t
#undef ck_rsa_pkcs_oaep_source_type_t
#undef ck_rv_t
#undef ck_session_handle_t
#undef ck_session_info
#undef ck_slot_id_t
#undef ck_slot_info
#undef ck_state_t
#undef ck_token_info
#undef ck_unlockmutex_t
#undef ck_user_type_t
#undef ck_version
#undef count
#undef counter_bits
#undef create_mutex
#undef cryptoki_version
#undef data_params
#undef destroy_mutex
#undef device_error
#undef firmware_version
#undef free_private_memory
#undef free_public_memory
#undef hardware_version
#undef hash_alg
#undef iv_bits
#undef iv_len
#undef iv_ptr
#undef library_description
#undef library_version
#undef lock_mutex
#undef manufacturer_id
#undef max_key_size
#undef max_pin_len
#undef max_rw_session_count
#undef max_session_count
#undef min_key_size
#undef min_pin_len
#undef parameter
#undef parameter_len
#undef params
#undef public_data
#undef public_data_len
#undef reserved
#undef rw_session_count
#undef s_len
#undef serial_number
#undef session_count
#undef shared_data
#undef shared_data_len
#undef slot_description
#undef slot_id
#undef source_data
#undef source_data_len
#undef string_data
#undef string_data_len
#undef tag_bits
#undef total_private_memory
#undef total_public_memory
#undef unlock_mutex
#undef utc_time
#undef value
#undef value_len

#ifndef CKR_CURVE_NOT_SUPPORTED
#define CKR_CURVE_NOT_SUPPORTED 0x00000140UL
#endif

// PKCS#11 3.0 (OASIS PKCS#11 Base Specification 3.0, §5.4 and §5.2): interface discovery, the
// 3.0 function list and the functions it adds. Debian 12's p11-kit (0.24.1) ships a 2.40 header
// without them, so they are declared here; the layout is fixed by the standard (the 2.40 list
// followed by the 24 new entries, in this order).
#ifndef CKF_INTERFACE_FORK_SAFE
#define CKF_INTERFACE_FORK_SAFE 0x00000001UL
#endif
#ifndef CKF_FIND_OBJECTS
#define CKF_FIND_OBJECTS 0x00000040UL
#endif

extern "C" {
typedef struct CK_INTERFACE {
  CK_CHAR* pInterfaceName;
  CK_VOID_PTR pFunctionList;
  CK_FLAGS flags;
} CK_INTERFACE;
typedef CK_INTERFACE* CK_INTERFACE_PTR;
typedef CK_INTERFACE_PTR* CK_INTERFACE_PTR_PTR;

CK_RV C_GetInterfaceList(CK_INTERFACE_PTR pInterfacesList, CK_ULONG_PTR pulCount);
CK_RV C_GetInterface(CK_UTF8CHAR_PTR pInterfaceName, CK_VERSION_PTR pVersion, CK_INTERFACE_PTR_PTR ppInterface,
                     CK_FLAGS flags);
CK_RV C_LoginUser(CK_SESSION_HANDLE hSession, CK_USER_TYPE userType, CK_UTF8CHAR_PTR pPin, CK_ULONG ulPinLen,
                  CK_UTF8CHAR_PTR pUsername, CK_ULONG ulUsernameLen);
CK_RV C_SessionCancel(CK_SESSION_HANDLE hSession, CK_FLAGS flags);
CK_RV C_MessageEncryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_EncryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pPlaintext,
                       CK_ULONG ulPlaintextLen, CK_BYTE_PTR pCiphertext, CK_ULONG_PTR pulCiphertextLen);
CK_RV C_EncryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                            CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen);
CK_RV C_EncryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                           CK_BYTE_PTR pPlaintextPart, CK_ULONG ulPlaintextPartLen, CK_BYTE_PTR pCiphertextPart,
                           CK_ULONG_PTR pulCiphertextPartLen, CK_FLAGS flags);
CK_RV C_MessageEncryptFinal(CK_SESSION_HANDLE hSession);
CK_RV C_MessageDecryptInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_DecryptMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                       CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen, CK_BYTE_PTR pCiphertext,
                       CK_ULONG ulCiphertextLen, CK_BYTE_PTR pPlaintext, CK_ULONG_PTR pulPlaintextLen);
CK_RV C_DecryptMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                            CK_BYTE_PTR pAssociatedData, CK_ULONG ulAssociatedDataLen);
CK_RV C_DecryptMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                           CK_BYTE_PTR pCiphertextPart, CK_ULONG ulCiphertextPartLen, CK_BYTE_PTR pPlaintextPart,
                           CK_ULONG_PTR pulPlaintextPartLen, CK_FLAGS flags);
CK_RV C_MessageDecryptFinal(CK_SESSION_HANDLE hSession);
CK_RV C_MessageSignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_SignMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                    CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);
CK_RV C_SignMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen);
CK_RV C_SignMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                        CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen);
CK_RV C_MessageSignFinal(CK_SESSION_HANDLE hSession);
CK_RV C_MessageVerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey);
CK_RV C_VerifyMessage(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen, CK_BYTE_PTR pData,
                      CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen);
CK_RV C_VerifyMessageBegin(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen);
CK_RV C_VerifyMessageNext(CK_SESSION_HANDLE hSession, CK_VOID_PTR pParameter, CK_ULONG ulParameterLen,
                          CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen);
CK_RV C_MessageVerifyFinal(CK_SESSION_HANDLE hSession);

// The 3.0 function list: the 2.40 members, then the 3.0 additions.
typedef struct CK_FUNCTION_LIST_3_0 {
  CK_VERSION version;
#define OPTIGA_P11_ENTRY(name) decltype(&::name) name;
  OPTIGA_P11_ENTRY(C_Initialize) OPTIGA_P11_ENTRY(C_Finalize) OPTIGA_P11_ENTRY(C_GetInfo)
  OPTIGA_P11_ENTRY(C_GetFunctionList) OPTIGA_P11_ENTRY(C_GetSlotList) OPTIGA_P11_ENTRY(C_GetSlotInfo)
  OPTIGA_P11_ENTRY(C_GetTokenInfo) OPTIGA_P11_ENTRY(C_GetMechanismList) OPTIGA_P11_ENTRY(C_GetMechanismInfo)
  OPTIGA_P11_ENTRY(C_InitToken) OPTIGA_P11_ENTRY(C_InitPIN) OPTIGA_P11_ENTRY(C_SetPIN)
  OPTIGA_P11_ENTRY(C_OpenSession) OPTIGA_P11_ENTRY(C_CloseSession) OPTIGA_P11_ENTRY(C_CloseAllSessions)
  OPTIGA_P11_ENTRY(C_GetSessionInfo) OPTIGA_P11_ENTRY(C_GetOperationState) OPTIGA_P11_ENTRY(C_SetOperationState)
  OPTIGA_P11_ENTRY(C_Login) OPTIGA_P11_ENTRY(C_Logout) OPTIGA_P11_ENTRY(C_CreateObject)
  OPTIGA_P11_ENTRY(C_CopyObject) OPTIGA_P11_ENTRY(C_DestroyObject) OPTIGA_P11_ENTRY(C_GetObjectSize)
  OPTIGA_P11_ENTRY(C_GetAttributeValue) OPTIGA_P11_ENTRY(C_SetAttributeValue) OPTIGA_P11_ENTRY(C_FindObjectsInit)
  OPTIGA_P11_ENTRY(C_FindObjects) OPTIGA_P11_ENTRY(C_FindObjectsFinal) OPTIGA_P11_ENTRY(C_EncryptInit)
  OPTIGA_P11_ENTRY(C_Encrypt) OPTIGA_P11_ENTRY(C_EncryptUpdate) OPTIGA_P11_ENTRY(C_EncryptFinal)
  OPTIGA_P11_ENTRY(C_DecryptInit) OPTIGA_P11_ENTRY(C_Decrypt) OPTIGA_P11_ENTRY(C_DecryptUpdate)
  OPTIGA_P11_ENTRY(C_DecryptFinal) OPTIGA_P11_ENTRY(C_DigestInit) OPTIGA_P11_ENTRY(C_Digest)
  OPTIGA_P11_ENTRY(C_DigestUpdate) OPTIGA_P11_ENTRY(C_DigestKey) OPTIGA_P11_ENTRY(C_DigestFinal)
  OPTIGA_P11_ENTRY(C_SignInit) OPTIGA_P11_ENTRY(C_Sign) OPTIGA_P11_ENTRY(C_SignUpdate)
  OPTIGA_P11_ENTRY(C_SignFinal) OPTIGA_P11_ENTRY(C_SignRecoverInit) OPTIGA_P11_ENTRY(C_SignRecover)
  OPTIGA_P11_ENTRY(C_VerifyInit) OPTIGA_P11_ENTRY(C_Verify) OPTIGA_P11_ENTRY(C_VerifyUpdate)
  OPTIGA_P11_ENTRY(C_VerifyFinal) OPTIGA_P11_ENTRY(C_VerifyRecoverInit) OPTIGA_P11_ENTRY(C_VerifyRecover)
  OPTIGA_P11_ENTRY(C_DigestEncryptUpdate) OPTIGA_P11_ENTRY(C_DecryptDigestUpdate)
  OPTIGA_P11_ENTRY(C_SignEncryptUpdate) OPTIGA_P11_ENTRY(C_DecryptVerifyUpdate) OPTIGA_P11_ENTRY(C_GenerateKey)
  OPTIGA_P11_ENTRY(C_GenerateKeyPair) OPTIGA_P11_ENTRY(C_WrapKey) OPTIGA_P11_ENTRY(C_UnwrapKey)
  OPTIGA_P11_ENTRY(C_DeriveKey) OPTIGA_P11_ENTRY(C_SeedRandom) OPTIGA_P11_ENTRY(C_GenerateRandom)
  OPTIGA_P11_ENTRY(C_GetFunctionStatus) OPTIGA_P11_ENTRY(C_CancelFunction) OPTIGA_P11_ENTRY(C_WaitForSlotEvent)
  // 3.0 additions
  OPTIGA_P11_ENTRY(C_GetInterfaceList) OPTIGA_P11_ENTRY(C_GetInterface) OPTIGA_P11_ENTRY(C_LoginUser)
  OPTIGA_P11_ENTRY(C_SessionCancel) OPTIGA_P11_ENTRY(C_MessageEncryptInit) OPTIGA_P11_ENTRY(C_EncryptMessage)
  OPTIGA_P11_ENTRY(C_EncryptMessageBegin) OPTIGA_P11_ENTRY(C_EncryptMessageNext)
  OPTIGA_P11_ENTRY(C_MessageEncryptFinal) OPTIGA_P11_ENTRY(C_MessageDecryptInit) OPTIGA_P11_ENTRY(C_DecryptMessage)
  OPTIGA_P11_ENTRY(C_DecryptMessageBegin) OPTIGA_P11_ENTRY(C_DecryptMessageNext)
  OPTIGA_P11_ENTRY(C_MessageDecryptFinal) OPTIGA_P11_ENTRY(C_MessageSignInit) OPTIGA_P11_ENTRY(C_SignMessage)
  OPTIGA_P11_ENTRY(C_SignMessageBegin) OPTIGA_P11_ENTRY(C_SignMessageNext) OPTIGA_P11_ENTRY(C_MessageSignFinal)
  OPTIGA_P11_ENTRY(C_MessageVerifyInit) OPTIGA_P11_ENTRY(C_VerifyMessage) OPTIGA_P11_ENTRY(C_VerifyMessageBegin)
  OPTIGA_P11_ENTRY(C_VerifyMessageNext) OPTIGA_P11_ENTRY(C_MessageVerifyFinal)
#undef OPTIGA_P11_ENTRY
} CK_FUNCTION_LIST_3_0;
typedef CK_FUNCTION_LIST_3_0* CK_FUNCTION_LIST_3_0_PTR;
}
