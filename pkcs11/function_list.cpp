#include "pkcs11/function_list.h"

namespace optiga::pkcs11 {
namespace {

// The PKCS#11 2.40 functions in the order of CK_FUNCTION_LIST; the 3.0 list starts with the same
// entries, so both tables are built from this one list and cannot drift apart.
#define OPTIGA_PKCS11_2_40_FUNCTIONS \
    C_Initialize, \
    C_Finalize, \
    C_GetInfo, \
    C_GetFunctionList, \
    C_GetSlotList, \
    C_GetSlotInfo, \
    C_GetTokenInfo, \
    C_GetMechanismList, \
    C_GetMechanismInfo, \
    C_InitToken, \
    C_InitPIN, \
    C_SetPIN, \
    C_OpenSession, \
    C_CloseSession, \
    C_CloseAllSessions, \
    C_GetSessionInfo, \
    C_GetOperationState, \
    C_SetOperationState, \
    C_Login, \
    C_Logout, \
    C_CreateObject, \
    C_CopyObject, \
    C_DestroyObject, \
    C_GetObjectSize, \
    C_GetAttributeValue, \
    C_SetAttributeValue, \
    C_FindObjectsInit, \
    C_FindObjects, \
    C_FindObjectsFinal, \
    C_EncryptInit, \
    C_Encrypt, \
    C_EncryptUpdate, \
    C_EncryptFinal, \
    C_DecryptInit, \
    C_Decrypt, \
    C_DecryptUpdate, \
    C_DecryptFinal, \
    C_DigestInit, \
    C_Digest, \
    C_DigestUpdate, \
    C_DigestKey, \
    C_DigestFinal, \
    C_SignInit, \
    C_Sign, \
    C_SignUpdate, \
    C_SignFinal, \
    C_SignRecoverInit, \
    C_SignRecover, \
    C_VerifyInit, \
    C_Verify, \
    C_VerifyUpdate, \
    C_VerifyFinal, \
    C_VerifyRecoverInit, \
    C_VerifyRecover, \
    C_DigestEncryptUpdate, \
    C_DecryptDigestUpdate, \
    C_SignEncryptUpdate, \
    C_DecryptVerifyUpdate, \
    C_GenerateKey, \
    C_GenerateKeyPair, \
    C_WrapKey, \
    C_UnwrapKey, \
    C_DeriveKey, \
    C_SeedRandom, \
    C_GenerateRandom, \
    C_GetFunctionStatus, \
    C_CancelFunction, \
    C_WaitForSlotEvent

CK_FUNCTION_LIST table = {{2, 40}, OPTIGA_PKCS11_2_40_FUNCTIONS};

// The same functions with the 3.0 additions (api_v3.cpp), for callers that ask C_GetInterface.
CK_FUNCTION_LIST_3_0 table_3_0 = {
    {3, 0},
    OPTIGA_PKCS11_2_40_FUNCTIONS,
    C_GetInterfaceList,
    C_GetInterface,
    C_LoginUser,
    C_SessionCancel,
    C_MessageEncryptInit,
    C_EncryptMessage,
    C_EncryptMessageBegin,
    C_EncryptMessageNext,
    C_MessageEncryptFinal,
    C_MessageDecryptInit,
    C_DecryptMessage,
    C_DecryptMessageBegin,
    C_DecryptMessageNext,
    C_MessageDecryptFinal,
    C_MessageSignInit,
    C_SignMessage,
    C_SignMessageBegin,
    C_SignMessageNext,
    C_MessageSignFinal,
    C_MessageVerifyInit,
    C_VerifyMessage,
    C_VerifyMessageBegin,
    C_VerifyMessageNext,
    C_MessageVerifyFinal,
};
#undef OPTIGA_PKCS11_2_40_FUNCTIONS

CK_UTF8CHAR interface_name[] = "PKCS 11";
// Neither claims CKF_INTERFACE_FORK_SAFE: 3.0 defines it as "each process gets its own copy of
// the sessions, login and operation states", while a forked child of ours must C_Initialize
// again (2.40 behaviour, api.h). The 3.0 list comes first: it is the default for a caller that
// names no version.
CK_INTERFACE interfaces[] = {
    {interface_name, &table_3_0, 0},
    {interface_name, &table, 0},
};

}  // namespace

CK_FUNCTION_LIST* function_list() { return &table; }
CK_FUNCTION_LIST_3_0* function_list_3_0() { return &table_3_0; }
std::span<CK_INTERFACE> interfaces_offered() { return interfaces; }

}  // namespace optiga::pkcs11
