// Certificate writes that need two SetDataObject commands (1550-1728 bytes on a Trust M), torn by
// the emulator's power-loss fault between the two (issue 10 item 21): every reader sees the old
// certificate, the new one, or a clear "torn: rewrite" — never torn bytes, never "empty".
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdio>
#include <ostream>
#include <string>

#include "core/token/token.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"
#include "unit/integration/sim_fixture.h"

namespace optiga::testing {
namespace {

constexpr std::uint16_t slot = 0xE0E1;  // 1728 bytes; its key slot 0xE0F1 stays empty (no pairing check)

// A certificate of a fresh software key (signed by that key), padded with OUs (66 bytes each) to about
// `size` bytes. Every call gives a different certificate.
Bytes make_certificate(std::size_t size) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr x(X509_new());
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 11);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("tearing test"), -1, -1, 0);
  const std::string filler(60, 'x');
  for (std::size_t added = 400; added < size; added += 66)
    X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(filler.c_str()), -1, -1, 0);
  X509_NAME_add_entry_by_txt(X509_get_issuer_name(x.get()), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("tearing CA"), -1, -1, 0);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
  X509_set_pubkey(x.get(), key.get());
  X509_sign(x.get(), key.get(), EVP_sha256());
  const int len = i2d_X509(x.get(), nullptr);
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* out = der.data();
  i2d_X509(x.get(), &out);
  return der;
}

bool two_chunks(const Bytes& der) { return der.size() > 1549 && der.size() <= 1728; }

enum class Seen { old_certificate, new_certificate, torn_signal, other };
void PrintTo(Seen s, std::ostream* os) {
  static const char* const names[] = {"old certificate", "new certificate", "torn signal", "other"};
  *os << names[static_cast<int>(s)];
}

// What a reader that opens the token afresh sees in the slot (the writer's own token too).
Seen seen_by(token::Token& reader, const Bytes& old_der, const Bytes& new_der, std::string& detail) {
  try {
    const auto certs = reader.certificates_in(slot);
    if (certs.size() == 1 && certs[0].der == old_der) return Seen::old_certificate;
    if (certs.size() == 1 && certs[0].der == new_der) return Seen::new_certificate;
    detail = certs.empty() ? "no certificate" : std::to_string(certs[0].der.size()) + " other bytes";
    return Seen::other;
  } catch (const Error& e) {
    detail = e.what();
    const bool clear = detail.find("torn") != std::string::npos && detail.find("rewrite") != std::string::npos;
    return clear ? Seen::torn_signal : Seen::other;
  }
}

// Writes `der` until a write succeeds (the fault may strike any attempt).
void store_despite_faults(token::Token& t, const Bytes& der) {
  token::CertificateTarget target;
  target.id = token::oid_id(slot);
  for (int attempt = 0; attempt < 100; ++attempt) {
    try {
      t.store_certificate(der, target);
      return;
    } catch (const Error&) {
    }
  }
  FAIL() << "no write succeeded in 100 attempts";
}

TEST(CertificateTearing, HundredTwoChunkWritesUnderPowerLossNeverReadTorn) {
  sim::SimOptions opts = sim_options(chip::Model::trust_m_v3);
  opts.faults.power_loss_on_write = 0.4;  // per SetDataObject: the command is not executed, the chip resets
  opts.faults.seed = 20261129;
  SimDevice dev(opts);
  token::Token writer(*dev);

  // Old certificates alternate between one that fits one command and one that needs two.
  const Bytes small_old = make_certificate(600);
  ASSERT_LE(small_old.size(), 1549u);
  int counts[4] = {0, 0, 0, 0};
  int interrupted_between = 0, torn_over_small = 0, failed_writes = 0;
  for (int i = 0; i < 100; ++i) {
    const Bytes old_der = (i % 2 == 0) ? small_old : make_certificate(1600 + (i % 5) * 25);
    const Bytes new_der = make_certificate(1560 + (i % 7) * 20);
    ASSERT_TRUE(two_chunks(new_der)) << new_der.size();
    ASSERT_TRUE(old_der == small_old || two_chunks(old_der));
    store_despite_faults(writer, old_der);
    {
      token::Token check(*dev);
      std::string detail;
      ASSERT_EQ(seen_by(check, old_der, new_der, detail), Seen::old_certificate) << detail;
    }
    const Bytes raw_before = dev->read_object(slot);
    bool written = false;
    token::CertificateTarget target;
    target.id = token::oid_id(slot);
    try {
      writer.store_certificate(new_der, target);
      written = true;
    } catch (const Error&) {
      ++failed_writes;
    }
    // Something of the new certificate reached the chip, yet the write failed: the power went
    // between its commands.
    if (!written && dev->read_object(slot) != raw_before) ++interrupted_between;

    for (token::Token* reader : {&writer, static_cast<token::Token*>(nullptr)}) {
      token::Token fresh(*dev);
      token::Token& r = reader ? *reader : fresh;
      std::string detail;
      const Seen seen = seen_by(r, old_der, new_der, detail);
      ++counts[static_cast<int>(seen)];
      EXPECT_NE(seen, Seen::other) << "write " << i << (written ? " (succeeded)" : " (failed)") << ": " << detail;
      if (written) {
        EXPECT_EQ(seen, Seen::new_certificate) << "write " << i << ": " << detail;
      }
      if (old_der == small_old && seen == Seen::torn_signal) ++torn_over_small;
    }
  }
  std::printf("100 two-chunk writes, %d failed, %d of them between the two commands; reads: old %d, new %d, "
              "torn signal %d, other %d\n",
              failed_writes, interrupted_between, counts[0], counts[1], counts[2], counts[3]);
  EXPECT_EQ(counts[static_cast<int>(Seen::other)], 0);
  // The soak reached the window that matters: power lost after the first command.
  EXPECT_GE(interrupted_between, 10);
  // An old certificate that fits one command survives a torn write of a larger one.
  EXPECT_EQ(torn_over_small, 0);
}

}  // namespace
}  // namespace optiga::testing
