#include "pkcs11/hashing.h"

#include <openssl/evp.h>

#include "pkcs11/errors.h"

#include "core/util/openssl_ptr.h"

namespace optiga::pkcs11 {

MdContext start_digest(const device::CryptoContext& ctx, const char* name) {
  MdPtr md(EVP_MD_fetch(ctx.get(), name, nullptr));
  if (!md) fail(CKR_MECHANISM_INVALID, std::string("no ") + name + " in OpenSSL");
  MdContext c(EVP_MD_CTX_new());
  if (!c || EVP_DigestInit_ex2(c.get(), md.get(), nullptr) != 1) fail(CKR_HOST_MEMORY, "EVP_DigestInit failed");
  return c;
}

void update_digest(MdContext& md, ByteView data) {
  if (!data.empty() && EVP_DigestUpdate(md.get(), data.data(), data.size()) != 1)
    fail(CKR_GENERAL_ERROR, "EVP_DigestUpdate failed");
}

Bytes finish_digest(MdContext& md) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(md.get(), out.data(), &len) != 1) fail(CKR_GENERAL_ERROR, "EVP_DigestFinal failed");
  out.resize(len);
  return out;
}

std::size_t digest_size(const MdContext& md) { return static_cast<std::size_t>(EVP_MD_CTX_get_size(md.get())); }

}  // namespace optiga::pkcs11
