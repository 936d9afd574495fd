// C_GenerateRandom: bytes from the chip's TRNG (GetRandom). C_SeedRandom is refused
// (api_unsupported.cpp): the chip takes no seed.
#include <algorithm>

#include "pkcs11/api.h"

using namespace optiga;
using namespace optiga::pkcs11;

extern "C" {

CK_RV C_GenerateRandom(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pRandomData, CK_ULONG ulRandomLen) {
  return with_session(hSession, [&](ModuleContext&, Session&, Slot& slot) -> CK_RV {
    if (pRandomData == nullptr && ulRandomLen != 0) return CKR_ARGUMENTS_BAD;
    if (ulRandomLen == 0) return CKR_OK;
    const Bytes r = slot.token().random(ulRandomLen);  // the chip's TRNG
    std::copy(r.begin(), r.end(), pRandomData);
    return CKR_OK;
  });
}

}  // extern "C"
