#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <gtest/gtest.h>

#include "core/chip/cert_format.h"
#include "core/chip/chip_error.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"
#include "device_test_support.h"

using namespace optiga;
using optiga::test::Rig;

namespace {
const Bytes digest32(32, 0x5A);

bool openssl_verifies(EVP_PKEY* key, ByteView digest, ByteView der) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  EVP_PKEY_verify_init(ctx.get());
  return EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(), digest.size()) == 1;
}

Bytes self_signed_der(EVP_PKEY* key) {
  X509Ptr x(X509_new());
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
  X509_NAME_add_entry_by_txt(X509_get_subject_name(x.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("test"), -1, -1, 0);
  X509_set_issuer_name(x.get(), X509_get_subject_name(x.get()));
  X509_set_pubkey(x.get(), key);
  X509_sign(x.get(), key, EVP_sha256());
  unsigned char* buf = nullptr;
  const int len = i2d_X509(x.get(), &buf);
  Bytes out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}
}  // namespace

TEST(DeviceKeys, GenerateStoresPublicKey) {
  Rig rig;
  const auto r = rig.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  EXPECT_EQ(r.public_key, rig.chip->bit_string_of(0xE0F1));
  ASSERT_TRUE(r.public_key_object.has_value());
  EXPECT_EQ(*r.public_key_object, 0xF1D1);
  EXPECT_TRUE(r.store_error.empty());
  EXPECT_EQ(rig.chip->objects[0xF1D1], r.public_key);
  EXPECT_EQ(to_hex(rig.sent_with(0x38).at(0), " "), "b8 03 00 09 01 00 02 e0 f1 02 00 01 10");
}

TEST(DeviceKeys, RefusedPublicKeyStoreIsReportedNotFatal) {
  Rig rig;
  rig.chip->write_protected.insert(0xF1D2);
  const auto r = rig.device->generate_key(0xE0F2, chip::Algorithm::nist_p256, chip::key_usage::sign);
  EXPECT_FALSE(r.public_key_object.has_value());
  EXPECT_NE(r.store_error.find("0xF1D2"), std::string::npos) << r.store_error;
  // The key is usable: the cached public key verifies its signatures.
  EXPECT_NO_THROW(rig.device->sign_digest(0xE0F2, digest32));
}

TEST(DeviceKeys, GenerateChecksBeforeSending) {
  Rig rig;
  rig.device->open();
  const auto before = rig.chip->sent.size();
  EXPECT_THROW(rig.device->generate_key(0xF1D0, chip::Algorithm::nist_p256, 0x10), UsageError);
  EXPECT_THROW(rig.device->generate_key(0xE0F1, chip::Algorithm::rsa_2048, 0x10), UsageError);
  EXPECT_THROW(rig.device->generate_key(0xE0FC, chip::Algorithm::nist_p256, 0x10), UsageError);
  EXPECT_EQ(rig.chip->sent.size(), before);
}

TEST(DeviceKeys, ChipRefusalOfKeygenSurfaces) {
  Rig rig;  // the fake only does P-256 and answers 0x03 otherwise
  try {
    rig.device->generate_key(0xE0F3, chip::Algorithm::nist_p384, chip::key_usage::sign);
    FAIL();
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x03);
    EXPECT_NE(std::string(e.what()).find("GenKeyPair into 0xE0F3"), std::string::npos);
  }
}

TEST(DeviceKeys, NonMinimalChipSignatureBecomesMinimalVerifiedDer) {
  Rig rig;
  rig.chip->non_minimal_integers = true;
  rig.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const auto sig = rig.device->sign_digest(0xE0F1, digest32);
  // OpenSSL re-encodes minimally; a minimal input survives the round trip unchanged.
  const unsigned char* p = sig.der.data();
  EcdsaSigPtr parsed(
      d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(sig.der.size())));
  ASSERT_TRUE(parsed);
  unsigned char* again = nullptr;
  const int len = i2d_ECDSA_SIG(parsed.get(), &again);
  EXPECT_EQ(Bytes(again, again + len), sig.der);
  OPENSSL_free(again);
  EXPECT_TRUE(openssl_verifies(rig.chip->keys.at(0xE0F1).get(), digest32, sig.der));
  ASSERT_EQ(sig.raw.size(), 64u);
  Bytes r(32), s(32);
  BN_bn2binpad(ECDSA_SIG_get0_r(parsed.get()), r.data(), 32);
  BN_bn2binpad(ECDSA_SIG_get0_s(parsed.get()), s.data(), 32);
  EXPECT_EQ(Bytes(sig.raw.begin(), sig.raw.begin() + 32), r);
  EXPECT_EQ(Bytes(sig.raw.begin() + 32, sig.raw.end()), s);
}

TEST(DeviceKeys, BadSignatureFromChannelIsNotReturned) {
  Rig rig;
  rig.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  rig.chip->corrupt_signatures = true;
  EXPECT_THROW(rig.device->sign_digest(0xE0F1, digest32), ProtocolError);
}

TEST(DeviceKeys, PublicKeyFromStoreObject) {
  Rig rig;
  rig.chip->keys.insert_or_assign(0xE0F2, test::make_p256_key());
  Bytes stored = rig.chip->bit_string_of(0xE0F2);
  stored.resize(140, 0x00);  // old bytes after a shorter write
  rig.chip->objects[0xF1D2] = stored;
  const auto key = rig.device->public_key(0xE0F2);
  EXPECT_EQ(key.bit_string, rig.chip->bit_string_of(0xE0F2));
  EXPECT_EQ(key.curve, chip::Algorithm::nist_p256);
  EXPECT_NO_THROW(rig.device->sign_digest(0xE0F2, digest32));
}

TEST(DeviceKeys, PublicKeyFromPairedCertificate) {
  Rig rig;
  rig.chip->keys.insert_or_assign(0xE0F3, test::make_p256_key());
  rig.chip->objects[0xE0E3] = chip::build_tls_identity({self_signed_der(rig.chip->keys.at(0xE0F3).get())});
  const auto key = rig.device->public_key(0xE0F3);
  EXPECT_EQ(key.bit_string, rig.chip->bit_string_of(0xE0F3));
  EXPECT_NE(key.source.find("0xE0E3"), std::string::npos);
  EXPECT_NO_THROW(rig.device->sign_digest(0xE0F3, digest32));
}

TEST(DeviceKeys, UnknownPublicKeyAndBadDigest) {
  Rig rig;
  rig.chip->keys.insert_or_assign(0xE0F1, test::make_p256_key());
  EXPECT_THROW(rig.device->sign_digest(0xE0F1, digest32), UsageError);  // no key anywhere
  rig.device->set_public_key(0xE0F1, rig.chip->bit_string_of(0xE0F1));
  EXPECT_EQ(rig.device->public_key(0xE0F1).curve, chip::Algorithm::nist_p256);
  EXPECT_THROW(rig.device->sign_digest(0xE0F1, Bytes(48, 1)), UsageError);
  EXPECT_THROW(rig.device->sign_digest(0xE0F1, Bytes(9, 1)), UsageError);
  EXPECT_THROW(rig.device->sign_digest(0xF1D0, digest32), UsageError);
  EXPECT_NO_THROW(rig.device->sign_digest(0xE0F1, Bytes(20, 1)));
}

TEST(DeviceKeys, VerifyOnChip) {
  Rig rig;
  const auto gen = rig.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const auto sig = rig.device->sign_digest(0xE0F1, digest32);
  EXPECT_TRUE(rig.device->verify(chip::Algorithm::nist_p256, gen.public_key, digest32, sig.der));
  Bytes other = digest32;
  other[0] ^= 1;
  EXPECT_FALSE(rig.device->verify(chip::Algorithm::nist_p256, gen.public_key, other, sig.der));
  // VerifySign gets the chip form: no SEQUENCE header.
  const auto v = rig.sent_with(0x32).back();
  EXPECT_EQ(v[4 + 3 + 32], 0x02);
  EXPECT_EQ(v[4 + 3 + 32 + 3], 0x02);
}

TEST(DeviceKeys, Ecdh) {
  Rig rig;
  const auto gen = rig.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::key_agreement);
  auto peer = test::make_p256_key();
  const Bytes secret = rig.device->ecdh(0xE0F1, test::public_bit_string(peer.get()));
  // Same secret computed on the peer's side.
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(peer.get(), nullptr));
  EVP_PKEY_derive_init(ctx.get());
  EVP_PKEY_derive_set_peer(ctx.get(), rig.chip->keys.at(0xE0F1).get());
  std::uint8_t expected[32];
  std::size_t len = sizeof expected;
  EVP_PKEY_derive(ctx.get(), expected, &len);
  EXPECT_EQ(secret, Bytes(expected, expected + len));
  EXPECT_THROW(rig.device->ecdh(0xE0F1, from_hex("03 03 00 04 01")), UsageError);
}
