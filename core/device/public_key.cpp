#include "core/device/public_key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/x509.h>

#include <array>

#include "core/chip/cert_format.h"
#include "core/chip/der.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"

namespace optiga::device {

namespace {

PkeyPtr load_point(const CryptoContext& ctx, chip::Algorithm curve, ByteView point) {
  PkeyPtr none(nullptr);
  const auto info = chip::curve_info(curve);
  if (!info || point.size() != info->point_bytes()) return none;
  std::string group(info->openssl_name);
  Bytes pub(point.begin(), point.end());
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pub.data(), pub.size()),
      OSSL_PARAM_construct_end()};
  // Fetched by OID, not by "EC": OpenSSL 3.0 maps "EC" to a legacy key type and, when the
  // application made an engine the default for EC (openssl -engine pkcs11, libp11 users), hands
  // the context to that engine, which cannot build keys from parameters. The OID name reaches
  // the provider implementation in our own library context directly.
  PkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(ctx.get(), "1.2.840.10045.2.1", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1 ||
      EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1)
    return none;
  // Importing the point (EC_POINT_oct2point) rejects points that are not on the curve. No
  // separate EVP_PKEY_public_check: under an engine-default EC it is not available.
  PkeyPtr key(raw);
  return key;
}

// Named curve and point straight from a SubjectPublicKeyInfo, by ASN.1 alone. Decoding the key
// into an EVP_PKEY is avoided on purpose: inside an application that registered an engine as
// its EC default (libp11's engine does), that decode yields a legacy key whose parameters
// cannot be read, and the slot would silently lose its public key.
std::optional<PublicKey> from_x509_pubkey(const X509_PUBKEY* spki, std::string source) {
  ASN1_OBJECT* algorithm = nullptr;
  const unsigned char* bits = nullptr;
  int bits_len = 0;
  X509_ALGOR* params = nullptr;
  if (!spki || X509_PUBKEY_get0_param(&algorithm, &bits, &bits_len, &params, spki) != 1 || !params) return std::nullopt;
  if (OBJ_obj2nid(algorithm) != NID_X9_62_id_ecPublicKey) return std::nullopt;
  const ASN1_OBJECT* curve_oid = nullptr;
  int type = 0;
  const void* value = nullptr;
  X509_ALGOR_get0(&curve_oid, &type, &value, params);
  if (type != V_ASN1_OBJECT || !value) return std::nullopt;  // explicit parameters: not a chip curve
  char dotted[80] = {};
  if (OBJ_obj2txt(dotted, sizeof dotted, static_cast<const ASN1_OBJECT*>(value), 1) <= 0) return std::nullopt;
  for (const chip::CurveInfo& c : chip::curves()) {
    if (c.oid_dotted != dotted) continue;
    if (bits_len != static_cast<int>(c.point_bytes()) || bits[0] != 0x04) return std::nullopt;
    Bytes content(1, 0x00);  // no unused bits
    content.insert(content.end(), bits, bits + bits_len);
    return PublicKey{c.algorithm, chip::der_encode(0x03, content), std::move(source), {}};
  }
  return std::nullopt;
}
}  // namespace

CryptoContext::CryptoContext() : ctx_(OSSL_LIB_CTX_new()) {
  if (!ctx_) throw Error("cannot create an OpenSSL library context");
}

ByteView point_of(ByteView bit_string) {
  try {
    const chip::DerElement e = chip::der_read(bit_string);
    if (e.tag != 0x03 || e.encoded_size != bit_string.size() || e.value.size() < 2 || e.value[0] != 0x00 ||
        e.value[1] != 0x04)
      throw UsageError("public key is not an uncompressed EC point in a BIT STRING");
    return e.value.subspan(1);
  } catch (const ParseError& e) {
    throw UsageError(std::string("public key: ") + e.what());
  }
}

std::optional<chip::Algorithm> detect_curve(const CryptoContext& ctx, ByteView bit_string) {
  const ByteView point = point_of(bit_string);
  for (const chip::CurveInfo& c : chip::curves())
    if (load_point(ctx, c.algorithm, point)) return c.algorithm;
  return std::nullopt;
}

bool is_point_on(const CryptoContext& ctx, chip::Algorithm curve, ByteView bit_string) {
  return static_cast<bool>(load_point(ctx, curve, point_of(bit_string)));
}

std::optional<PublicKey> parse_stored_public_key(const CryptoContext& ctx, ByteView stored) {
  if (stored.empty()) return std::nullopt;
  if (stored[0] == 0x03) {
    try {
      const chip::DerElement e = chip::der_read(stored);
      // Objects keep their old bytes past the used size after shorter writes; only the element counts.
      const ByteView bits = stored.first(e.encoded_size);
      if (auto curve = detect_curve(ctx, bits)) return PublicKey{*curve, Bytes(bits.begin(), bits.end()), {}, {}};
    } catch (const std::exception&) {
    }
    return std::nullopt;
  }
  if (stored[0] == 0x30) {
    const unsigned char* p = stored.data();
    X509PubkeyPtr spki(
        d2i_X509_PUBKEY(nullptr, &p, static_cast<long>(stored.size())));
    if (spki) return from_x509_pubkey(spki.get(), {});
  }
  return std::nullopt;
}

std::optional<PublicKey> public_key_from_certificate_object(const CryptoContext& ctx, ByteView object) {
  std::vector<Bytes> chain;
  try {
    chain = chip::parse_certificate_object(object);
  } catch (const ParseError&) {
    return std::nullopt;
  }
  if (chain.empty()) return std::nullopt;
  X509Ptr cert(X509_new_ex(ctx.get(), nullptr));
  if (!cert) return std::nullopt;
  X509* target = cert.get();
  const unsigned char* p = chain.front().data();
  if (!d2i_X509(&target, &p, static_cast<long>(chain.front().size()))) return std::nullopt;
  return from_x509_pubkey(X509_get_X509_PUBKEY(cert.get()), {});
}

bool verify_ecdsa(const CryptoContext& ctx, const PublicKey& key, ByteView digest, ByteView der_signature) {
  if (!key.loaded) {
    PkeyPtr pkey = load_point(ctx, key.curve, point_of(key.bit_string));
    if (!pkey) return false;
    key.loaded = std::shared_ptr<EVP_PKEY>(pkey.release(), EVP_PKEY_free);
  }
  PkeyCtxPtr vctx(EVP_PKEY_CTX_new_from_pkey(ctx.get(), key.loaded.get(), nullptr));
  return vctx && EVP_PKEY_verify_init(vctx.get()) == 1 &&
         EVP_PKEY_verify(vctx.get(), der_signature.data(), der_signature.size(), digest.data(), digest.size()) == 1;
}

}  // namespace optiga::device
