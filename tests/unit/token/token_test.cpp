// core/token over the emulated chip: which objects the chip presents, and the guarded writes.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "core/chip/object_map.h"
#include "core/token/token.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"
#include "unit/integration/sim_fixture.h"

namespace optiga::testing {
namespace {

// A certificate for `spki`, signed by a throw-away software CA key, padded to about `size` bytes
// with a subject alt name so size limits can be tested.
Bytes make_certificate(const Bytes& spki, std::size_t size = 0) {
  const unsigned char* p = spki.data();
  PkeyPtr subject(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  PkeyPtr ca(EVP_EC_gen("P-256"));
  X509Ptr x(X509_new());
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 7);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("token test"), -1, -1, 0);
  // Each OU may hold 64 characters: add as many as the wanted size needs.
  const std::string filler(60, 'x');
  for (std::size_t added = 400; added < size; added += 66)
    X509_NAME_add_entry_by_txt(name, "OU", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(filler.c_str()), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
  X509_set_pubkey(x.get(), subject.get());
  X509_sign(x.get(), ca.get(), EVP_sha256());
  int len = i2d_X509(x.get(), nullptr);
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* out = der.data();
  i2d_X509(x.get(), &out);
  return der;
}

Bytes software_spki() {
  PkeyPtr k(EVP_EC_gen("P-256"));
  int len = i2d_PUBKEY(k.get(), nullptr);
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  i2d_PUBKEY(k.get(), &p);
  return der;
}

TEST(Token, FreshChipPresentsTheFactoryKeyAndCertificate) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  auto keys = t.keys();
  ASSERT_EQ(keys.size(), 1u);
  EXPECT_EQ(keys[0].oid, 0xE0F0);
  EXPECT_EQ(keys[0].id, (Bytes{0xE0, 0xF0}));
  EXPECT_EQ(keys[0].label, "E0F0");
  EXPECT_FALSE(keys[0].modifiable);  // change NEV
  EXPECT_TRUE(keys[0].can_sign());
  auto certs = t.certificates();
  ASSERT_EQ(certs.size(), 1u);
  EXPECT_EQ(certs[0].oid, 0xE0E0);
  EXPECT_EQ(certs[0].id, (Bytes{0xE0, 0xF0}));  // pairs with its key by CKA_ID
  EXPECT_FALSE(certs[0].trusted);
}

TEST(Token, GenerateKeyGuardsOccupiedAndFactorySlots) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  auto k = t.generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  EXPECT_EQ(k.oid, 0xE0F1);
  EXPECT_TRUE(k.modifiable);
  EXPECT_EQ(t.keys().size(), 2u);
  try {
    t.generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
    FAIL() << "occupied slot accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("already holds a P-256 key"), std::string::npos) << e.what();
  }
  auto replaced = t.generate_key(0xE0F1, chip::Algorithm::nist_p384, chip::key_usage::sign, true);
  EXPECT_EQ(replaced.curve, chip::Algorithm::nist_p384);
  EXPECT_NE(replaced.public_key.bit_string, k.public_key.bit_string);
  try {
    t.generate_key(0xE0F0, chip::Algorithm::nist_p256, chip::key_usage::sign);
    FAIL() << "factory slot accepted";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("0xE0F0"), std::string::npos);
  }
  EXPECT_THROW(t.generate_key(0xE0E1, chip::Algorithm::nist_p256, chip::key_usage::sign), UsageError);
}

TEST(Token, StoresACertificateInThePairedSlotByIdLabelOrPublicKey) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  t.generate_key(0xE0F2, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const Bytes cert = make_certificate(spki_of(*dev, 0xE0F2));
  // No id, no label: found by the key's public key (how NSS imports).
  EXPECT_EQ(t.store_certificate(cert, {}), 0xE0E2);
  EXPECT_EQ(dev->read_object(0xE0E2), cert);  // bare DER
  auto in = t.certificates_in(0xE0E2);
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].id, (Bytes{0xE0, 0xF2}));
  // By key id and by label.
  t.erase_certificate(0xE0E2);
  EXPECT_TRUE(t.certificates_in(0xE0E2).empty());
  token::CertificateTarget by_id;
  by_id.id = Bytes{0xE0, 0xF2};
  EXPECT_EQ(t.store_certificate(cert, by_id), 0xE0E2);
  token::CertificateTarget by_label;
  by_label.label = "E0E2";
  EXPECT_EQ(t.store_certificate(cert, by_label), 0xE0E2);
}

TEST(Token, RefusedCertificateWritesLeaveTheSlotUnchanged) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  t.generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const Bytes good = make_certificate(spki_of(*dev, 0xE0F1));
  token::CertificateTarget slot;
  slot.id = Bytes{0xE0, 0xF1};
  ASSERT_EQ(t.store_certificate(good, slot), 0xE0E1);

  // Another key's certificate.
  try {
    t.store_certificate(make_certificate(software_spki()), slot);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("another key"), std::string::npos);
  }
  // Not a certificate.
  EXPECT_THROW(t.store_certificate(Bytes{0x30, 0x03, 0x02, 0x01, 0x01}, slot), UsageError);
  // Too large for the slot (1728 bytes).
  try {
    t.store_certificate(make_certificate(spki_of(*dev, 0xE0F1), 1900), slot);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("does not fit"), std::string::npos) << e.what();
  }
  // Locked slot (0xE0E0: change NEV).
  token::CertificateTarget factory;
  factory.label = "E0E0";
  EXPECT_THROW(t.store_certificate(good, factory), UsageError);
  EXPECT_EQ(dev->read_object(0xE0E1), good);
  EXPECT_EQ(t.certificates_in(0xE0E0).size(), 1u);
}

// A certificate slot holding other bytes is neither empty nor a certificate: readers are told
// what it holds (issue 10 item 17).
TEST(Token, SaysWhatACertificateSlotHoldsWhenItIsNoCertificate) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  token::Token t(*dev);
  EXPECT_EQ(t.non_certificate_content(0xE0E1), std::nullopt);  // empty
  EXPECT_EQ(t.non_certificate_content(0xE0E0), std::nullopt);  // the factory certificate
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  dev->write_object(0xE0E1, Bytes(pem.begin(), pem.end()), true);
  dev->write_object(0xE0E2, Bytes{1, 2, 3, 4}, true);
  token::Token after(*dev);  // a fresh picture: these writes went past the token
  EXPECT_TRUE(after.certificates_in(0xE0E1).empty());
  EXPECT_EQ(after.non_certificate_content(0xE0E1), std::to_string(pem.size()) + " bytes of PEM text");
  EXPECT_EQ(after.non_certificate_content(0xE0E2), "4 bytes");
}

TEST(Token, SeesChangesMadeByAnotherDeviceOnTheSameChip) {
  const auto path = std::filesystem::temp_directory_path() / ("token-share-" + std::to_string(::getpid()) + ".state");
  sim::SimOptions opts = sim_options(chip::Model::trust_m_v3);
  opts.state_path = path.string();
  const auto lock = path.string() + ".bus.lock";
  SimDevice a(opts, lock), b(opts, lock);
  token::Token ta(*a), tb(*b);
  EXPECT_EQ(ta.keys().size(), 1u);
  tb.generate_key(0xE0F3, chip::Algorithm::nist_p256, chip::key_usage::sign);
  EXPECT_EQ(ta.keys().size(), 2u);  // a's cache is invalidated by b's use of the chip
  std::filesystem::remove(path);
  std::filesystem::remove(path.string() + ".lock");
  std::filesystem::remove(lock);
}

TEST(Token, ParseSlotExplainsWhatTheModelHas) {
  EXPECT_EQ(token::parse_slot("0xE0F1", chip::Model::trust_x).oid, 0xE0F1);
  EXPECT_EQ(token::parse_slot("e0e8", chip::Model::trust_x).kind, token::SlotKind::trust_anchor);
  try {
    token::parse_slot("0xE0FC", chip::Model::trust_x);
    FAIL();
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("not a key or certificate slot of OPTIGA Trust X"), std::string::npos);
  }
  EXPECT_THROW(token::parse_slot("optiga", chip::Model::trust_m_v3), UsageError);
}

}  // namespace
}  // namespace optiga::testing
