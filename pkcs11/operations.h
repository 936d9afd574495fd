// The per-session operation states (find, sign/verify, digest).
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <vector>

#include "core/token/token.h"
#include "core/util/bytes.h"
#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

using MdContext = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

struct FindOperation {
  std::vector<CK_OBJECT_HANDLE> results;
  std::size_t next = 0;
};

struct SignOperation {
  CK_MECHANISM_TYPE mechanism = 0;
  std::uint16_t oid = 0;  // signing: the key slot
  token::PublicKey public_key;  // verifying: the key checked against
  MdContext md{nullptr, EVP_MD_CTX_free};  // hashing mechanisms
  Bytes data;  // CKM_ECDSA: the digest as given
  bool multipart = false;
};

struct DigestOperation {
  CK_MECHANISM_TYPE mechanism = 0;
  MdContext md{nullptr, EVP_MD_CTX_free};
};

}  // namespace optiga::pkcs11
