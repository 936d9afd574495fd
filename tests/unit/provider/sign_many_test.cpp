// The provider as an application library sees it: loaded with OSSL_PROVIDER_load into a fresh
// OSSL_LIB_CTX, a chip key from OSSL_STORE (optiga:0xE0F1), 10,000 EVP_DigestSign signatures,
// every one verified by the default provider (issue 4: "10,000 signatures all verify"). One
// process, because `openssl dgst` per signature would spend its time starting up.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/store.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <array>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "core/util/openssl_ptr.h"

namespace {

using LibCtx = optiga::LibCtxPtr;
using Pkey = optiga::PkeyPtr;
using PkeyCtx = optiga::PkeyCtxPtr;
using MdCtx = optiga::MdCtxPtr;

std::string openssl_errors() {
  std::string text;
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof(buf));
    text += buf;
    text += '\n';
  }
  return text;
}

class ProviderSignMany : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/optiga-provider-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    // A fresh emulated chip for this test only; the provider reads $OPTIGA_DEVICE.
    const std::string device = "sim:" + dir_ + "/chip.state?create=1";
    ASSERT_EQ(setenv("OPTIGA_DEVICE", device.c_str(), 1), 0);
    libctx_.reset(OSSL_LIB_CTX_new());
    ASSERT_TRUE(libctx_);
    ASSERT_TRUE(OSSL_PROVIDER_set_default_search_path(libctx_.get(), OPTIGA_PROVIDER_DIR));
    optiga_ = OSSL_PROVIDER_load(libctx_.get(), "optiga");
    ASSERT_NE(optiga_, nullptr) << openssl_errors();
    default_ = OSSL_PROVIDER_load(libctx_.get(), "default");
    ASSERT_NE(default_, nullptr) << openssl_errors();
  }
  void TearDown() override {
    if (optiga_ != nullptr) OSSL_PROVIDER_unload(optiga_);
    if (default_ != nullptr) OSSL_PROVIDER_unload(default_);
    libctx_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // genpkey -provider optiga -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F1
  void generate_chip_key() {
    PkeyCtx gctx(EVP_PKEY_CTX_new_from_name(libctx_.get(), "EC", "provider=optiga"));
    ASSERT_TRUE(gctx);
    ASSERT_EQ(EVP_PKEY_keygen_init(gctx.get()), 1) << openssl_errors();
    char group[] = "P-256";
    char slot[] = "0xE0F1";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                                 OSSL_PARAM_construct_utf8_string("optiga-slot", slot, 0), OSSL_PARAM_construct_end()};
    ASSERT_EQ(EVP_PKEY_CTX_set_params(gctx.get(), params), 1) << openssl_errors();
    EVP_PKEY* raw = nullptr;
    ASSERT_EQ(EVP_PKEY_keygen(gctx.get(), &raw), 1) << openssl_errors();
    EVP_PKEY_free(raw);
  }

  Pkey load_from_store(const char* uri) {
    optiga::StoreCtxPtr store(
        OSSL_STORE_open_ex(uri, libctx_.get(), nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
    if (!store) return nullptr;
    while (!OSSL_STORE_eof(store.get())) {
      optiga::StoreInfoPtr info(OSSL_STORE_load(store.get()));
      if (info && OSSL_STORE_INFO_get_type(info.get()) == OSSL_STORE_INFO_PKEY) return Pkey(OSSL_STORE_INFO_get1_PKEY(info.get()));
    }
    return nullptr;
  }

  // The chip key's public part as a default-provider key: verification must not involve us.
  Pkey default_public_key(EVP_PKEY* key) {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(key, &der);
    if (len <= 0) return nullptr;
    const unsigned char* p = der;
    Pkey pub(d2i_PUBKEY_ex(nullptr, &p, len, libctx_.get(), "provider=default"));
    OPENSSL_free(der);
    return pub;
  }

  std::string dir_;
  LibCtx libctx_;
  OSSL_PROVIDER* optiga_ = nullptr;
  OSSL_PROVIDER* default_ = nullptr;
};

bool verify(OSSL_LIB_CTX* libctx, EVP_PKEY* pub, const unsigned char* msg, std::size_t msglen, const std::vector<unsigned char>& sig) {
  MdCtx md(EVP_MD_CTX_new());
  return md && EVP_DigestVerifyInit_ex(md.get(), nullptr, "SHA256", libctx, "provider=default", pub, nullptr) == 1 &&
         EVP_DigestVerify(md.get(), sig.data(), sig.size(), msg, msglen) == 1;
}

TEST_F(ProviderSignMany, TenThousandSignaturesAllVerify) {
  generate_chip_key();
  Pkey key = load_from_store("optiga:0xE0F1");
  ASSERT_TRUE(key) << openssl_errors();
  // The key must be the chip's (our key manager), or this test proves nothing about the chip.
  ASSERT_STREQ(OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(key.get())), "optiga");
  Pkey pub = default_public_key(key.get());
  ASSERT_TRUE(pub) << openssl_errors();
  ASSERT_STREQ(OSSL_PROVIDER_get0_name(EVP_PKEY_get0_provider(pub.get())), "default");

  constexpr int count = 10000;
  int failed_sign = 0;
  int failed_verify = 0;
  std::vector<unsigned char> sig;
  for (int i = 0; i < count; ++i) {
    // A different message every time, so a chip returning a stale signature cannot pass.
    std::array<unsigned char, 40> msg{};
    std::snprintf(reinterpret_cast<char*>(msg.data()), msg.size(), "optiga message %d", i);
    MdCtx md(EVP_MD_CTX_new());
    std::size_t len = 0;
    if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, "SHA256", libctx_.get(), nullptr, key.get(), nullptr) != 1 ||
        EVP_DigestSign(md.get(), nullptr, &len, msg.data(), msg.size()) != 1) {
      ++failed_sign;
      continue;
    }
    sig.resize(len);
    if (EVP_DigestSign(md.get(), sig.data(), &len, msg.data(), msg.size()) != 1) {
      ++failed_sign;
      continue;
    }
    sig.resize(len);
    if (!verify(libctx_.get(), pub.get(), msg.data(), msg.size(), sig)) ++failed_verify;
    // The verifier is not a rubber stamp: the same signature fails on another message.
    if (i % 1000 == 0) {
      msg[0] ^= 1;
      EXPECT_FALSE(verify(libctx_.get(), pub.get(), msg.data(), msg.size(), sig)) << "signature " << i;
    }
  }
  EXPECT_EQ(failed_sign, 0) << openssl_errors();
  EXPECT_EQ(failed_verify, 0);
}

}  // namespace
