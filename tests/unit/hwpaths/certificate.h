// A certificate for a chip key, built with OpenSSL the way a CA would issue one (signed by a
// throw-away software CA key), and a SHA-256 digest helper.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string_view>

#include "core/util/bytes.h"
#include "core/util/openssl_ptr.h"

namespace optiga::testing {

inline Bytes certificate_for(const Bytes& spki, std::string_view common_name) {
  const unsigned char* p = spki.data();
  PkeyPtr subject(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  PkeyPtr ca(EVP_EC_gen("P-256"));
  X509Ptr x(X509_new());
  if (!subject || !ca || !x) return {};
  X509_set_version(x.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(x.get()), 42);
  const std::string cn(common_name);
  X509_NAME* name = X509_get_subject_name(x.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(x.get(), name);
  X509_gmtime_adj(X509_getm_notBefore(x.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(x.get()), 3600);
  X509_set_pubkey(x.get(), subject.get());
  if (X509_sign(x.get(), ca.get(), EVP_sha256()) <= 0) return {};
  const int len = i2d_X509(x.get(), nullptr);
  Bytes der(static_cast<std::size_t>(len));
  unsigned char* out = der.data();
  i2d_X509(x.get(), &out);
  return der;
}

// The SubjectPublicKeyInfo of a DER certificate (empty if it does not parse).
inline Bytes certificate_spki(const Bytes& der) {
  const unsigned char* p = der.data();
  X509Ptr x(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!x || p != der.data() + der.size()) return {};
  const int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x.get()), nullptr);
  Bytes spki(static_cast<std::size_t>(len));
  unsigned char* out = spki.data();
  i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x.get()), &out);
  return spki;
}

inline Bytes sha256(std::string_view text) {
  Bytes digest(32);
  unsigned int n = 0;
  EVP_Digest(text.data(), text.size(), digest.data(), &n, EVP_sha256(), nullptr);
  return digest;
}

}  // namespace optiga::testing
