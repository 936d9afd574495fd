#include "tools/optigactl/certs.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "core/device/spki.h"
#include "core/token/token.h"
#include "core/token/token_error.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"

namespace optiga::cli {

namespace {
std::unique_ptr<X509, X509Free> parse_der(ByteView der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) throw UsageError("not an X.509 certificate (" + std::to_string(der.size()) + " bytes)");
  return cert;
}

Bytes der_of(X509* cert) {
  const int len = i2d_X509(cert, nullptr);
  if (len <= 0) throw UsageError("cannot encode the certificate");
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d_X509(cert, &p);
  return out;
}
}  // namespace

SlotPair resolve_slot_pair(Context& ctx, const std::string& text) {
  const token::SlotRef slot = token::parse_slot(text, ctx.device().model());
  SlotPair pair;
  switch (slot.kind) {
    case token::SlotKind::ecc_key:
    case token::SlotKind::rsa_key: {
      const auto cert = token::paired_certificate_slot(slot.oid);
      if (!cert)
        throw token::TokenError(token::Refusal::wrong_slot_kind,
                                oid_text(slot.oid) + " is a key slot without a paired certificate slot");
      pair.certificate_slot = *cert;
      pair.key_slot = slot.oid;
      break;
    }
    case token::SlotKind::certificate:
      pair.certificate_slot = slot.oid;
      pair.key_slot = token::paired_key_slot(slot.oid);
      break;
    case token::SlotKind::trust_anchor:
      pair.certificate_slot = slot.oid;
      pair.trust_anchor = true;
      break;
  }
  return pair;
}

Bytes certificate_file_der(ByteView file) {
  static constexpr std::string_view pem_start = "-----BEGIN";
  const std::string_view text(reinterpret_cast<const char*>(file.data()), file.size());
  if (text.find(pem_start) == std::string_view::npos) return Bytes(file.begin(), file.end());
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(file.data(), static_cast<int>(file.size())));
  std::unique_ptr<X509, X509Free> cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!cert) throw token::TokenError(token::Refusal::not_a_certificate, "the PEM file holds no CERTIFICATE block");
  return der_of(cert.get());
}

bool is_certificate_der(ByteView der) {
  const unsigned char* p = der.data();
  std::unique_ptr<X509, X509Free> cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  return cert && p == der.data() + der.size();
}

std::string certificate_pem(ByteView der) {
  auto cert = parse_der(der);
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) throw UsageError("cannot encode the certificate as PEM");
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

bool certifies(ByteView certificate_der, const device::PublicKey& key) {
  auto cert = parse_der(certificate_der);
  const X509_PUBKEY* pub = X509_get_X509_PUBKEY(cert.get());
  const int len = pub ? i2d_X509_PUBKEY(pub, nullptr) : -1;
  if (len <= 0) return false;
  Bytes spki(static_cast<std::size_t>(len));
  unsigned char* p = spki.data();
  i2d_X509_PUBKEY(pub, &p);
  device::CryptoContext crypto;
  return device::subject_public_key_info(crypto, key) == spki;
}

nlohmann::json slot_json(std::optional<std::uint16_t> oid) { return oid ? nlohmann::json(oid_text(*oid)) : nlohmann::json(nullptr); }

}  // namespace optiga::cli
