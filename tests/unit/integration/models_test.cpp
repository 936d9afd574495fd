// Issue acceptance against emulated Trust X, Trust M V1 and Trust M V3, through the whole host
// stack (device → commands → IFX I2C → emulated bus → emulated chip).
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509_vfy.h>

#include "core/chip/cert_format.h"
#include "core/chip/chip_error.h"
#include "core/chip/object_map.h"
#include "core/cmd/command_session.h"
#include "core/cmd/commands.h"
#include "core/util/openssl_ptr.h"
#include "hal/sim/factory.h"
#include "sim_fixture.h"

namespace optiga::testing {
namespace {

class PerModel : public ::testing::TestWithParam<chip::Model> {};

Bytes sha(const char* name, std::string_view text) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned len = 0;
  EVP_Digest(text.data(), text.size(), out.data(), &len, EVP_get_digestbyname(name), nullptr);
  out.resize(len);
  return out;
}

TEST_P(PerModel, GeneratesSignsAndVerifiesWithEverySupportedCurveInEveryFreeSlot) {
  SimDevice dev(sim_options(GetParam()));
  int generated = 0;
  for (auto alg : {chip::Algorithm::nist_p256, chip::Algorithm::nist_p384, chip::Algorithm::nist_p521,
                   chip::Algorithm::brainpool_p256r1, chip::Algorithm::brainpool_p384r1,
                   chip::Algorithm::brainpool_p512r1}) {
    if (!chip::model_supports(GetParam(), alg)) continue;
    for (std::uint16_t oid = 0xE0F1; oid <= 0xE0F3; ++oid) {
      SCOPED_TRACE(std::string(chip::algorithm_name(static_cast<std::uint8_t>(alg))) + " in " + std::to_string(oid));
      auto result = dev->generate_key(oid, alg, chip::key_usage::sign | chip::key_usage::auth);
      ASSERT_FALSE(result.public_key.empty());
      const Bytes digest = sha(chip::curve_info(alg)->field_bytes > 32 ? "SHA384" : "SHA256", "hello chip");
      auto sig = dev->sign_digest(oid, digest);
      EXPECT_TRUE(is_minimal_der(sig.der));
      EXPECT_TRUE(openssl_verify(spki_of(*dev, oid), digest, sig.der));
      EXPECT_EQ(sig.raw.size(), 2 * chip::curve_info(alg)->field_bytes);
      ++generated;
    }
  }
  EXPECT_GE(generated, 6);  // at least P-256 and P-384 in three slots on every model
}

TEST_P(PerModel, WritesAndReadsBackA1728ByteCertificateInChunks) {
  SimDevice dev(sim_options(GetParam()));
  Bytes data(1728);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 7 + 3);
  data[0] = 0x30;
  const auto before = dev.channel->stack().stats().apdus;
  dev->write_object(0xE0E1, data, true);
  const auto after_write = dev.channel->stack().stats().apdus;
  EXPECT_EQ(dev->read_object(0xE0E1), data);
  const auto after_read = dev.channel->stack().stats().apdus;
  EXPECT_GE(after_write - before, 2u);  // does not fit one APDU: chunked
  EXPECT_GE(after_read - after_write, 2u);
}

TEST_P(PerModel, FactoryCertificateChainsToTheShippedEmulatorCa) {
  SimDevice dev(sim_options(GetParam()));
  const Bytes object = dev->read_object(0xE0E0);
  ASSERT_EQ(chip::detect_cert_format(object), chip::CertFormat::tls_identity);
  auto chain = chip::parse_certificate_object(object);
  ASSERT_EQ(chain.size(), 1u);
  const unsigned char* p = chain[0].data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(chain[0].size())));
  ASSERT_TRUE(cert);
  X509StorePtr store(X509_STORE_new());
  const std::string pem = sim::emulator_ca_chain_pem();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  STACK_OF(X509)* intermediates = sk_X509_new_null();
  int n = 0;
  while (X509* c = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (n++ == 0) {
      X509_STORE_add_cert(store.get(), c);
      X509_free(c);
    } else {
      sk_X509_push(intermediates, c);
    }
  }
  X509StoreCtxPtr vctx(X509_STORE_CTX_new());
  X509_STORE_CTX_init(vctx.get(), store.get(), cert.get(), intermediates);
  EXPECT_EQ(X509_verify_cert(vctx.get()), 1) << X509_verify_cert_error_string(X509_STORE_CTX_get_error(vctx.get()));
  sk_X509_pop_free(intermediates, X509_free);
  // And the factory key 0xE0F0 signs for that certificate's public key.
  const Bytes digest = sha("SHA256", "factory identity");
  auto sig = dev->sign_digest(0xE0F0, digest);
  EXPECT_TRUE(openssl_verify(spki_of(*dev, 0xE0F0), digest, sig.der));
}

TEST_P(PerModel, MetadataOfEveryObjectIsTheFactoryDefault) {
  SimDevice dev(sim_options(GetParam()));
  int checked = 0;
  for (const auto& info : chip::objects(GetParam())) {
    if (info.kind == chip::ObjectKind::session_context) continue;
    if (info.oid == 0xE0E0 || info.oid == 0xE0F0) continue;  // provisioned: used size/key set at the factory
    SCOPED_TRACE(info.name);
    EXPECT_EQ(dev->read_metadata(info.oid).serialize(), info.default_metadata.serialize());
    ++checked;
  }
  EXPECT_GT(checked, 15);
}

TEST_P(PerModel, AccessConditionsAndLifeCycleAreEnforced) {
  SimDevice dev(sim_options(GetParam()));
  // 0xE0E0: change AC NEV.
  try {
    dev->write_object(0xE0E0, Bytes{0x30, 0x00}, false);
    FAIL() << "write to 0xE0E0 (change NEV) was accepted";
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x07);
    EXPECT_NE(std::string(e.what()).find("access conditions not satisfied"), std::string::npos);
  }
  // Data object: writable while LcsO < op, refused once operational.
  dev->write_object(0xF1D4, Bytes{1, 2, 3}, true);
  chip::Metadata lock;
  lock.lcso = chip::lcs::operational;
  dev->write_metadata(0xF1D4, lock);
  EXPECT_EQ(dev->read_metadata(0xF1D4).lcso, chip::lcs::operational);
  try {
    dev->write_object(0xF1D4, Bytes{9}, true);
    FAIL() << "write after LcsO = operational was accepted";
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x07);
  }
  EXPECT_EQ(dev->read_object(0xF1D4), (Bytes{1, 2, 3}));  // the refused write changed nothing
  // Key objects are never readable: the chip refuses (the device layer would refuse before
  // sending, so ask the chip directly).
  cmd::CommandSession session(*dev.channel, GetParam());
  try {
    session.run(cmd::get_data(0xE0F0, 0, 0x100));
    FAIL() << "reading a key object was accepted";
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x07);
  }
  EXPECT_THROW(dev->read_object(0xE0F0), UsageError);
}

INSTANTIATE_TEST_SUITE_P(Models, PerModel,
                         ::testing::Values(chip::Model::trust_x, chip::Model::trust_m_v1, chip::Model::trust_m_v3),
                         [](const auto& info) {
                           std::string s(chip::model_token(info.param));
                           for (auto& c : s)
                             if (c == '-') c = '_';
                           return s;
                         });

TEST(TrustX, UnsupportedCurveGivesTheChipsNamedError) {
  SimDevice dev(sim_options(chip::Model::trust_x));
  // Bypass the host-side model check: the chip itself must refuse P-521.
  cmd::CommandSession session(*dev.channel, chip::Model::trust_x);
  try {
    session.run(cmd::gen_key_pair(chip::Algorithm::nist_p521, 0xE0F1, chip::key_usage::sign));
    FAIL() << "Trust X generated a P-521 key";
  } catch (const chip::ChipError& e) {
    EXPECT_NE(e.code(), 0);
    EXPECT_NE(std::string(e.what()).find(std::string(e.name())), std::string::npos);
    EXPECT_NE(e.name(), "unknown error");
  }
  // And through the device layer the error is explained before anything is sent.
  EXPECT_THROW(dev->generate_key(0xE0F1, chip::Algorithm::nist_p521, chip::key_usage::sign), Error);
}

}  // namespace
}  // namespace optiga::testing
