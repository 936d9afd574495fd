#include "hal/sim/engine_keys.h"

#include "core/util/openssl_ptr.h"
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "core/util/error.h"

namespace optiga::sim {

namespace {
}  // namespace

struct KeyInspector::Impl {
  LibCtxPtr ctx{OSSL_LIB_CTX_new()};
};

KeyInspector::KeyInspector() : impl_(std::make_unique<Impl>()) {
  if (!impl_->ctx) throw std::runtime_error("OSSL_LIB_CTX_new failed");
}
KeyInspector::~KeyInspector() = default;

Bytes KeyInspector::private_scalar(ByteView private_der, unsigned field_bytes) {
  const unsigned char* p = private_der.data();
  PkeyPtr key(
      d2i_AutoPrivateKey_ex(nullptr, &p, static_cast<long>(private_der.size()), impl_->ctx.get(), nullptr));
  if (!key) throw UsageError("unparsable private key");
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_PRIV_KEY, &raw) != 1)
    throw UsageError("private key has no scalar");
  BnPtr d(raw);
  Bytes out(field_bytes);
  if (BN_bn2binpad(d.get(), out.data(), static_cast<int>(out.size())) < 0)
    throw UsageError("private scalar larger than the field");
  return out;
}

std::optional<CertificateKey> KeyInspector::certificate_key(ByteView der) {
  const unsigned char* p = der.data();
  // Created in our library context; on a parse failure d2i frees it and clears `raw`.
  X509* raw = X509_new_ex(impl_->ctx.get(), nullptr);
  if (!raw) return std::nullopt;
  X509Ptr cert(d2i_X509(&raw, &p, static_cast<long>(der.size())));
  if (!cert || p != der.data() + der.size()) return std::nullopt;
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  CertificateKey out;
  if (!pub || EVP_PKEY_get_base_id(pub) != EVP_PKEY_EC) return out;
  char group[64] = {};
  std::size_t glen = 0;
  if (EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof group, &glen) != 1) return out;
  const auto curve = chip::curve_by_name(group);
  if (!curve) return out;
  std::size_t plen = 0;
  if (EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &plen) != 1) return out;
  Bytes point(plen);
  if (EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(), point.size(), &plen) != 1)
    return out;
  point.resize(plen);
  if (point.empty() || point[0] != 0x04) return out;  // the chip takes uncompressed points only
  out.algorithm = curve->algorithm;
  out.public_bitstring = bitstring_of(point);
  return out;
}

Bytes bitstring_of(ByteView point) {
  const std::size_t len = point.size() + 1;
  Bytes out{0x03};
  if (len < 0x80) {
    out.push_back(static_cast<std::uint8_t>(len));
  } else if (len <= 0xFF) {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(len));
  } else {
    out.push_back(0x82);
    put_u16(out, static_cast<std::uint16_t>(len));
  }
  out.push_back(0x00);
  append(out, point);
  return out;
}

}  // namespace optiga::sim
