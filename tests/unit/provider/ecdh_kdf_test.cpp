// ECDH with a chip key and the X9.63 KDF parameters of EVP_KEYEXCH-ECDH(7) (issue 10 item 13):
// set through EVP_PKEY_CTX_set_params they must change the output exactly as the default
// provider's ECDH does (same KDF over the same shared secret), be listed as settable, and an
// unknown kdf-type must be refused rather than ignored.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/store.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/util/openssl_ptr.h"

namespace {

using Bytes = std::vector<unsigned char>;

std::string errors() {
  std::string text;
  char buf[256];
  for (unsigned long e; (e = ERR_get_error()) != 0;) {
    ERR_error_string_n(e, buf, sizeof(buf));
    text += std::string(buf) + "\n";
  }
  return text;
}

class ProviderEcdhKdf : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/optiga-provider-kdf-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    ASSERT_EQ(setenv("OPTIGA_DEVICE", ("sim:" + dir_ + "/chip.state?create=1").c_str(), 1), 0);
    libctx_.reset(OSSL_LIB_CTX_new());
    ASSERT_TRUE(OSSL_PROVIDER_set_default_search_path(libctx_.get(), OPTIGA_PROVIDER_DIR));
    optiga_ = OSSL_PROVIDER_load(libctx_.get(), "optiga");
    default_ = OSSL_PROVIDER_load(libctx_.get(), "default");
    ASSERT_NE(optiga_, nullptr) << errors();
    ASSERT_NE(default_, nullptr) << errors();
    // A chip key in 0xE0F1 (genpkey ... -pkeyopt optiga-slot:0xE0F1), then loaded by URI.
    optiga::PkeyCtxPtr gctx(EVP_PKEY_CTX_new_from_name(libctx_.get(), "EC", "provider=optiga"));
    char group[] = "P-256", slot[] = "0xE0F1";
    const OSSL_PARAM gen[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                              OSSL_PARAM_construct_utf8_string("optiga-slot", slot, 0), OSSL_PARAM_construct_end()};
    EVP_PKEY* raw = nullptr;
    ASSERT_TRUE(gctx && EVP_PKEY_keygen_init(gctx.get()) == 1 && EVP_PKEY_CTX_set_params(gctx.get(), gen) == 1 &&
                EVP_PKEY_keygen(gctx.get(), &raw) == 1)
        << errors();
    EVP_PKEY_free(raw);
    optiga::StoreCtxPtr store(OSSL_STORE_open_ex("optiga:0xE0F1", libctx_.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
    ASSERT_TRUE(store) << errors();
    while (!chip_ && !OSSL_STORE_eof(store.get())) {
      optiga::StoreInfoPtr info(OSSL_STORE_load(store.get()));
      if (info && OSSL_STORE_INFO_get_type(info.get()) == OSSL_STORE_INFO_PKEY) chip_.reset(OSSL_STORE_INFO_get1_PKEY(info.get()));
    }
    ASSERT_TRUE(chip_) << errors();
    ASSERT_STREQ(OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(chip_.get())), "optiga");
    // The peer: a software key of the default provider, and the chip key's public part there.
    peer_.reset(EVP_PKEY_Q_keygen(libctx_.get(), "provider=default", "EC", "P-256"));
    ASSERT_TRUE(peer_) << errors();
    chip_pub_ = public_part(chip_.get());
    peer_pub_ = public_part(peer_.get());
    ASSERT_TRUE(chip_pub_ && peer_pub_) << errors();
  }
  void TearDown() override {
    chip_.reset();
    peer_.reset();
    chip_pub_.reset();
    peer_pub_.reset();
    if (optiga_ != nullptr) OSSL_PROVIDER_unload(optiga_);
    if (default_ != nullptr) OSSL_PROVIDER_unload(default_);
    libctx_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Derives with `own` and `peer`, the KDF parameters set after init (nullptr: none).
  // The public part only of a key, in the default provider (as a certificate or a message gives it).
  Bytes public_der(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    Bytes out(der, der + (len > 0 ? len : 0));
    OPENSSL_free(der);
    return out;
  }
  optiga::PkeyPtr public_part(EVP_PKEY* key) {
    const Bytes der = public_der(key);
    const unsigned char* p = der.data();
    return optiga::PkeyPtr(d2i_PUBKEY_ex(nullptr, &p, static_cast<long>(der.size()), libctx_.get(), "provider=default"));
  }

  static Bytes derive(OSSL_LIB_CTX* libctx, EVP_PKEY* own, EVP_PKEY* peer, const OSSL_PARAM* params) {
    optiga::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx, own, nullptr));
    std::size_t len = 0;
    if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1) return {};
    if (params != nullptr && EVP_PKEY_CTX_set_params(ctx.get(), params) != 1) return {};
    if (EVP_PKEY_derive_set_peer(ctx.get(), peer) != 1 || EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) return {};
    Bytes out(len);
    if (EVP_PKEY_derive(ctx.get(), out.data(), &len) != 1) return {};
    out.resize(len);
    return out;
  }

  std::string dir_;
  optiga::LibCtxPtr libctx_;
  OSSL_PROVIDER* optiga_ = nullptr;
  OSSL_PROVIDER* default_ = nullptr;
  optiga::PkeyPtr chip_, peer_, chip_pub_, peer_pub_;
};

TEST_F(ProviderEcdhKdf, X963KdfParametersAreHonoured) {
  char kdf[] = "X963KDF", md[] = "SHA256";
  unsigned char ukm[] = {'o', 'p', 't', 'i', 'g', 'a'};
  std::size_t outlen = 48;
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_EXCHANGE_PARAM_KDF_TYPE, kdf, 0),
                               OSSL_PARAM_construct_utf8_string(OSSL_EXCHANGE_PARAM_KDF_DIGEST, md, 0),
                               OSSL_PARAM_construct_size_t(OSSL_EXCHANGE_PARAM_KDF_OUTLEN, &outlen),
                               OSSL_PARAM_construct_octet_string(OSSL_EXCHANGE_PARAM_KDF_UKM, ukm, sizeof(ukm)),
                               OSSL_PARAM_construct_end()};
  const Bytes raw_chip = derive(libctx_.get(), chip_.get(), peer_pub_.get(), nullptr);
  ASSERT_EQ(raw_chip.size(), 32u) << errors();
  // The peer side, entirely in the default provider: the same raw secret, then the same KDF.
  const Bytes kdf_soft = derive(libctx_.get(), peer_.get(), chip_pub_.get(), params);
  ASSERT_EQ(kdf_soft.size(), outlen) << errors();
  const Bytes kdf_chip = derive(libctx_.get(), chip_.get(), peer_pub_.get(), params);
  EXPECT_EQ(kdf_chip, kdf_soft) << errors();
  EXPECT_NE(Bytes(kdf_chip.begin(), kdf_chip.begin() + 32), raw_chip);
}

TEST_F(ProviderEcdhKdf, SettableParamsNameTheKdfAndUnknownKdfIsRefused) {
  optiga::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(libctx_.get(), chip_.get(), nullptr));
  ASSERT_TRUE(ctx && EVP_PKEY_derive_init(ctx.get()) == 1) << errors();
  const OSSL_PARAM* settable = EVP_PKEY_CTX_settable_params(ctx.get());
  for (const char* name : {OSSL_EXCHANGE_PARAM_KDF_TYPE, OSSL_EXCHANGE_PARAM_KDF_DIGEST, OSSL_EXCHANGE_PARAM_KDF_OUTLEN,
                           OSSL_EXCHANGE_PARAM_KDF_UKM})
    EXPECT_NE(OSSL_PARAM_locate_const(settable, name), nullptr) << name;
  char bogus[] = "HKDF";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_EXCHANGE_PARAM_KDF_TYPE, bogus, 0), OSSL_PARAM_construct_end()};
  EXPECT_NE(EVP_PKEY_CTX_set_params(ctx.get(), params), 1);
  ERR_clear_error();
}

}  // namespace
