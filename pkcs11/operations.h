// The per-session operation states (find, sign/verify, digest).
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <vector>

#include "core/token/token.h"
#include "core/util/bytes.h"
#include "core/util/openssl_ptr.h"
#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

using MdContext = MdCtxPtr;

struct FindOperation {
  std::vector<CK_OBJECT_HANDLE> results;
  std::size_t next = 0;
};

struct SignOperation {
  CK_MECHANISM_TYPE mechanism = 0;
  std::uint16_t oid = 0;  // signing: the key slot
  token::PublicKey public_key;  // verifying: the key checked against
  MdContext md;  // hashing mechanisms
  Bytes data;  // CKM_ECDSA: the digest as given
  bool multipart = false;
};

struct DigestOperation {
  CK_MECHANISM_TYPE mechanism = 0;
  MdContext md;
};

}  // namespace optiga::pkcs11
