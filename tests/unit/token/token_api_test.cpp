// The token as the front ends' only chip API, over the emulated chip: chip facts, sign, derive,
// random, public-key encodings, slot choice and the one default key usage.
#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/chip/der.h"
#include "core/chip/key_usage.h"
#include "core/token/key_encoding.h"
#include "core/token/signature_check.h"
#include "core/token/token.h"
#include "core/util/error.h"
#include "unit/integration/sim_fixture.h"

namespace optiga::testing {
namespace {

using PkeyPtr = std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)>;

PkeyPtr from_spki(const Bytes& spki) {
  const unsigned char* p = spki.data();
  return PkeyPtr(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())), EVP_PKEY_free);
}

Bytes spki_of(EVP_PKEY* key) {
  const int len = i2d_PUBKEY(key, nullptr);
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  i2d_PUBKEY(key, &p);
  return der;
}

Bytes point_of(EVP_PKEY* key) {
  Bytes point(200);
  std::size_t len = 0;
  EXPECT_EQ(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(), point.size(), &len), 1);
  point.resize(len);
  return point;
}

Bytes software_ecdh(EVP_PKEY* own, EVP_PKEY* peer) {
  std::unique_ptr<EVP_PKEY_CTX, void (*)(EVP_PKEY_CTX*)> ctx(EVP_PKEY_CTX_new(own, nullptr), EVP_PKEY_CTX_free);
  std::size_t len = 0;
  EXPECT_EQ(EVP_PKEY_derive_init(ctx.get()), 1);
  EXPECT_EQ(EVP_PKEY_derive_set_peer(ctx.get(), peer), 1);
  EXPECT_EQ(EVP_PKEY_derive(ctx.get(), nullptr, &len), 1);
  Bytes out(len);
  EXPECT_EQ(EVP_PKEY_derive(ctx.get(), out.data(), &len), 1);
  out.resize(len);
  return out;
}

Bytes sha(const char* name, std::string_view text) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  EVP_Digest(text.data(), text.size(), out.data(), &len, EVP_get_digestbyname(name), nullptr);
  out.resize(len);
  return out;
}

TEST(TokenApi, CurveFactsComeFromTheOneTable) {
  ASSERT_EQ(chip::curves().size(), 6u);
  for (const auto& c : chip::curves()) {
    EXPECT_EQ(c.point_bytes(), 1 + 2 * c.field_bytes) << c.name;
    EXPECT_EQ(c.raw_signature_bytes(), 2 * c.field_bytes) << c.name;
    EXPECT_LE(c.bits, 8 * c.field_bytes) << c.name;
    EXPECT_GT(c.bits, 8 * (c.field_bytes - 1)) << c.name;
  }
  const auto p256 = chip::curve_info(chip::Algorithm::nist_p256).value();
  // A bound: the largest P-256 signature takes 72 bytes (30 46 02 21 00‥ 02 21 00‥); the
  // formula allows long-form headers, as OpenSSL was always told.
  EXPECT_EQ(p256.max_der_signature_bytes(), 75u);
  for (const auto& c : chip::curves()) EXPECT_GE(c.max_der_signature_bytes(), 2 * (c.field_bytes + 3) + 3) << c.name;
  EXPECT_EQ(p256.security_bits(), 128u);
  const auto p521 = chip::curve_info(chip::Algorithm::nist_p521).value();
  EXPECT_EQ(p521.bits, 521u);
  EXPECT_EQ(p521.field_bytes, 66u);
  EXPECT_EQ(p521.security_bits(), 256u);
  EXPECT_EQ(chip::curve_info(chip::Algorithm::brainpool_p512r1)->security_bits(), 256u);
}

TEST(TokenApi, InfoNamesModelSerialAndFirmware) {
  for (const auto model : {chip::Model::trust_x, chip::Model::trust_m_v3}) {
    SimDevice dev(sim_options(model));
    token::Token t(*dev);
    const token::TokenInfo info = t.info();
    EXPECT_EQ(info.model, model);
    EXPECT_EQ(t.model(), model);
    EXPECT_EQ(info.model_name, model == chip::Model::trust_x ? "Trust X" : "Trust M V3");
    EXPECT_EQ(info.serial, dev->uid().serial());
    EXPECT_FALSE(info.serial.empty());
    EXPECT_EQ(info.firmware_version, dev->uid().firmware_version());
    EXPECT_GT(info.firmware_major, 0);
    EXPECT_EQ(std::to_string(info.firmware_major), info.firmware_version.substr(0, info.firmware_version.find('.')));
  }
}

TEST(TokenApi, CurvesAndSlotsFollowTheModel) {
  SimDevice x(sim_options(chip::Model::trust_x));
  token::Token tx(*x);
  EXPECT_EQ(tx.curves(), (std::vector<chip::Algorithm>{chip::Algorithm::nist_p256, chip::Algorithm::nist_p384}));

  SimDevice m(sim_options(chip::Model::trust_m_v3));
  token::Token t(*m);
  EXPECT_EQ(t.curves().size(), 6u);
  EXPECT_EQ(t.key_slot_of_id(Bytes{0xE0, 0xF1}), 0xE0F1);
  EXPECT_EQ(t.key_slot_of_id(Bytes{0xE0, 0xE1}), std::nullopt);  // a certificate slot
  EXPECT_EQ(t.key_slot_of_id(Bytes{0xE0}), std::nullopt);
  EXPECT_EQ(t.key_slot_of_label("0xE0F2"), 0xE0F2);
  EXPECT_EQ(t.key_slot_of_label("my key"), std::nullopt);
  EXPECT_EQ(t.parse_slot("E0E1").kind, token::SlotKind::certificate);
  EXPECT_EQ(t.slot_kind(0xE0F3), token::SlotKind::ecc_key);
  EXPECT_EQ(t.slot_kind(0xF1D0), std::nullopt);

  EXPECT_EQ(t.free_key_slot(), 0xE0F1);  // never the factory key 0xE0F0
  t.generate_key(0xE0F1, chip::Algorithm::nist_p256);
  EXPECT_EQ(t.free_key_slot(), 0xE0F2);
}

TEST(TokenApi, GenerateKeyAppliesTheOneDefaultUsage) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  const auto plain = t.generate_key(0xE0F1, chip::Algorithm::nist_p256);
  EXPECT_EQ(plain.usage, chip::default_key_usage);
  EXPECT_EQ(dev->read_metadata(0xE0F1).key_usage, chip::default_key_usage);
  EXPECT_TRUE(plain.can_sign());
  EXPECT_TRUE(plain.can_derive());

  const auto agree = t.generate_key(0xE0F2, chip::Algorithm::nist_p384, token::key_usage_for(false, true));
  EXPECT_EQ(agree.usage, chip::key_usage::key_agreement);
  EXPECT_EQ(dev->read_metadata(0xE0F2).key_usage, chip::key_usage::key_agreement);

  EXPECT_EQ(token::key_usage_for(true, false), chip::signing_key_usage);
  EXPECT_EQ(token::key_usage_for(true, true), chip::default_key_usage);
  EXPECT_THROW(token::key_usage_for(false, false), UsageError);
}

TEST(TokenApi, SignGivesVerifiedRawAndDerForAnyDigestLength) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  const auto key = t.generate_key(0xE0F1, chip::Algorithm::nist_p384);
  const Bytes spki = token::subject_public_key_info(key.public_key);
  device::CryptoContext ctx;
  for (const char* md : {"SHA256", "SHA384", "SHA512"}) {
    const Bytes digest = sha(md, "token api");
    const token::Signature sig = t.sign(0xE0F1, digest);
    EXPECT_EQ(sig.raw.size(), 96u) << md;
    EXPECT_TRUE(is_minimal_der(sig.der)) << md;
    // OpenSSL truncates a long digest to the order size, as the token does for the chip.
    EXPECT_TRUE(openssl_verify(spki, digest, sig.der)) << md;
    EXPECT_TRUE(token::verify_raw_signature(ctx, key.public_key, digest, sig.raw)) << md;
    // Raw and DER carry the same r and s.
    EXPECT_EQ(chip::ecdsa_chip_to_der(chip::ecdsa_raw_to_chip(sig.raw)), sig.der) << md;
    Bytes bad = sig.raw;
    bad[10] ^= 0x01;
    EXPECT_FALSE(token::verify_raw_signature(ctx, key.public_key, digest, bad)) << md;
    EXPECT_FALSE(token::verify_raw_signature(ctx, key.public_key, digest, ByteView(sig.raw).first(95))) << md;
  }
  const Bytes short_digest = {1, 2, 3, 4, 5};  // padded to the chip's 10-byte minimum, same value
  const token::Signature sig = t.sign(0xE0F1, short_digest);
  EXPECT_TRUE(openssl_verify(spki, short_digest, sig.der));
  EXPECT_THROW(t.sign(0xE0F1, {}), UsageError);
}

TEST(TokenApi, DeriveReadsEveryPeerForm) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  const auto key = t.generate_key(0xE0F3, chip::Algorithm::nist_p256, token::key_usage_for(false, true));
  PkeyPtr peer(EVP_EC_gen("P-256"), EVP_PKEY_free);
  const Bytes point = point_of(peer.get());
  ASSERT_EQ(point.size(), 65u);
  const Bytes expected = software_ecdh(peer.get(), from_spki(token::subject_public_key_info(key.public_key)).get());
  ASSERT_EQ(expected.size(), 32u);

  for (const Bytes& form : {point, chip::der_encode(0x04, point), spki_of(peer.get())}) {
    const token::PublicKey parsed = token::parse_peer_key(form, chip::Algorithm::nist_p256);
    EXPECT_EQ(token::uncompressed_point(parsed), point);
    EXPECT_EQ(t.derive(0xE0F3, parsed), expected);
  }
  PkeyPtr other(EVP_EC_gen("P-384"), EVP_PKEY_free);
  EXPECT_THROW(token::parse_peer_key(spki_of(other.get()), chip::Algorithm::nist_p256), UsageError);
  EXPECT_THROW(token::parse_peer_key(Bytes{0x02, 0x01, 0x05}, chip::Algorithm::nist_p256), UsageError);
  EXPECT_THROW(token::parse_peer_key({}, chip::Algorithm::nist_p256), UsageError);
  // A point of the right size that is not on the curve: refused before the chip computes.
  Bytes off_curve = point;
  off_curve[64] ^= 0x01;
  EXPECT_THROW(t.derive(0xE0F3, token::parse_peer_key(off_curve, chip::Algorithm::nist_p256)), UsageError);
}

TEST(TokenApi, RandomGivesExactlyWhatIsAsked) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  EXPECT_EQ(t.random(1).size(), 1u);  // below the chip's 8-byte minimum
  EXPECT_EQ(t.random(chip::get_random_max + 44).size(), chip::get_random_max + 44);  // more than one call
  EXPECT_NE(t.random(32), t.random(32));
}

TEST(TokenApi, PublicKeyEncodingsAgree) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  const auto key = t.key(0xE0F0).value();
  const Bytes point = token::uncompressed_point(key.public_key);
  ASSERT_EQ(point.size(), 65u);
  EXPECT_EQ(point[0], 0x04);
  Bytes octet = {0x04, 0x41};
  append(octet, point);
  EXPECT_EQ(token::ec_point_octet_string(key.public_key), octet);
  const Bytes spki = token::subject_public_key_info(key.public_key);
  PkeyPtr pkey = from_spki(spki);
  ASSERT_TRUE(pkey);
  EXPECT_EQ(point_of(pkey.get()), point);
  EXPECT_EQ(token::public_key_from_point(chip::Algorithm::nist_p256, point).bit_string, key.public_key.bit_string);
  EXPECT_THROW(token::public_key_from_point(chip::Algorithm::nist_p384, point), UsageError);

  EXPECT_EQ(token::curve_parameters(chip::Algorithm::nist_p256),
            (Bytes{0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07}));
  for (const auto& c : chip::curves()) EXPECT_EQ(token::curve_of_parameters(token::curve_parameters(c.algorithm)), c.algorithm);
  EXPECT_EQ(token::curve_of_parameters(Bytes{0x06, 0x03, 0x2B, 0x65, 0x70}), std::nullopt);  // Ed25519
}

}  // namespace
}  // namespace optiga::testing
