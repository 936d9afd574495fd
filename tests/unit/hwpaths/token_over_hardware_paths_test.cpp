// The token operations users run on real hardware, over each hardware code path with the
// emulated chip behind the fake kernel or the emulated FT260: key generation, a signature that
// OpenSSL verifies, a certificate written and read back, and the factory certificate.
#include <gtest/gtest.h>

#include "certificate.h"
#include "core/token/token.h"
#include "hal/ft260/ft260_reports.h"
#include "hw_rig.h"
#include "unit/integration/sim_fixture.h"

namespace optiga::testing {
namespace {

class TokenOverHardwarePath : public ::testing::TestWithParam<HwPath> {
 protected:
  // What shows the traffic really went through the path under test, the way hardware needs it.
  void expect_path_was_used(HwRig& rig) {
    const std::size_t frame = rig.stack().frame_size();
    if (auto* kernel = rig.kernel()) {
      EXPECT_TRUE(kernel->violations().empty()) << kernel->violations().front();
      EXPECT_GT(kernel->reads(), 100u);
      // A whole frame plus the register address is one write(), a whole frame one read().
      EXPECT_EQ(kernel->largest_write(), frame + 1);
      EXPECT_EQ(kernel->largest_read(), frame);
    }
    if (auto* bridge = rig.bridge()) {
      EXPECT_TRUE(bridge->violations().empty()) << bridge->violations().front();
      EXPECT_TRUE(rig.cable()->violations.empty()) << rig.cable()->violations.front();
      std::size_t largest_write = 0;
      std::size_t largest_read = 0;
      unsigned reads = 0;
      for (const auto& t : bridge->transactions()) {
        if (t.status != hal::I2cStatus::ok) continue;
        if (t.is_write) {
          largest_write = std::max(largest_write, t.data.size());
        } else {
          largest_read = std::max(largest_read, t.data.size());
          ++reads;
        }
      }
      EXPECT_EQ(largest_write, frame + 1);
      EXPECT_EQ(largest_read, frame);
      // Frames longer than one 60-byte data report need several reports per transaction.
      if (frame + 1 > hal::ft260::i2c_data_max) {
        EXPECT_GT(rig.cable()->out_reports, bridge->transactions().size());
        EXPECT_GT(rig.cable()->in_reports, reads);
      }
    }
  }
};

TEST_P(TokenOverHardwarePath, KeyGenerationSignatureCertificateAndFactoryCertificate) {
  HwRig rig(GetParam());
  device::Device& dev = rig.device();
  EXPECT_EQ(rig.stack().frame_size(), GetParam() == HwPath::ft260_frame_55 ? 55u : 277u);

  // The factory certificate, as a TLS client would read it, belongs to the factory key.
  token::Token token(dev);
  const auto factory = token.certificates_in(0xE0E0);
  ASSERT_EQ(factory.size(), 1u);
  const Bytes factory_spki = certificate_spki(factory[0].der);
  ASSERT_FALSE(factory_spki.empty()) << "factory certificate does not parse as X.509";
  const Bytes hello = sha256("factory key over " + path_name(GetParam()));
  EXPECT_TRUE(openssl_verify(factory_spki, hello, dev.sign_digest(0xE0F0, hello).der));

  // A new P-256 key in 0xE0F1, and a signature OpenSSL verifies with its public key.
  const auto key = token.generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  EXPECT_EQ(key.oid, 0xE0F1);
  const Bytes spki = spki_of(dev, 0xE0F1);
  ASSERT_NE(spki, factory_spki);
  const Bytes digest = sha256("signed over " + path_name(GetParam()));
  const auto signature = dev.sign_digest(0xE0F1, digest);
  EXPECT_TRUE(openssl_verify(spki, digest, signature.der));
  EXPECT_FALSE(openssl_verify(spki, sha256("something else"), signature.der));

  // A certificate for that key in 0xE0E1, read back from the chip and through a fresh token.
  const Bytes cert = certificate_for(spki, "device over " + path_name(GetParam()));
  ASSERT_GT(cert.size(), rig.stack().frame_size());  // takes several frames each way
  token::CertificateTarget target;
  target.label = "E0E1";
  EXPECT_EQ(token.store_certificate(cert, target), 0xE0E1);
  EXPECT_EQ(dev.read_object(0xE0E1), cert);
  token::Token fresh(dev);
  const auto stored = fresh.certificates_in(0xE0E1);
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(stored[0].der, cert);
  EXPECT_EQ(stored[0].id, (Bytes{0xE0, 0xF1}));  // pairs with the generated key
  EXPECT_EQ(certificate_spki(stored[0].der), spki);

  expect_path_was_used(rig);
}

TEST_P(TokenOverHardwarePath, TrustXFactoryCertificateAndKey) {
  RigOptions options;
  options.model = chip::Model::trust_x;
  HwRig rig(GetParam(), options);
  EXPECT_EQ(rig.device().info().model, chip::Model::trust_x);
  token::Token token(rig.device());
  const auto key = token.generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const Bytes digest = sha256("trust x");
  EXPECT_TRUE(openssl_verify(spki_of(rig.device(), 0xE0F1), digest, rig.device().sign_digest(0xE0F1, digest).der));
  const auto factory = token.certificates_in(0xE0E0);
  ASSERT_EQ(factory.size(), 1u);
  EXPECT_FALSE(certificate_spki(factory[0].der).empty());
}

INSTANTIATE_TEST_SUITE_P(Paths, TokenOverHardwarePath,
                         ::testing::Values(HwPath::i2cdev, HwPath::i2cdev_gpio_reset, HwPath::ft260,
                                           HwPath::ft260_frame_55),
                         [](const auto& info) { return path_name(info.param); });

}  // namespace
}  // namespace optiga::testing
