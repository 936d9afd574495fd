#include "hal/sim/sim_crypto.h"

#include "core/util/openssl_error.h"
#include "core/util/openssl_ptr.h"
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <map>
#include <string>

#include "core/chip/der.h"

namespace optiga::sim {

namespace {

// By OID rather than "EC": the emulator may run inside an application whose default EC
// implementation is an engine (see core/device/public_key.cpp); the OID reaches our provider.
constexpr const char* ec_keytype = "1.2.840.10045.2.1";


[[noreturn]] void openssl_failure(const char* what) { throw_openssl_failure(std::string("emulator crypto: ") + what); }

chip::CurveInfo curve_or_throw(chip::Algorithm alg) {
  auto curve = chip::curve_info(alg);
  if (!curve) throw UsageError("algorithm is not an ECC curve");
  return *curve;
}

Bytes encoded_point(const EVP_PKEY* key) {
  std::size_t len = 0;
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) != 1)
    openssl_failure("public key size");
  Bytes point(len);
  if (EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point.data(), point.size(), &len) != 1)
    openssl_failure("public key");
  point.resize(len);
  return point;
}

// `03 len 00 04 X Y`: the chip's public key encoding (spec §5.5).
Bytes bitstring_from_point(ByteView point) {
  Bytes content{0x00};
  append(content, point);
  return chip::der_encode(0x03, content);
}

// Unwraps a BIT STRING public key to its uncompressed point, checking it has the curve's size so
// that a P-384 key cannot be fed into a P-256 operation.
Bytes point_from_bitstring(ByteView bitstring, const chip::CurveInfo& curve) {
  chip::DerElement e;
  try {
    e = chip::der_read(bitstring, 0);
  } catch (const ParseError& bad) {
    throw UsageError(std::string("public key: ") + bad.what());
  }
  if (e.tag != 0x03 || e.encoded_size != bitstring.size()) throw UsageError("public key is not a BIT STRING");
  const ByteView v = e.value;
  if (v.size() != 1 + curve.point_bytes() || v[0] != 0x00 || v[1] != 0x04)
    throw UsageError("public key is not an uncompressed point of the curve");
  return Bytes(v.begin() + 1, v.end());
}

std::string group_name(const EVP_PKEY* key) {
  char name[64] = {};
  std::size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof name, &len) != 1)
    throw UsageError("private key is not an EC key on a named curve");
  return std::string(name, len);
}

}  // namespace

struct SimCrypto::Impl {
  LibCtxPtr libctx;
  // Decoded private keys by their DER: decoding PKCS#8 costs more than the signature itself, and
  // a chip uses the same few keys over and over. Bounded, since keys are replaced by GenKeyPair.
  std::map<Bytes, PkeyPtr> private_keys;

  EVP_PKEY* cached_private(ByteView der) {
    Bytes key(der.begin(), der.end());
    auto it = private_keys.find(key);
    if (it != private_keys.end()) return it->second.get();
    if (private_keys.size() >= 32) private_keys.clear();
    return private_keys.emplace(std::move(key), decode_private(der)).first->second.get();
  }

  PkeyPtr decode_private(ByteView der) const {
    EVP_PKEY* raw = nullptr;
    DecoderCtxPtr dctx(OSSL_DECODER_CTX_new_for_pkey(
        &raw, "DER", "PrivateKeyInfo", "EC", EVP_PKEY_KEYPAIR, libctx.get(), nullptr));
    if (!dctx) openssl_failure("decoder");
    const unsigned char* data = der.data();
    std::size_t len = der.size();
    if (OSSL_DECODER_from_data(dctx.get(), &data, &len) != 1 || raw == nullptr || len != 0) {
      EVP_PKEY_free(raw);
      ERR_clear_error();
      throw UsageError("private key is not a PKCS#8 EC key");
    }
    return PkeyPtr(raw);
  }

  PkeyPtr public_key(const chip::CurveInfo& curve, ByteView bitstring) const {
    Bytes point = point_from_bitstring(bitstring, curve);
    std::string group(curve.openssl_name);
    OSSL_PARAM params[] = {  // non-const: EVP_PKEY_fromdata takes a mutable array
        OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
        OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
        OSSL_PARAM_construct_end(),
    };
    PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(libctx.get(), ec_keytype, nullptr));
    EVP_PKEY* raw = nullptr;
    if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
        EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params) != 1) {
      ERR_clear_error();
      throw UsageError("public key is not a point on the curve");
    }
    PkeyPtr key(raw);
    // fromdata only decodes the point; the full check keeps ECDH from ever running on an
    // attacker-chosen invalid point.
    if (!valid_point(curve, point)) throw UsageError("public key is not a valid point on the curve");
    return key;
  }

  // On the curve and not infinity; every curve the chip knows has cofactor 1, so that also puts
  // the point in the prime-order subgroup. Done with EC_POINT arithmetic rather than
  // EVP_PKEY_public_check: an application that made an ENGINE the default for EC (`openssl
  // -engine pkcs11`) gets that engine's EVP_PKEY method for every EVP_PKEY_CTX, even in our private
  // library context, and libp11's has no key check.
  bool valid_point(const chip::CurveInfo& curve, ByteView point) const {
    const int nid = OBJ_sn2nid(std::string(curve.openssl_name).c_str());
    EcGroupPtr group(EC_GROUP_new_by_curve_name_ex(libctx.get(), nullptr, nid));
    if (!group) openssl_failure("EC_GROUP_new_by_curve_name_ex");
    EcPointPtr p(EC_POINT_new(group.get()));
    const bool ok = p && EC_POINT_oct2point(group.get(), p.get(), point.data(), point.size(), nullptr) == 1 &&
                    EC_POINT_is_at_infinity(group.get(), p.get()) == 0 &&
                    EC_POINT_is_on_curve(group.get(), p.get(), nullptr) == 1;
    ERR_clear_error();
    return ok;
  }

  chip::CurveInfo curve_of(const EVP_PKEY* key) const {
    auto curve = chip::curve_by_name(group_name(key));
    if (!curve) throw UsageError("private key is on a curve the chip does not know");
    return *curve;
  }
};

SimCrypto::SimCrypto() : impl_(std::make_unique<Impl>()) {
  impl_->libctx.reset(OSSL_LIB_CTX_new());
  if (!impl_->libctx) openssl_failure("OSSL_LIB_CTX_new");
}

SimCrypto::~SimCrypto() = default;

GeneratedKey SimCrypto::generate_ec(chip::Algorithm alg) {
  const chip::CurveInfo curve = curve_or_throw(alg);
  std::string group(curve.openssl_name);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(impl_->libctx.get(), ec_keytype, nullptr));
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_end(),
  };
  EVP_PKEY* raw = nullptr;
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_params(ctx.get(), params) != 1 ||
      EVP_PKEY_generate(ctx.get(), &raw) != 1)
    openssl_failure("EC key generation");
  PkeyPtr key(raw);

  EncoderCtxPtr ectx(
      OSSL_ENCODER_CTX_new_for_pkey(key.get(), EVP_PKEY_KEYPAIR, "DER", "PrivateKeyInfo", nullptr));
  unsigned char* der = nullptr;
  std::size_t der_len = 0;
  if (!ectx || OSSL_ENCODER_to_data(ectx.get(), &der, &der_len) != 1) openssl_failure("PKCS#8 encoding");
  GeneratedKey out;
  out.private_der.assign(der, der + der_len);
  OPENSSL_clear_free(der, der_len);
  out.public_bitstring = bitstring_from_point(encoded_point(key.get()));
  return out;
}

Bytes SimCrypto::public_from_private(ByteView private_der) {
  return bitstring_from_point(encoded_point(impl_->cached_private(private_der)));
}

Bytes SimCrypto::sign_ecdsa(ByteView private_der, ByteView digest, bool non_minimal) {
  if (digest.empty()) throw UsageError("nothing to sign: empty digest");
  EVP_PKEY* key = impl_->cached_private(private_der);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(impl_->libctx.get(), key, nullptr));
  std::size_t len = 0;
  if (!ctx || EVP_PKEY_sign_init(ctx.get()) != 1 || EVP_PKEY_sign(ctx.get(), nullptr, &len, digest.data(), digest.size()) != 1)
    openssl_failure("ECDSA sign init");
  Bytes der(len);
  if (EVP_PKEY_sign(ctx.get(), der.data(), &len, digest.data(), digest.size()) != 1) openssl_failure("ECDSA sign");
  der.resize(len);

  const chip::EcdsaSignature sig = chip::ecdsa_parse_chip(chip::ecdsa_der_to_chip(der));
  Bytes out;
  for (const Bytes* n : {&sig.r, &sig.s}) {
    // Minimal DER pads only when the top bit is set; the quirk adds a zero byte when it is not.
    if (non_minimal && !n->empty() && (n->front() & 0x80) == 0) {
      Bytes padded{0x00};
      append(padded, *n);
      append(out, chip::der_encode(0x02, padded));
    } else {
      append(out, chip::der_unsigned_integer(*n));
    }
  }
  return out;
}

bool SimCrypto::verify_ecdsa(chip::Algorithm alg, ByteView public_bitstring, ByteView digest, ByteView signature) {
  const PkeyPtr key = impl_->public_key(curve_or_throw(alg), public_bitstring);
  Bytes der;
  try {
    der = chip::ecdsa_chip_to_der(signature);
  } catch (const ParseError&) {
    return false;  // a garbled signature is a failed verification, not a usage error
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(impl_->libctx.get(), key.get(), nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1) openssl_failure("ECDSA verify init");
  const int rc = EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(), digest.size());
  ERR_clear_error();
  return rc == 1;
}

Bytes SimCrypto::ecdh(ByteView private_der, chip::Algorithm alg, ByteView peer_public_bitstring) {
  const chip::CurveInfo curve = curve_or_throw(alg);
  EVP_PKEY* key = impl_->cached_private(private_der);
  if (impl_->curve_of(key).algorithm != alg) throw UsageError("private key is on another curve");
  const PkeyPtr peer = impl_->public_key(curve, peer_public_bitstring);

  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(impl_->libctx.get(), key, nullptr));
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1)
    openssl_failure("ECDH init");
  std::size_t len = 0;
  if (EVP_PKEY_derive(ctx.get(), nullptr, &len) != 1) openssl_failure("ECDH size");
  Bytes secret(len);
  if (EVP_PKEY_derive(ctx.get(), secret.data(), &len) != 1) openssl_failure("ECDH");
  secret.resize(len);
  if (secret.size() != curve.field_bytes) openssl_failure("ECDH secret has an unexpected size");
  return secret;
}

Bytes SimCrypto::random(std::size_t n) {
  Bytes out(n);
  if (n != 0 && RAND_bytes_ex(impl_->libctx.get(), out.data(), n, 0) != 1) openssl_failure("RAND_bytes_ex");
  return out;
}

}  // namespace optiga::sim
