// GenKeyPair, CalcSign, VerifySign, CalcSSec and GetRandom (spec §5.5, §5.6), checked against
// OpenSSL independently of the emulator's own crypto.
#include <openssl/x509.h>

#include "core/chip/cert_format.h"
#include "engine_harness.h"

namespace optiga::sim::test {
namespace {

using chip::Algorithm;
using chip::Model;
namespace err = chip::err;

Bytes digest_of(std::size_t n, std::uint8_t seed) {
  Bytes d(n);
  for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<std::uint8_t>(seed + i * 13);
  return d;
}

Bytes verify_data(ByteView digest, ByteView sig, std::uint8_t alg, ByteView pub) {
  Bytes d;
  put_tlv(d, 0x01, digest);
  put_tlv(d, 0x02, sig);
  put_tlv(d, 0x05, Bytes{alg});
  put_tlv(d, 0x06, pub);
  return d;
}

class KeyGeneration : public ::testing::TestWithParam<Model> {};

TEST_P(KeyGeneration, P256AndP384SignAndVerifyWithOpenSsl) {
  Harness h(options(GetParam()));
  for (Algorithm alg : {Algorithm::nist_p256, Algorithm::nist_p384}) {
    const auto curve = *chip::curve_info(alg);
    const Response gen = h.gen_key(0xE0F1, static_cast<std::uint8_t>(alg), chip::key_usage::sign);
    ASSERT_TRUE(gen.ok()) << curve.name;
    const Bytes pub = public_key_from_genkey(gen.data);
    EXPECT_EQ(pub.size(), 2 + 2 + 2 * curve.field_bytes);
    EXPECT_EQ(pub[0], 0x03);
    EXPECT_EQ(pub[2], 0x00);
    EXPECT_EQ(pub[3], 0x04);
    const Bytes digest = digest_of(curve.field_bytes, 0x42);
    const Response sig = h.sign(0xE0F1, digest);
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(openssl_verify(alg, pub, digest, sig.data)) << curve.name;
    // The chip verifies its own signature with the external public key, and rejects a wrong digest.
    EXPECT_TRUE(h.run(0xB2, 0x11, verify_data(digest, sig.data, static_cast<std::uint8_t>(alg), pub)).ok());
    Bytes wrong = digest;
    wrong[0] ^= 1;
    EXPECT_FALSE(h.run(0xB2, 0x11, verify_data(wrong, sig.data, static_cast<std::uint8_t>(alg), pub)).ok());
    EXPECT_EQ(h.last_error(), err::signature_verification);
  }
  // GenKeyPair recorded algorithm and usage in the key's metadata.
  EXPECT_EQ(to_hex(h.read_metadata(0xE0F1).data, " "), "20 11 c0 01 01 d0 03 e1 fc 07 d3 01 00 e0 01 04 e1 01 10");
}

TEST_P(KeyGeneration, OtherCurvesOnlyOnV3) {
  Harness h(options(GetParam()));
  for (Algorithm alg : {Algorithm::nist_p521, Algorithm::brainpool_p256r1, Algorithm::brainpool_p384r1,
                        Algorithm::brainpool_p512r1}) {
    const Response gen = h.gen_key(0xE0F2, static_cast<std::uint8_t>(alg), chip::key_usage::sign);
    if (GetParam() == Model::trust_m_v3) {
      ASSERT_TRUE(gen.ok());
      const auto curve = *chip::curve_info(alg);
      const Bytes pub = public_key_from_genkey(gen.data);
      const Bytes digest = digest_of(std::min(curve.field_bytes, 64u), 7);
      const Response sig = h.sign(0xE0F2, digest);
      ASSERT_TRUE(sig.ok());
      EXPECT_TRUE(openssl_verify(alg, pub, digest, sig.data)) << curve.name;
    } else {
      EXPECT_FALSE(gen.ok());
      // Documented choice: an algorithm the model cannot generate is an invalid Param.
      EXPECT_EQ(h.last_error(), err::invalid_param);
    }
  }
}

TEST_P(KeyGeneration, FactoryKeyCannotBeReplaced) {
  Harness h(options(GetParam()));
  EXPECT_FALSE(h.gen_key(0xE0F0, 0x03, chip::key_usage::sign).ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
}

INSTANTIATE_TEST_SUITE_P(Models, KeyGeneration,
                         ::testing::Values(Model::trust_m_v3, Model::trust_m_v1, Model::trust_x),
                         [](const auto& info) {
                           std::string s(chip::model_token(info.param));
                           for (auto& c : s)
                             if (c == '-') c = '_';
                           return s;
                         });

TEST(Crypto, FactoryKeySignsForItsCertificate) {
  Harness h(options(Model::trust_m_v3));
  Bytes object = h.read(0xE0E0, 0, 1553).data;
  const std::vector<Bytes> chain = chip::parse_certificate_object(object);
  ASSERT_FALSE(chain.empty());
  const Bytes& cert = chain.front();
  const Bytes digest = digest_of(32, 1);
  const Response sig = h.sign(0xE0F0, digest);  // usage Auth is enough for CalcSign
  ASSERT_TRUE(sig.ok());
  // OpenSSL: the certificate's key verifies the signature.
  const unsigned char* p = cert.data();
  X509* x = d2i_X509(nullptr, &p, static_cast<long>(cert.size()));
  ASSERT_NE(x, nullptr);
  EVP_PKEY* key = X509_get0_pubkey(x);
  const Bytes der = normalise_signature(sig.data);
  EVP_PKEY_CTX* ctx = EVP_PKEY_CTX_new(key, nullptr);
  EXPECT_EQ(EVP_PKEY_verify_init(ctx), 1);
  EXPECT_EQ(EVP_PKEY_verify(ctx, der.data(), der.size(), digest.data(), digest.size()), 1);
  EVP_PKEY_CTX_free(ctx);
  X509_free(x);
  // The chip: VerifySign with a certificate OID needs a bare DER certificate.
  Bytes with_cert;
  put_tlv(with_cert, 0x01, digest);
  put_tlv(with_cert, 0x02, sig.data);
  put_tlv(with_cert, 0x04, from_hex("E0 E1"));
  ASSERT_TRUE(h.write(0xE0E1, cert).ok());
  EXPECT_TRUE(h.run(0xB2, 0x11, with_cert).ok());
  Bytes tls_format = with_cert;
  tls_format[tls_format.size() - 1] = 0xE0;  // 0xE0E0 holds the 0xC0 format
  EXPECT_FALSE(h.run(0xB2, 0x11, tls_format).ok());
  EXPECT_EQ(h.last_error(), err::invalid_certificate_format);
}

TEST(Crypto, SignRulesUsageDigestAndEmptySlot) {
  Harness h(options(Model::trust_m_v3));
  ASSERT_TRUE(h.gen_key(0xE0F3, 0x03, chip::key_usage::key_agreement).ok());
  EXPECT_FALSE(h.sign(0xE0F3, digest_of(32, 0)).ok());
  EXPECT_EQ(h.last_error(), err::unsupported_extension);
  EXPECT_FALSE(h.sign(0xE0F0, digest_of(9, 0)).ok());
  EXPECT_EQ(h.last_error(), err::invalid_parameter_in_data);
  EXPECT_FALSE(h.sign(0xE0F0, digest_of(33, 0)).ok());
  EXPECT_EQ(h.last_error(), err::invalid_parameter_in_data);
  EXPECT_TRUE(h.sign(0xE0F0, digest_of(10, 0)).ok());
  EXPECT_FALSE(h.sign(0xE0F2, digest_of(32, 0)).ok());  // no key generated yet
  EXPECT_EQ(h.last_error(), err::invalid_metadata);
  EXPECT_FALSE(h.sign(0xF1D0, digest_of(32, 0)).ok());
  EXPECT_EQ(h.last_error(), err::invalid_oid);
  // Execute AC: NEV forbids use of the key.
  ASSERT_TRUE(h.gen_key(0xE0F2, 0x03, chip::key_usage::sign).ok());
  ASSERT_TRUE(h.write_metadata(0xE0F2, "20 03 D3 01 FF").ok());
  EXPECT_FALSE(h.sign(0xE0F2, digest_of(32, 0)).ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
}

TEST(Crypto, SessionKeysAndLockedSlot) {
  Harness h(options(Model::trust_m_v3));
  const Response gen = h.gen_key(0xE100, 0x03, chip::key_usage::sign);
  ASSERT_TRUE(gen.ok());
  const Bytes digest = digest_of(32, 9);
  const Response sig = h.sign(0xE100, digest);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(openssl_verify(Algorithm::nist_p256, public_key_from_genkey(gen.data), digest, sig.data));
  // Once LcsO = op, the `LcsO < op` change condition forbids regenerating.
  ASSERT_TRUE(h.write_metadata(0xE0F1, "20 03 C0 01 07").ok());
  EXPECT_FALSE(h.gen_key(0xE0F1, 0x03, chip::key_usage::sign).ok());
  EXPECT_EQ(h.last_error(), err::access_conditions);
}

TEST(Crypto, NonMinimalIntegersAppearSometimesAndNormalise) {
  Harness h(options(Model::trust_m_v3));
  const Response gen = h.gen_key(0xE0F1, 0x03, chip::key_usage::sign);
  ASSERT_TRUE(gen.ok());
  const Bytes pub = public_key_from_genkey(gen.data);
  int non_minimal = 0;
  for (int i = 0; i < 300; ++i) {
    const Bytes digest = digest_of(32, static_cast<std::uint8_t>(i));
    const Response sig = h.sign(0xE0F1, digest);
    ASSERT_TRUE(sig.ok());
    bool quirk = false;
    normalise_signature(sig.data, &quirk);
    non_minimal += quirk ? 1 : 0;
    ASSERT_TRUE(openssl_verify(Algorithm::nist_p256, pub, digest, sig.data)) << i;
  }
  EXPECT_GT(non_minimal, 0);
  EXPECT_LT(non_minimal, 60);  // about 1 in 16 of those that can carry the quirk
}

TEST(Crypto, EcdhBothSidesAgree) {
  Harness h(options(Model::trust_m_v3));
  const Response a = h.gen_key(0xE0F2, 0x03, chip::key_usage::key_agreement);
  const Response b = h.gen_key(0xE102, 0x03, chip::key_usage::key_agreement);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  auto ecdh = [&](const char* key, const Bytes& peer, const char* tail) {
    Bytes d;
    put_tlv(d, 0x01, from_hex(key));
    put_tlv(d, 0x05, Bytes{0x03});
    put_tlv(d, 0x06, peer);
    append(d, from_hex(tail));
    return h.run(0xB3, 0x01, d);
  };
  const Response s1 = ecdh("E0 F2", public_key_from_genkey(b.data), "07 00 00");
  const Response s2 = ecdh("E1 02", public_key_from_genkey(a.data), "07 00 00");
  ASSERT_TRUE(s1.ok());
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s1.data.size(), 32u);
  EXPECT_EQ(s1.data, s2.data);
  // Stored into a session: no data out.
  const Response stored = ecdh("E0 F2", public_key_from_genkey(b.data), "08 00 02 E1 03");
  EXPECT_TRUE(stored.ok());
  EXPECT_TRUE(stored.data.empty());
  // KeyAgree usage is required.
  const Response sign_only = ecdh("E0 F0", public_key_from_genkey(b.data), "07 00 00");
  EXPECT_FALSE(sign_only.ok());
  EXPECT_EQ(h.last_error(), err::unsupported_extension);
  // A point not on the curve.
  Bytes bad = public_key_from_genkey(b.data);
  bad.back() ^= 1;
  EXPECT_FALSE(ecdh("E0 F2", bad, "07 00 00").ok());
  EXPECT_EQ(h.last_error(), err::invalid_parameter_in_data);
}

TEST(Crypto, GenKeyPairExport) {
  Harness h(options(Model::trust_m_v3));
  const Response r = h.run_hex("B8 04 00 03 07 00 00");
  ASSERT_TRUE(r.ok());
  ASSERT_GE(r.data.size(), 3u + 2 + 48);
  EXPECT_EQ(to_hex(ByteView(r.data).first(5), " "), "01 00 32 04 30");
  const std::size_t pub_at = 3 + 0x32;
  EXPECT_EQ(r.data[pub_at], 0x02);
  EXPECT_EQ(get_u16(r.data, pub_at + 1), 0x64);
  EXPECT_EQ(r.data[pub_at + 3], 0x03);
}

TEST(Crypto, GetRandom) {
  Harness h(options(Model::trust_m_v3));
  const Response a = h.run_hex("8C 00 00 02 00 20");
  const Response b = h.run_hex("8C 01 00 02 00 20");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a.data.size(), 32u);
  EXPECT_NE(a.data, b.data);
  EXPECT_EQ(h.run_hex("8C 00 00 02 01 00").data.size(), 256u);
  EXPECT_FALSE(h.run_hex("8C 00 00 02 00 07").ok());
  EXPECT_EQ(h.last_error(), err::invalid_parameter_in_data);
  EXPECT_FALSE(h.run_hex("8C 00 00 02 01 01").ok());
  EXPECT_FALSE(h.run_hex("8C 09 00 02 00 20").ok());
  EXPECT_EQ(h.last_error(), err::invalid_param);
}

}  // namespace
}  // namespace optiga::sim::test
