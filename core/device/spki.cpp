#include "core/device/spki.h"

#include "core/util/openssl_ptr.h"
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "core/util/error.h"

namespace optiga::device {

namespace {

std::unique_ptr<EVP_PKEY, PkeyFree> to_pkey(const CryptoContext& ctx, const PublicKey& key) {
  auto curve = chip::curve_info(key.curve);
  if (!curve) throw UsageError("public key of " + key.source + " is not on a supported curve");
  ByteView point = point_of(key.bit_string);
  std::string group(curve->openssl_name);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<std::uint8_t*>(point.data()),
                                        point.size()),
      OSSL_PARAM_construct_end()};
  std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree> pctx(EVP_PKEY_CTX_new_from_name(ctx.get(), "EC", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) <= 0 ||
      EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) <= 0)
    throw ProtocolError("public key of " + key.source + " is not a valid " + std::string(curve->name) + " point");
  return std::unique_ptr<EVP_PKEY, PkeyFree>(raw);
}
}  // namespace

Bytes subject_public_key_info(const CryptoContext& ctx, const PublicKey& key) {
  auto pkey = to_pkey(ctx, key);
  int len = i2d_PUBKEY(pkey.get(), nullptr);
  if (len <= 0) throw ProtocolError("cannot encode the public key of " + key.source);
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d_PUBKEY(pkey.get(), &p);
  return out;
}

std::string public_key_pem(const CryptoContext& ctx, const PublicKey& key) {
  auto pkey = to_pkey(ctx, key);
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1)
    throw ProtocolError("cannot encode the public key of " + key.source);
  char* data = nullptr;
  long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace optiga::device
