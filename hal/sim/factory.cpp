#include "hal/sim/factory.h"

#include "core/util/openssl_error.h"
#include "core/util/openssl_ptr.h"
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/chip/cert_format.h"
#include "core/chip/uid.h"

namespace optiga::sim {

namespace {


constexpr std::size_t max_certificate_size = 1300;  // the chip's certificate parser limit (§8.1)
constexpr long validity_days = 20 * 365 + 5;         // 20 years including leap days, as on real chips

[[noreturn]] void openssl_failure(const char* what) { throw_openssl_failure(std::string("emulator factory: ") + what); }

const std::string& ca_file(const std::string& name) {
  const auto& files = embedded_ca_files();
  const auto it = files.find(name);
  if (it == files.end()) throw std::runtime_error("emulator CA file missing from the build: " + name);
  return it->second;
}

BioPtr pem_bio(const std::string& pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) openssl_failure("BIO_new_mem_buf");
  return bio;
}

X509Ptr load_certificate(OSSL_LIB_CTX* libctx, const std::string& pem) {
  X509Ptr cert(X509_new_ex(libctx, nullptr));
  if (!cert) openssl_failure("X509_new_ex");
  X509* raw = cert.get();
  if (PEM_read_bio_X509(pem_bio(pem).get(), &raw, nullptr, nullptr) == nullptr) openssl_failure("CA certificate");
  return cert;
}

PkeyPtr load_private_key(OSSL_LIB_CTX* libctx, const std::string& pem) {
  PkeyPtr key(PEM_read_bio_PrivateKey_ex(pem_bio(pem).get(), nullptr, nullptr, nullptr, libctx, nullptr));
  if (!key) openssl_failure("CA private key");
  return key;
}

PkeyPtr load_pkcs8(OSSL_LIB_CTX* libctx, ByteView der) {
  const unsigned char* p = der.data();
  PkeyPtr key(d2i_AutoPrivateKey_ex(nullptr, &p, static_cast<long>(der.size()), libctx, nullptr));
  if (!key) openssl_failure("device key");
  return key;
}

// ---- UID ------------------------------------------------------------------------------------

struct ModelProfile {
  std::uint16_t rom_mask;
  std::array<std::uint8_t, 6> chip_type;
  std::uint16_t build;
};

ModelProfile profile(chip::Model model) {
  switch (model) {
    case chip::Model::trust_m_v1: return {0x8201, {0x00, 0x1C, 0x00, 0x05, 0x00, 0x00}, chip::build::trust_m_v1_1_30_809};
    case chip::Model::trust_m_v3: return {0x9401, {0x00, 0x1C, 0x00, 0x01, 0x00, 0x00}, chip::build::trust_m_v3_3_00_2440};
    case chip::Model::trust_x:
      // No Trust X UID is published (spec §6.3 lists only M examples), so ROM mask and chip type
      // are a plausible guess in the family's pattern. Host tools identify the product by the
      // build number alone, and 1.40.1118 is the last Trust X firmware.
      return {0x8101, {0x00, 0x1C, 0x00, 0x05, 0x00, 0x00}, chip::build::trust_x_1_40_1118};
  }
  throw std::invalid_argument("unknown chip model");
}

Bytes make_uid(chip::Model model, SimCrypto& crypto) {
  const ModelProfile p = profile(model);
  chip::Uid uid;  // CIM/platform/model ids default to the observed CD 16 33
  uid.rom_mask = p.rom_mask;
  uid.chip_type = p.chip_type;
  // Both published UIDs start their batch with 0A 09; keeping that prefix makes the emulated
  // UIDs look like real ones while the remaining 4 bytes keep every emulated chip distinct.
  const Bytes rnd = crypto.random(8);
  uid.batch = {0x0A, 0x09, rnd[0], rnd[1], rnd[2], rnd[3]};
  // Wafer positions seen on real chips are small (0x20, 0x8E, 0x42, 0x78); stay in 1..192.
  uid.wafer_x = static_cast<std::uint16_t>(1 + (get_u16(rnd, 4) % 192));
  uid.wafer_y = static_cast<std::uint16_t>(1 + (get_u16(rnd, 6) % 192));
  uid.firmware_id = 0x80101071;
  uid.build = p.build;
  return uid.serialize();
}

// ---- Device certificate ---------------------------------------------------------------------

void add_extension(X509* cert, X509V3_CTX& ctx, int nid, const char* value) {
  X509ExtPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) openssl_failure("certificate extension");
}

void set_random_serial(X509* cert, SimCrypto& crypto) {
  // 16 random bytes with the top bit cleared: positive and within the chip's 1..20 byte limit.
  Bytes serial = crypto.random(16);
  serial[0] = static_cast<std::uint8_t>((serial[0] & 0x7F) | 0x01);
  BnPtr bn(BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr));
  if (!bn || BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) == nullptr) openssl_failure("serial number");
}

void set_subject(X509* cert, ByteView uid) {
  X509_NAME* name = X509_get_subject_name(cert);
  std::string uid_hex = to_hex(uid);
  std::transform(uid_hex.begin(), uid_hex.end(), uid_hex.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  // Real device certificates all share one CN; the UID as serialNumber keeps each emulated
  // chip's subject distinct so tools that index certificates by subject do not conflate them.
  const auto add = [name](const char* field, const std::string& value) {
    if (X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(value.data()),
                                   static_cast<int>(value.size()), -1, 0) != 1)
      openssl_failure("subject name");
  };
  add("CN", "Emulated OPTIGA Trust IoT Node");
  add("serialNumber", uid_hex);
}

Bytes make_device_certificate(ByteView uid, const GeneratedKey& key, SimCrypto& crypto) {
  // The factory runs once per emulated chip, so a short-lived private context is cheap and keeps
  // the CA material out of every other context.
  LibCtxPtr libctx(OSSL_LIB_CTX_new());
  if (!libctx) openssl_failure("OSSL_LIB_CTX_new");
  const X509Ptr ca = load_certificate(libctx.get(), ca_file("intermediate-cert.pem"));
  const PkeyPtr ca_key = load_private_key(libctx.get(), ca_file("intermediate-key.pem"));
  const PkeyPtr device_key = load_pkcs8(libctx.get(), key.private_der);

  X509Ptr cert(X509_new_ex(libctx.get(), nullptr));
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) openssl_failure("X509_new_ex");
  set_random_serial(cert.get(), crypto);
  set_subject(cert.get(), uid);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.get())) != 1) openssl_failure("issuer");
  if (X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0) == nullptr ||
      X509_time_adj_ex(X509_getm_notAfter(cert.get()), validity_days, 0, nullptr) == nullptr)
    openssl_failure("validity");
  // Only the public half goes into the certificate.
  if (X509_set_pubkey(cert.get(), device_key.get()) != 1) openssl_failure("public key");

  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca.get(), cert.get(), nullptr, nullptr, 0);
  add_extension(cert.get(), ctx, NID_key_usage, "critical,digitalSignature");
  add_extension(cert.get(), ctx, NID_basic_constraints, "critical,CA:FALSE");
  add_extension(cert.get(), ctx, NID_subject_key_identifier, "hash");
  add_extension(cert.get(), ctx, NID_authority_key_identifier, "keyid:always");

  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md || EVP_DigestSignInit_ex(md.get(), nullptr, "SHA384", libctx.get(), nullptr, ca_key.get(), nullptr) != 1 ||
      X509_sign_ctx(cert.get(), md.get()) <= 0)
    openssl_failure("signing the device certificate");

  const int len = i2d_X509(cert.get(), nullptr);
  if (len <= 0) openssl_failure("certificate encoding");
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* p = der.data();
  if (i2d_X509(cert.get(), &p) != len) openssl_failure("certificate encoding");
  if (der.size() > max_certificate_size) throw std::logic_error("device certificate exceeds the chip's 1300-byte limit");
  return der;
}

}  // namespace

FactoryIdentity make_factory_identity(chip::Model model, SimCrypto& crypto) {
  FactoryIdentity id;
  id.uid = make_uid(model, crypto);
  id.key = crypto.generate_ec(chip::Algorithm::nist_p256);
  id.certificate_object = chip::build_tls_identity({make_device_certificate(id.uid, id.key, crypto)});
  return id;
}

std::string emulator_ca_chain_pem() {
  std::string pem = ca_file("root-cert.pem");
  if (!pem.empty() && pem.back() != '\n') pem.push_back('\n');
  pem += ca_file("intermediate-cert.pem");
  return pem;
}

}  // namespace optiga::sim
