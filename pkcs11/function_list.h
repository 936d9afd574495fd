#pragma once

#include <span>

#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

// The complete 2.40 function table: every entry is set (unsupported functions answer
// CKR_FUNCTION_NOT_SUPPORTED, api_unsupported.cpp).
CK_FUNCTION_LIST* function_list();
CK_FUNCTION_LIST_3_0* function_list_3_0();
// What C_GetInterfaceList offers: "PKCS 11" 3.0 (the default), then "PKCS 11" 2.40.
std::span<CK_INTERFACE> interfaces_offered();

}  // namespace optiga::pkcs11
