// Message digests on the host: C_DigestInit, C_Digest, C_DigestUpdate, C_DigestFinal.
#include "pkcs11/api.h"
#include "pkcs11/hashing.h"
#include "pkcs11/mechanisms.h"

using namespace optiga;
using namespace optiga::pkcs11;

namespace {
bool is_digest(CK_MECHANISM_TYPE m) { return m == CKM_SHA256 || m == CKM_SHA384 || m == CKM_SHA512; }

// An error ends the operation (PKCS#11 §5.2), except a size query or a too-small buffer.
template <typename F>
CK_RV ending_on_error(Session& s, F&& body) {
  try {
    const CK_RV rv = body();
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL) s.digest.reset();
    return rv;
  } catch (...) {
    s.digest.reset();
    throw;
  }
}
}  // namespace

extern "C" {

CK_RV C_DigestInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot&) -> CK_RV {
    if (pMechanism == nullptr) return CKR_ARGUMENTS_BAD;
    if (s.digest) return CKR_OPERATION_ACTIVE;
    if (!is_digest(pMechanism->mechanism)) return CKR_MECHANISM_INVALID;
    DigestOperation op;
    op.mechanism = pMechanism->mechanism;
    op.md = start_digest(ctx.crypto(), digest_name(pMechanism->mechanism));
    s.digest = std::move(op);
    return CKR_OK;
  });
}

CK_RV C_Digest(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pDigest,
               CK_ULONG_PTR pulDigestLen) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    if (!s.digest) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, [&]() -> CK_RV {
      if (pulDigestLen == nullptr || (pData == nullptr && ulDataLen != 0)) return CKR_ARGUMENTS_BAD;
      const std::size_t size = digest_size(s.digest->md);
      if (pDigest == nullptr) {
        *pulDigestLen = size;
        return CKR_OK;
      }
      if (*pulDigestLen < size) {
        *pulDigestLen = size;
        return CKR_BUFFER_TOO_SMALL;
      }
      update_digest(s.digest->md, ByteView(pData, ulDataLen));
      const Bytes d = finish_digest(s.digest->md);
      s.digest.reset();
      return put_output(d, pDigest, pulDigestLen);
    });
  });
}

CK_RV C_DigestUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    if (!s.digest) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, [&]() -> CK_RV {
      if (pPart == nullptr && ulPartLen != 0) return CKR_ARGUMENTS_BAD;
      update_digest(s.digest->md, ByteView(pPart, ulPartLen));
      return CKR_OK;
    });
  });
}

CK_RV C_DigestFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pDigest, CK_ULONG_PTR pulDigestLen) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    if (!s.digest) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, [&]() -> CK_RV {
      if (pulDigestLen == nullptr) return CKR_ARGUMENTS_BAD;
      const std::size_t size = digest_size(s.digest->md);
      if (pDigest == nullptr) {
        *pulDigestLen = size;
        return CKR_OK;
      }
      if (*pulDigestLen < size) {
        *pulDigestLen = size;
        return CKR_BUFFER_TOO_SMALL;
      }
      const Bytes d = finish_digest(s.digest->md);
      s.digest.reset();
      return put_output(d, pDigest, pulDigestLen);
    });
  });
}

}  // extern "C"
