// Software EC keys in an application that loaded `optiga` before `default` (issue 10 item 9):
// OpenSSL 3.0 then hands every unqualified EC key to our key manager, and the keys must behave
// exactly as the default provider's. EVP_PKEY_fromdata of a private key and a legacy EC_KEY
// (EVP_PKEY_set1_EC_KEY) must sign, their signatures verify in the default provider, and the
// key reads back unchanged.
#define OPENSSL_SUPPRESS_DEPRECATED  // the legacy EC_KEY API is the point of one test
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/provider.h>
#include <openssl/x509.h>

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

class ProviderSoftwareKeys : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(setenv("OPTIGA_DEVICE", "sim:/nonexistent/never-opened", 1), 0);  // no chip is touched
    libctx_.reset(OSSL_LIB_CTX_new());
    ASSERT_TRUE(OSSL_PROVIDER_set_default_search_path(libctx_.get(), OPTIGA_PROVIDER_DIR));
    optiga_ = OSSL_PROVIDER_load(libctx_.get(), "optiga");  // first, as in the issue
    default_ = OSSL_PROVIDER_load(libctx_.get(), "default");
    ASSERT_NE(optiga_, nullptr) << errors();
    ASSERT_NE(default_, nullptr) << errors();
  }
  void TearDown() override {
    if (optiga_ != nullptr) OSSL_PROVIDER_unload(optiga_);
    if (default_ != nullptr) OSSL_PROVIDER_unload(default_);
    libctx_.reset();
  }

  Bytes sign(EVP_PKEY* key, const std::string& msg) {
    optiga::MdCtxPtr md(EVP_MD_CTX_new());
    std::size_t len = 0;
    if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", libctx_.get(), nullptr, key, nullptr) != 1 ||
        EVP_DigestSign(md.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1)
      return {};
    Bytes sig(len);
    if (EVP_DigestSign(md.get(), sig.data(), &len, reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) != 1) return {};
    sig.resize(len);
    return sig;
  }

  // Verified by the default provider alone, from the public key's DER.
  bool verifies(EVP_PKEY* key, const std::string& msg, const Bytes& sig) {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (len <= 0) return false;
    const unsigned char* p = der;
    optiga::PkeyPtr pub(d2i_PUBKEY_ex(nullptr, &p, len, libctx_.get(), "provider=default"));
    OPENSSL_free(der);
    optiga::MdCtxPtr md(EVP_MD_CTX_new());
    return pub && md &&
           EVP_DigestVerifyInit_ex(md.get(), nullptr, "SHA256", libctx_.get(), "provider=default", pub.get(), nullptr) == 1 &&
           EVP_DigestVerify(md.get(), sig.data(), sig.size(), reinterpret_cast<const unsigned char*>(msg.data()), msg.size()) == 1;
  }

  optiga::LibCtxPtr libctx_;
  OSSL_PROVIDER* optiga_ = nullptr;
  OSSL_PROVIDER* default_ = nullptr;
};

TEST_F(ProviderSoftwareKeys, FromdataOfAnEcPrivateKeySignsAndReadsBack) {
  for (const char* curve : {"P-256", "secp256k1"}) {
    // A key pair made by the default provider, its parameters taken out and given to fromdata.
    optiga::PkeyPtr source(EVP_PKEY_Q_keygen(libctx_.get(), "provider=default", "EC", curve));
    ASSERT_TRUE(source) << errors();
    OSSL_PARAM* params = nullptr;
    ASSERT_EQ(EVP_PKEY_todata(source.get(), EVP_PKEY_KEYPAIR, &params), 1) << errors();
    optiga::PkeyCtxPtr fctx(EVP_PKEY_CTX_new_from_name(libctx_.get(), "EC", nullptr));
    EVP_PKEY* raw = nullptr;
    const bool made = fctx && EVP_PKEY_fromdata_init(fctx.get()) == 1 && EVP_PKEY_fromdata(fctx.get(), &raw, EVP_PKEY_KEYPAIR, params) == 1;
    OSSL_PARAM_free(params);
    ASSERT_TRUE(made) << curve << ": " << errors();
    optiga::PkeyPtr key(raw);
    // The situation of the issue: the key is our key manager's (optiga was loaded first).
    EXPECT_STREQ(OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(key.get())), "optiga");
    // The same key: same public and private parts as the source.
    EXPECT_EQ(EVP_PKEY_eq(key.get(), source.get()), 1) << curve;
    BIGNUM* d1 = nullptr;
    BIGNUM* d2 = nullptr;
    ASSERT_EQ(EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d1), 1) << errors();
    ASSERT_EQ(EVP_PKEY_get_bn_param(source.get(), OSSL_PKEY_PARAM_PRIV_KEY, &d2), 1);
    EXPECT_EQ(BN_cmp(d1, d2), 0) << curve;
    BN_clear_free(d1);
    BN_clear_free(d2);
    EXPECT_EQ(EVP_PKEY_get_bits(key.get()), 256) << curve;
    optiga::PkeyCtxPtr check(EVP_PKEY_CTX_new_from_pkey(libctx_.get(), key.get(), nullptr));
    EXPECT_EQ(EVP_PKEY_check(check.get()), 1) << curve << ": " << errors();
    const Bytes sig = sign(key.get(), std::string("fromdata ") + curve);
    ASSERT_FALSE(sig.empty()) << curve << ": " << errors();
    EXPECT_TRUE(verifies(source.get(), std::string("fromdata ") + curve, sig)) << curve;
    EXPECT_FALSE(verifies(source.get(), "another message", sig)) << curve;
  }
}

TEST_F(ProviderSoftwareKeys, LegacyEcKeySigns) {
  EC_KEY* ec = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
  ASSERT_NE(ec, nullptr);
  ASSERT_EQ(EC_KEY_generate_key(ec), 1);
  optiga::PkeyPtr key(EVP_PKEY_new());
  ASSERT_EQ(EVP_PKEY_set1_EC_KEY(key.get(), ec), 1);
  EC_KEY_free(ec);
  const Bytes sig = sign(key.get(), "legacy EC_KEY");
  ASSERT_FALSE(sig.empty()) << errors();
  EXPECT_TRUE(verifies(key.get(), "legacy EC_KEY", sig));
}

}  // namespace
