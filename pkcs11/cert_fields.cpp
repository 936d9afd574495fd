#include "pkcs11/cert_fields.h"

#include <openssl/crypto.h>
#include <openssl/x509.h>

#include <memory>

#include "core/util/openssl_ptr.h"

namespace optiga::pkcs11 {
namespace {

template <typename T, int (*Encode)(const T*, unsigned char**)>
Bytes encode(const T* value) {
  unsigned char* buf = nullptr;
  const int len = Encode(value, &buf);
  if (len <= 0) return {};
  Bytes out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

int encode_name(const X509_NAME* n, unsigned char** out) { return i2d_X509_NAME(n, out); }
int encode_integer(const ASN1_INTEGER* n, unsigned char** out) { return i2d_ASN1_INTEGER(n, out); }
int encode_pubkey(const X509_PUBKEY* k, unsigned char** out) { return i2d_X509_PUBKEY(k, out); }

}  // namespace

std::optional<CertFields> cert_fields(const device::CryptoContext& ctx, ByteView der) {
  X509Ptr cert(X509_new_ex(ctx.get(), nullptr));
  if (!cert || der.empty()) return std::nullopt;
  X509* raw = cert.get();
  const unsigned char* p = der.data();
  if (d2i_X509(&raw, &p, static_cast<long>(der.size())) == nullptr) return std::nullopt;
  if (p != der.data() + der.size()) return std::nullopt;
  CertFields f;
  f.subject = encode<X509_NAME, encode_name>(X509_get_subject_name(raw));
  f.issuer = encode<X509_NAME, encode_name>(X509_get_issuer_name(raw));
  f.serial = encode<ASN1_INTEGER, encode_integer>(X509_get0_serialNumber(raw));
  f.spki = encode<X509_PUBKEY, encode_pubkey>(X509_get_X509_PUBKEY(raw));
  return f;
}

}  // namespace optiga::pkcs11
