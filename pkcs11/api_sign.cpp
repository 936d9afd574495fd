// ECDSA: C_SignInit, C_Sign, C_SignUpdate, C_SignFinal (on the chip) and C_VerifyInit,
// C_Verify, C_VerifyUpdate, C_VerifyFinal (on the host, with the key's public key).
// CKM_ECDSA takes the digest; CKM_ECDSA_SHA* hash on the host. Signatures are r‖s.
#include "core/chip/der.h"
#include "core/token/ecdsa_digest.h"
#include "pkcs11/api.h"
#include "pkcs11/hashing.h"
#include "pkcs11/mechanisms.h"
#include "pkcs11/objects.h"

using namespace optiga;
using namespace optiga::pkcs11;

namespace {

using Op = std::optional<SignOperation> Session::*;

std::size_t signature_size(chip::Algorithm curve) { return chip::curve_info(curve).value().raw_signature_bytes(); }

// Resolves a key handle for an operation: CKR_KEY_HANDLE_INVALID instead of the object code.
ObjectView resolve_key(ModuleContext& ctx, Slot& slot, CK_OBJECT_HANDLE handle) {
  try {
    return resolve(ctx, slot, handle);
  } catch (const CkError& e) {
    if (e.rv() == CKR_OBJECT_HANDLE_INVALID) fail(CKR_KEY_HANDLE_INVALID, e.what());
    throw;
  }
}

CK_RV init(ModuleContext& ctx, Session& s, Slot& slot, Op which, CK_MECHANISM_PTR mech, CK_OBJECT_HANDLE key,
           CK_FLAGS need) {
  if (mech == nullptr) return CKR_ARGUMENTS_BAD;
  if (s.*which) return CKR_OPERATION_ACTIVE;
  const auto info = mechanism_info(slot.device().model(), mech->mechanism);
  if (!info || !(info->flags & need)) return CKR_MECHANISM_INVALID;
  if (mech->pParameter != nullptr || mech->ulParameterLen != 0) return CKR_MECHANISM_PARAM_INVALID;
  const bool signing = need == CKF_SIGN;
  if (signing && !slot.user_authorised()) return CKR_USER_NOT_LOGGED_IN;
  const ObjectView object = resolve_key(ctx, slot, key);
  const auto want = signing ? ObjectKey::Kind::private_key : ObjectKey::Kind::public_key;
  if (object.key.kind != want || !object.key_object) return CKR_KEY_TYPE_INCONSISTENT;
  if (!object.key_object->can_sign()) return CKR_KEY_FUNCTION_NOT_PERMITTED;
  SignOperation op;
  op.mechanism = mech->mechanism;
  op.oid = object.key_object->oid;
  op.public_key = object.key_object->public_key;
  if (const char* hash = digest_name(mech->mechanism)) op.md = start_digest(ctx.crypto(), hash);
  s.*which = std::move(op);
  return CKR_OK;
}

// An error ends the operation, except a size query or a too-small buffer.
template <typename F>
CK_RV ending_on_error(Session& s, Op which, F&& body) {
  try {
    const CK_RV rv = body();
    if (rv != CKR_OK && rv != CKR_BUFFER_TOO_SMALL) (s.*which).reset();
    return rv;
  } catch (...) {
    (s.*which).reset();
    throw;
  }
}

Bytes digest_of(SignOperation& op, ByteView data) {
  if (!op.md) return Bytes(data.begin(), data.end());
  update_digest(op.md, data);
  return finish_digest(op.md);
}

CK_RV sign_out(Session& s, Slot& slot, ByteView data, bool final_part, CK_BYTE_PTR sig, CK_ULONG_PTR sig_len) {
  SignOperation& op = *s.sign;
  if (sig_len == nullptr) return CKR_ARGUMENTS_BAD;
  const std::size_t size = signature_size(op.public_key.curve);
  if (sig == nullptr) {
    *sig_len = size;
    return CKR_OK;
  }
  if (*sig_len < size) {
    *sig_len = size;
    return CKR_BUFFER_TOO_SMALL;
  }
  const Bytes digest = final_part ? finish_digest(op.md) : digest_of(op, data);
  const Bytes chip_digest = token::ecdsa_digest_for_chip(digest, op.public_key.curve);
  const device::Signature signature = slot.device().sign_digest(op.oid, chip_digest);
  s.sign.reset();
  return put_output(signature.raw, sig, sig_len);
}

CK_RV verify(ModuleContext& ctx, Session& s, ByteView digest, ByteView sig) {
  SignOperation& op = *s.verify;
  const device::PublicKey key = op.public_key;
  s.verify.reset();
  if (sig.size() != signature_size(key.curve)) return CKR_SIGNATURE_LEN_RANGE;
  const Bytes der = chip::ecdsa_chip_to_der(chip::ecdsa_raw_to_chip(sig));
  const Bytes d = token::ecdsa_digest_for_chip(digest, key.curve);
  return device::verify_ecdsa(ctx.crypto(), key, d, der) ? CKR_OK : CKR_SIGNATURE_INVALID;
}

}  // namespace

extern "C" {

CK_RV C_SignInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    return init(ctx, s, slot, &Session::sign, pMechanism, hKey, CKF_SIGN);
  });
}

CK_RV C_Sign(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
             CK_ULONG_PTR pulSignatureLen) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot& slot) -> CK_RV {
    if (!s.sign) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, &Session::sign, [&]() -> CK_RV {
      if (pData == nullptr && ulDataLen != 0) return CKR_ARGUMENTS_BAD;
      if (s.sign->multipart) return CKR_OPERATION_ACTIVE;
      if (!s.sign->md && ulDataLen == 0) return CKR_DATA_LEN_RANGE;
      return sign_out(s, slot, ByteView(pData, ulDataLen), false, pSignature, pulSignatureLen);
    });
  });
}

CK_RV C_SignUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    if (!s.sign) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, &Session::sign, [&]() -> CK_RV {
      if (pPart == nullptr && ulPartLen != 0) return CKR_ARGUMENTS_BAD;
      if (!s.sign->md) return CKR_FUNCTION_NOT_SUPPORTED;  // CKM_ECDSA is single-part
      s.sign->multipart = true;
      update_digest(s.sign->md, ByteView(pPart, ulPartLen));
      return CKR_OK;
    });
  });
}

CK_RV C_SignFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG_PTR pulSignatureLen) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot& slot) -> CK_RV {
    if (!s.sign) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, &Session::sign, [&]() -> CK_RV {
      if (!s.sign->md) return CKR_FUNCTION_NOT_SUPPORTED;
      return sign_out(s, slot, {}, true, pSignature, pulSignatureLen);
    });
  });
}

CK_RV C_VerifyInit(CK_SESSION_HANDLE hSession, CK_MECHANISM_PTR pMechanism, CK_OBJECT_HANDLE hKey) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot& slot) -> CK_RV {
    return init(ctx, s, slot, &Session::verify, pMechanism, hKey, CKF_VERIFY);
  });
}

CK_RV C_Verify(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pData, CK_ULONG ulDataLen, CK_BYTE_PTR pSignature,
               CK_ULONG ulSignatureLen) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot&) -> CK_RV {
    if (!s.verify) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, &Session::verify, [&]() -> CK_RV {
      if ((pData == nullptr && ulDataLen != 0) || pSignature == nullptr) return CKR_ARGUMENTS_BAD;
      if (s.verify->multipart) return CKR_OPERATION_ACTIVE;
      const Bytes digest = digest_of(*s.verify, ByteView(pData, ulDataLen));
      return verify(ctx, s, digest, ByteView(pSignature, ulSignatureLen));
    });
  });
}

CK_RV C_VerifyUpdate(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pPart, CK_ULONG ulPartLen) {
  return with_session(hSession, [&](ModuleContext&, Session& s, Slot&) -> CK_RV {
    if (!s.verify) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, &Session::verify, [&]() -> CK_RV {
      if (pPart == nullptr && ulPartLen != 0) return CKR_ARGUMENTS_BAD;
      if (!s.verify->md) return CKR_FUNCTION_NOT_SUPPORTED;
      s.verify->multipart = true;
      update_digest(s.verify->md, ByteView(pPart, ulPartLen));
      return CKR_OK;
    });
  });
}

CK_RV C_VerifyFinal(CK_SESSION_HANDLE hSession, CK_BYTE_PTR pSignature, CK_ULONG ulSignatureLen) {
  return with_session(hSession, [&](ModuleContext& ctx, Session& s, Slot&) -> CK_RV {
    if (!s.verify) return CKR_OPERATION_NOT_INITIALIZED;
    return ending_on_error(s, &Session::verify, [&]() -> CK_RV {
      if (pSignature == nullptr) return CKR_ARGUMENTS_BAD;
      if (!s.verify->md) return CKR_FUNCTION_NOT_SUPPORTED;
      const Bytes digest = finish_digest(s.verify->md);
      return verify(ctx, s, digest, ByteView(pSignature, ulSignatureLen));
    });
  });
}

}  // extern "C"
