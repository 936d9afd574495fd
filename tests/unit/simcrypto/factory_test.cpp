#include "hal/sim/factory.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>

#include <cctype>
#include <memory>
#include <string>

#include "core/chip/cert_format.h"
#include "core/chip/der.h"
#include "core/chip/uid.h"
#include "core/util/openssl_ptr.h"

namespace optiga::sim {
namespace {

// Decodes a factory identity's certificate and checks it with OpenSSL's path validation against
// the emulator CA, in a private library context like every other emulator component.
class FactoryTest : public ::testing::Test {
 protected:
  LibCtxPtr libctx{OSSL_LIB_CTX_new()};
  SimCrypto crypto;

  X509Ptr decode(const Bytes& der) {
    X509Ptr cert(X509_new_ex(libctx.get(), nullptr));
    X509* raw = cert.get();
    const unsigned char* p = der.data();
    if (d2i_X509(&raw, &p, static_cast<long>(der.size())) == nullptr) return nullptr;
    return cert;
  }

  int verify_against_emulator_ca(X509* leaf) {
    X509StorePtr store(X509_STORE_new());
    const std::string pem = emulator_ca_chain_pem();
    BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
    int loaded = 0;
    for (;;) {
      X509Ptr ca(X509_new_ex(libctx.get(), nullptr));
      X509* raw = ca.get();
      if (PEM_read_bio_X509(bio.get(), &raw, nullptr, nullptr) == nullptr) break;
      X509_STORE_add_cert(store.get(), ca.get());
      ++loaded;
    }
    EXPECT_EQ(loaded, 2);
    X509StoreCtxPtr ctx(X509_STORE_CTX_new_ex(libctx.get(), nullptr));
    X509_STORE_CTX_init(ctx.get(), store.get(), leaf, nullptr);
    const int ok = X509_verify_cert(ctx.get());
    if (ok != 1) ADD_FAILURE() << X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get()));
    return ok;
  }

  // The BIT STRING form of the certificate's public key, to compare with the factory key.
  Bytes certificate_public_bitstring(X509* cert) {
    EVP_PKEY* pub = X509_get0_pubkey(cert);
    std::size_t len = 0;
    EVP_PKEY_get_octet_string_param(pub, "encoded-pub-key", nullptr, 0, &len);
    Bytes point(len);
    EVP_PKEY_get_octet_string_param(pub, "encoded-pub-key", point.data(), point.size(), &len);
    Bytes content{0x00};
    append(content, point);
    return chip::der_encode(0x03, content);
  }
};

TEST_F(FactoryTest, UidCarriesTheModelsRealBuild) {
  for (chip::Model m : {chip::Model::trust_x, chip::Model::trust_m_v1, chip::Model::trust_m_v3}) {
    const FactoryIdentity id = make_factory_identity(m, crypto);
    ASSERT_EQ(id.uid.size(), 27u);
    const chip::Uid uid = chip::Uid::parse(id.uid);
    EXPECT_EQ(uid.model(), m);
    EXPECT_EQ(uid.cim_id, 0xCD);
    EXPECT_EQ(uid.platform_id, 0x16);
    EXPECT_EQ(uid.model_id, 0x33);
    EXPECT_EQ(uid.firmware_id, 0x80101071u);
  }
  const chip::Uid v1 = chip::Uid::parse(make_factory_identity(chip::Model::trust_m_v1, crypto).uid);
  EXPECT_EQ(v1.rom_mask, 0x8201);
  EXPECT_EQ(v1.firmware_version(), "1.30.809");
  const chip::Uid v3 = chip::Uid::parse(make_factory_identity(chip::Model::trust_m_v3, crypto).uid);
  EXPECT_EQ(v3.rom_mask, 0x9401);
  EXPECT_EQ(v3.firmware_version(), "3.00.2440");
  const chip::Uid x = chip::Uid::parse(make_factory_identity(chip::Model::trust_x, crypto).uid);
  EXPECT_EQ(x.firmware_version(), "1.40.1118");
}

TEST_F(FactoryTest, CertificateObjectIsVerifiableTlsIdentity) {
  const FactoryIdentity id = make_factory_identity(chip::Model::trust_m_v3, crypto);
  ASSERT_EQ(chip::detect_cert_format(id.certificate_object), chip::CertFormat::tls_identity);
  const auto certs = chip::parse_certificate_object(id.certificate_object);
  ASSERT_EQ(certs.size(), 1u);
  EXPECT_EQ(id.certificate_object.size(), certs[0].size() + 9);
  EXPECT_LE(certs[0].size(), 1300u);

  const X509Ptr cert = decode(certs[0]);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(verify_against_emulator_ca(cert.get()), 1);
  EXPECT_EQ(certificate_public_bitstring(cert.get()), id.key.public_bitstring);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA384);
  // digitalSignature only, critical; not a CA.
  EXPECT_EQ(X509_get_key_usage(cert.get()), static_cast<std::uint32_t>(KU_DIGITAL_SIGNATURE));
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  for (int nid : {NID_key_usage, NID_basic_constraints}) {
    const int at = X509_get_ext_by_NID(cert.get(), nid, -1);
    ASSERT_GE(at, 0);
    EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(cert.get(), at)), 1);
  }
  EXPECT_NE(X509_get0_subject_key_id(cert.get()), nullptr);
  EXPECT_NE(X509_get0_authority_key_id(cert.get()), nullptr);
  // The subject names the UID, so every chip's subject differs.
  char subject[512];
  X509_NAME_oneline(X509_get_subject_name(cert.get()), subject, sizeof subject);
  EXPECT_NE(std::string(subject).find("Emulated OPTIGA Trust IoT Node"), std::string::npos);
  std::string uid_hex = to_hex(id.uid);
  for (char& c : uid_hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_NE(std::string(subject).find(uid_hex), std::string::npos);
  // Valid for about 20 years from now.
  int days = 0, secs = 0;
  ASSERT_EQ(ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(cert.get()), X509_get0_notAfter(cert.get())), 1);
  EXPECT_GE(days, 20 * 365);
  EXPECT_LE(days, 20 * 366);
}

TEST_F(FactoryTest, FactoryKeySignsVerifiably) {
  const FactoryIdentity id = make_factory_identity(chip::Model::trust_m_v1, crypto);
  const Bytes digest = crypto.random(32);
  const Bytes sig = crypto.sign_ecdsa(id.key.private_der, digest, false);
  EXPECT_TRUE(crypto.verify_ecdsa(chip::Algorithm::nist_p256, id.key.public_bitstring, digest, sig));
  EXPECT_EQ(id.key.public_bitstring.size(), 68u);  // 03 42 00 04 X Y: P-256
}

TEST_F(FactoryTest, TwoIdentitiesDiffer) {
  const FactoryIdentity a = make_factory_identity(chip::Model::trust_m_v3, crypto);
  const FactoryIdentity b = make_factory_identity(chip::Model::trust_m_v3, crypto);
  EXPECT_NE(a.uid, b.uid);
  EXPECT_NE(chip::Uid::parse(a.uid).serial(), chip::Uid::parse(b.uid).serial());
  EXPECT_NE(a.key.private_der, b.key.private_der);
  EXPECT_NE(a.key.public_bitstring, b.key.public_bitstring);
  EXPECT_NE(a.certificate_object, b.certificate_object);
}

TEST(EmulatorCa, ChainHasRootAndIntermediate) {
  const std::string pem = emulator_ca_chain_pem();
  std::size_t count = 0;
  for (std::size_t pos = pem.find("BEGIN CERTIFICATE"); pos != std::string::npos;
       pos = pem.find("BEGIN CERTIFICATE", pos + 1))
    ++count;
  EXPECT_EQ(count, 2u);
  EXPECT_EQ(pem.find("PRIVATE KEY"), std::string::npos);
  EXPECT_TRUE(embedded_ca_files().contains("intermediate-key.pem"));
}

}  // namespace
}  // namespace optiga::sim
