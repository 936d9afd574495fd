#include "hal/sim/sim_crypto.h"

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <memory>
#include <string>

#include "core/chip/der.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"

namespace optiga::sim {
namespace {

using chip::Algorithm;

constexpr Algorithm ecc_algorithms[] = {Algorithm::nist_p256,        Algorithm::nist_p384,
                                        Algorithm::nist_p521,        Algorithm::brainpool_p256r1,
                                        Algorithm::brainpool_p384r1, Algorithm::brainpool_p512r1};

unsigned field_bytes(Algorithm alg) { return chip::curve_info(alg)->field_bytes; }

// An independent software ECDH: OpenSSL with the peer's private key against our public key.
Bytes reference_ecdh(OSSL_LIB_CTX* libctx, const Bytes& private_der, const Bytes& peer_bitstring, Algorithm alg) {
  const unsigned char* p = private_der.data();
  PkeyPtr priv(
      d2i_AutoPrivateKey_ex(nullptr, &p, static_cast<long>(private_der.size()), libctx, nullptr));
  if (!priv) throw std::runtime_error("reference: private key");
  Bytes point(peer_bitstring.end() - (1 + 2 * field_bytes(alg)), peer_bitstring.end());
  std::string group(chip::curve_info(alg)->openssl_name);
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
                         OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
                         OSSL_PARAM_construct_end()};
  PkeyCtxPtr fctx(EVP_PKEY_CTX_new_from_name(libctx, "EC", nullptr));
  EVP_PKEY* raw_peer = nullptr;
  if (EVP_PKEY_fromdata_init(fctx.get()) != 1 || EVP_PKEY_fromdata(fctx.get(), &raw_peer, EVP_PKEY_PUBLIC_KEY, params) != 1)
    throw std::runtime_error("reference: peer key");
  PkeyPtr peer(raw_peer);
  PkeyCtxPtr dctx(EVP_PKEY_CTX_new_from_pkey(libctx, priv.get(), nullptr));
  std::size_t len = 0;
  if (EVP_PKEY_derive_init(dctx.get()) != 1 || EVP_PKEY_derive_set_peer(dctx.get(), peer.get()) != 1 ||
      EVP_PKEY_derive(dctx.get(), nullptr, &len) != 1)
    throw std::runtime_error("reference: derive init");
  Bytes secret(len);
  if (EVP_PKEY_derive(dctx.get(), secret.data(), &len) != 1) throw std::runtime_error("reference: derive");
  secret.resize(len);
  return secret;
}

class PerCurve : public ::testing::TestWithParam<Algorithm> {
 protected:
  SimCrypto crypto;
};

TEST_P(PerCurve, PublicKeyIsBitStringOfUncompressedPoint) {
  const Algorithm alg = GetParam();
  const std::size_t point = 1 + 2 * field_bytes(alg);
  const GeneratedKey key = crypto.generate_ec(alg);
  const Bytes& pub = key.public_bitstring;
  Bytes expected_header{0x03};
  chip::der_put_length(expected_header, point + 1);
  expected_header.push_back(0x00);
  expected_header.push_back(0x04);
  ASSERT_EQ(pub.size(), expected_header.size() - 1 + point);
  EXPECT_EQ(Bytes(pub.begin(), pub.begin() + static_cast<long>(expected_header.size())), expected_header);
  EXPECT_EQ(crypto.public_from_private(key.private_der), pub);
  EXPECT_EQ(key.private_der.at(0), 0x30);  // PKCS#8 PrivateKeyInfo SEQUENCE
}

TEST_P(PerCurve, SignVerifyMinimalAndNonMinimal) {
  const Algorithm alg = GetParam();
  const GeneratedKey key = crypto.generate_ec(alg);
  const Bytes digest = crypto.random(32);
  for (bool non_minimal : {false, true}) {
    const Bytes sig = crypto.sign_ecdsa(key.private_der, digest, non_minimal);
    ASSERT_EQ(sig.at(0), 0x02);  // bare INTEGER, no SEQUENCE
    EXPECT_TRUE(crypto.verify_ecdsa(alg, key.public_bitstring, digest, sig));
    Bytes other = digest;
    other[0] ^= 0x01;
    EXPECT_FALSE(crypto.verify_ecdsa(alg, key.public_bitstring, other, sig));
    Bytes tampered = sig;
    tampered.back() ^= 0x01;
    EXPECT_FALSE(crypto.verify_ecdsa(alg, key.public_bitstring, digest, tampered));
    // Whatever the quirk, the host conversion lands on the fixed-width raw form.
    EXPECT_EQ(chip::ecdsa_chip_to_raw(sig, field_bytes(alg)).size(), 2u * field_bytes(alg));
  }
}

TEST_P(PerCurve, EcdhMatchesSoftwareEcdh) {
  const Algorithm alg = GetParam();
  const GeneratedKey ours = crypto.generate_ec(alg);
  const GeneratedKey peer = crypto.generate_ec(alg);
  const Bytes secret = crypto.ecdh(ours.private_der, alg, peer.public_bitstring);
  EXPECT_EQ(secret.size(), field_bytes(alg));
  LibCtxPtr libctx(OSSL_LIB_CTX_new());
  EXPECT_EQ(secret, reference_ecdh(libctx.get(), peer.private_der, ours.public_bitstring, alg));
}

INSTANTIATE_TEST_SUITE_P(AllCurves, PerCurve, ::testing::ValuesIn(ecc_algorithms),
                         [](const auto& info) { return std::string(chip::curve_info(info.param)->openssl_name); });

TEST(SimCrypto, NonMinimalQuirkAppearsForSmallLeadingByte) {
  SimCrypto crypto;
  const GeneratedKey key = crypto.generate_ec(Algorithm::nist_p256);
  bool seen = false;
  for (int i = 0; i < 200 && !seen; ++i) {
    const Bytes digest = crypto.random(32);
    const Bytes sig = crypto.sign_ecdsa(key.private_der, digest, true);
    const chip::DerElement r = chip::der_read(sig, 0);
    // A full-size r with top byte < 0x80 must now carry a redundant 00.
    if (r.value.size() == 33 && r.value[0] == 0x00 && r.value[1] < 0x80) {
      seen = true;
      EXPECT_NE(chip::ecdsa_der_to_chip(chip::ecdsa_chip_to_der(sig)), sig);  // normalisation changes it
      EXPECT_TRUE(crypto.verify_ecdsa(Algorithm::nist_p256, key.public_bitstring, digest, sig));
    }
    // Never an unpadded INTEGER with a small top byte in non-minimal mode.
    EXPECT_FALSE(r.value[0] != 0x00 && r.value[0] < 0x80);
  }
  EXPECT_TRUE(seen);
}

TEST(SimCrypto, MinimalModeNeverPadsRedundantly) {
  SimCrypto crypto;
  const GeneratedKey key = crypto.generate_ec(Algorithm::nist_p256);
  for (int i = 0; i < 50; ++i) {
    const Bytes sig = crypto.sign_ecdsa(key.private_der, crypto.random(32), false);
    EXPECT_EQ(chip::ecdsa_der_to_chip(chip::ecdsa_chip_to_der(sig)), sig);
  }
}

TEST(SimCrypto, RejectsNonEccAndBadInput) {
  SimCrypto crypto;
  EXPECT_THROW(crypto.generate_ec(Algorithm::rsa_2048), UsageError);
  EXPECT_THROW(crypto.generate_ec(Algorithm::aes_128), UsageError);
  EXPECT_THROW(crypto.sign_ecdsa(crypto.generate_ec(Algorithm::nist_p256).private_der, {}, false), UsageError);
  EXPECT_THROW(crypto.public_from_private(from_hex("30 03 02 01 00")), UsageError);
  const GeneratedKey p256 = crypto.generate_ec(Algorithm::nist_p256);
  const GeneratedKey p384 = crypto.generate_ec(Algorithm::nist_p384);
  // A P-384 point offered for P-256 ECDH, a point not on the curve, a key on the wrong curve.
  EXPECT_THROW(crypto.ecdh(p256.private_der, Algorithm::nist_p256, p384.public_bitstring), UsageError);
  Bytes off_curve = p256.public_bitstring;
  off_curve.back() ^= 0x01;
  EXPECT_THROW(crypto.ecdh(p256.private_der, Algorithm::nist_p256, off_curve), UsageError);
  EXPECT_THROW(crypto.ecdh(p384.private_der, Algorithm::nist_p256, p256.public_bitstring), UsageError);
  EXPECT_FALSE(crypto.verify_ecdsa(Algorithm::nist_p256, p256.public_bitstring, Bytes(32, 1), from_hex("02 01 01")));
}

TEST(SimCrypto, RandomHasRequestedSizeAndVaries) {
  SimCrypto crypto;
  EXPECT_TRUE(crypto.random(0).empty());
  const Bytes a = crypto.random(64);
  const Bytes b = crypto.random(64);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace optiga::sim
