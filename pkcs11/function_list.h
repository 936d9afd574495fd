#pragma once

#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

// The complete 2.40 function table: every entry is set (unsupported functions answer
// CKR_FUNCTION_NOT_SUPPORTED, api_unsupported.cpp).
CK_FUNCTION_LIST* function_list();
CK_INTERFACE* default_interface();

}  // namespace optiga::pkcs11
