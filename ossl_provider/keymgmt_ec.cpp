// KEYMGMT "EC": chip keys loaded by reference from the STORE or a reference file, public keys
// imported from other providers (peers, certificates), key generation into a named slot, and
// software keys for everyone else. OpenSSL 3.0 takes the EC key manager (EVP_PKEY_keygen,
// EVP_PKEY_fromdata, legacy EC_KEY keys, TLS groups and ECDHE) from the first-loaded provider and
// never falls back to another one for generation or fromdata, so when `optiga` is loaded before
// `default` every software EC key is made here: without a slot, generation and import delegate
// to the default implementation in our private library context (all parameters passed on), and
// every function below serves such a key from that implementation, private part included.
// A chip key exports only its public part: a request that includes the private key fails, which
// makes the core use this provider's own operations for chip keys.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <memory>
#include <vector>

#include <openssl/bn.h>

#include "core/chip/key_usage.h"
#include "core/token/key_encoding.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"
#include "core/util/yes_no.h"
#include "ossl_provider/algorithms.h"
#include "ossl_provider/key.h"

namespace optiga::provider {
namespace {

Key* as_key(void* keydata) { return static_cast<Key*>(keydata); }

void* km_new(void* provctx) {
  auto key = std::make_unique<Key>();
  key->ctx = static_cast<ProviderContext*>(provctx);
  return key.release();
}

void km_free(void* keydata) { delete as_key(keydata); }

void* km_load(const void* reference, std::size_t reference_sz) {
  if (reference == nullptr || reference_sz != sizeof(KeyReference)) return nullptr;
  KeyReference ref;
  std::memcpy(&ref, reference, sizeof(ref));
  if (ref.magic != KeyReference::expected_magic || ref.ctx == nullptr) return nullptr;
  auto key = load_chip_key(ref.ctx, ref.slot);
  if (!key) return nullptr;
  return new Key(std::move(*key));
}

int km_has(const void* keydata, int selection) {
  const auto* key = static_cast<const Key*>(keydata);
  if (key == nullptr) return 0;
  if (key->soft) {
    if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && !key->soft_private) return 0;
    if (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) {
      std::size_t len = 0;
      if (!EVP_PKEY_get_octet_string_param(key->soft.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0, &len) || len == 0)
        return 0;
    }
    return 1;
  }
  int ok = 1;
  if (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) ok = ok && key->has_public();
  if (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) ok = ok && key->has_private();
  if (selection & OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS) ok = ok && key->curve.has_value();
  return ok;
}

int km_match(const void* a, const void* b, int selection) {
  const auto* k1 = static_cast<const Key*>(a);
  const auto* k2 = static_cast<const Key*>(b);
  if (k1->soft && k2->soft) {
    if (selection & OSSL_KEYMGMT_SELECT_KEYPAIR) return EVP_PKEY_eq(k1->soft.get(), k2->soft.get()) == 1;
    return EVP_PKEY_parameters_eq(k1->soft.get(), k2->soft.get()) == 1;
  }
  if (k1->curve != k2->curve) return 0;
  if (selection & OSSL_KEYMGMT_SELECT_KEYPAIR) {
    // Two keys are the same key when their public points are; private parts never leave the chip.
    if (!k1->has_public() || !k2->has_public()) return 0;
    return k1->point() == k2->point();
  }
  return 1;
}

int put_public(const Key& key, OSSL_PARAM params[]) {
  const Bytes point = key.point();
  for (const char* name : {OSSL_PKEY_PARAM_PUB_KEY, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY}) {
    OSSL_PARAM* p = OSSL_PARAM_locate(params, name);
    if (p != nullptr && !OSSL_PARAM_set_octet_string(p, point.data(), point.size())) return 0;
  }
  return 1;
}

int km_get_params(void* keydata, OSSL_PARAM params[]) {
  const Key& key = *as_key(keydata);
  if (key.soft) return EVP_PKEY_get_params(key.soft.get(), params);
  if (!key.curve) return 1;
  const auto info = chip::curve_info(*key.curve);
  if (!info) return 0;
  OSSL_PARAM* p;
  if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_BITS)) != nullptr && !OSSL_PARAM_set_int(p, static_cast<int>(info->bits))) return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_SECURITY_BITS)) != nullptr &&
      !OSSL_PARAM_set_int(p, static_cast<int>(info->security_bits())))
    return 0;
  // The largest DER signature (ECDSA-Sig-Value) of the curve.
  if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_MAX_SIZE)) != nullptr &&
      !OSSL_PARAM_set_int(p, static_cast<int>(info->max_der_signature_bytes())))
    return 0;
  const std::string group = group_name(*key.curve);
  if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_GROUP_NAME)) != nullptr && !OSSL_PARAM_set_utf8_string(p, group.c_str()))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_DEFAULT_DIGEST)) != nullptr && !OSSL_PARAM_set_utf8_string(p, "SHA256"))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT)) != nullptr &&
      !OSSL_PARAM_set_utf8_string(p, "uncompressed"))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_PKEY_PARAM_EC_ENCODING)) != nullptr && !OSSL_PARAM_set_utf8_string(p, "named_curve"))
    return 0;
  if (key.has_public()) {
    if (!put_public(key, params)) return 0;
    const Bytes point = key.point();
    const std::size_t half = (point.size() - 1) / 2;
    for (auto [name, offset] : {std::pair{OSSL_PKEY_PARAM_EC_PUB_X, std::size_t{1}}, std::pair{OSSL_PKEY_PARAM_EC_PUB_Y, 1 + half}}) {
      if ((p = OSSL_PARAM_locate(params, name)) == nullptr) continue;
      BnPtr bn(BN_bin2bn(point.data() + offset, static_cast<int>(half), nullptr));
      if (!bn || !OSSL_PARAM_set_BN(p, bn.get())) return 0;
    }
  }
  return 1;
}

const OSSL_PARAM* km_gettable_params(void*) {
  static const OSSL_PARAM params[] = {
      OSSL_PARAM_int(OSSL_PKEY_PARAM_BITS, nullptr),
      OSSL_PARAM_int(OSSL_PKEY_PARAM_SECURITY_BITS, nullptr),
      OSSL_PARAM_int(OSSL_PKEY_PARAM_MAX_SIZE, nullptr),
      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, nullptr, 0),
      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_DEFAULT_DIGEST, nullptr, 0),
      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, nullptr, 0),
      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0),
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_PUB_X, nullptr, 0),
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_PUB_Y, nullptr, 0),
      // Software keys answer what the default implementation answers (EVP_PKEY-EC(7)).
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_PRIV_KEY, nullptr, 0),
      OSSL_PARAM_int(OSSL_PKEY_PARAM_USE_COFACTOR_ECDH, nullptr),
      OSSL_PARAM_int(OSSL_PKEY_PARAM_EC_INCLUDE_PUBLIC, nullptr),
      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_FIELD_TYPE, nullptr, 0),
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_P, nullptr, 0),
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_A, nullptr, 0),
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_B, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_EC_GENERATOR, nullptr, 0),
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_ORDER, nullptr, 0),
      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_COFACTOR, nullptr, 0),
      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_EC_SEED, nullptr, 0),
      OSSL_PARAM_int(OSSL_PKEY_PARAM_EC_DECODED_FROM_EXPLICIT_PARAMS, nullptr),
      OSSL_PARAM_END};
  return params;
}

// Sets the public key of an imported (public-only) key from an uncompressed point; a key pair's
// public key is fixed by its private key (the chip's, or the software key's).
int set_point(Key& key, const void* data, std::size_t size) {
  if (key.has_private()) return 0;
  return set_public_point(key, data, size) ? 1 : 0;
}

int km_set_params(void* keydata, const OSSL_PARAM params[]) {
  Key& key = *as_key(keydata);
  if (key.soft) {
    // libssl sets the peer's ECDHE share on a copy of our key's parameters.
    if (!EVP_PKEY_set_params(key.soft.get(), const_cast<OSSL_PARAM*>(params))) return 0;
    refresh_from_software(key);
    return 1;
  }
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY);
  if (p != nullptr) {
    const void* data = nullptr;
    std::size_t size = 0;
    if (!OSSL_PARAM_get_octet_string_ptr(p, &data, &size) || !set_point(key, data, size)) return 0;
  }
  return 1;
}

const OSSL_PARAM* km_settable_params(void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, nullptr, 0),
                                      // software keys (the default implementation's own)
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, nullptr, 0),
                                      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_EC_SEED, nullptr, 0),
                                      OSSL_PARAM_int(OSSL_PKEY_PARAM_EC_INCLUDE_PUBLIC, nullptr),
                                      OSSL_PARAM_int(OSSL_PKEY_PARAM_USE_COFACTOR_ECDH, nullptr),
                                      OSSL_PARAM_END};
  return params;
}

// The import of a key the chip could hold the public half of: a named chip curve, no private key,
// no explicit curve parameters. Anything else is a software key.
bool chip_public_import(int selection, const OSSL_PARAM params[]) {
  if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_PRIV_KEY) != nullptr)
    return false;
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_GROUP_NAME);
  const char* name = nullptr;
  if (p == nullptr || !OSSL_PARAM_get_utf8_string_ptr(p, &name) || !chip::curve_by_name(name)) return false;
  if (OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_EC_P) != nullptr) return false;
  if (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) {
    // Our public keys are uncompressed points; a compressed one is the default implementation's.
    p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_PUB_KEY);
    const void* data = nullptr;
    std::size_t size = 0;
    if (p == nullptr || !OSSL_PARAM_get_octet_string_ptr(p, &data, &size) || size == 0 ||
        static_cast<const std::uint8_t*>(data)[0] != 0x04)
      return false;
  }
  return true;
}

int km_import(void* keydata, int selection, const OSSL_PARAM params[]) {
  Key& key = *as_key(keydata);
  if (!chip_public_import(selection, params)) {
    // EVP_PKEY_fromdata of a private key, a legacy EC_KEY, another provider's key pair, a curve no
    // chip has: the default implementation holds it, exactly as if it were its own.
    PkeyCtxPtr fctx(EVP_PKEY_CTX_new_from_name(key.ctx->software(), "EC", nullptr));
    EVP_PKEY* raw = nullptr;
    const int fromdata_selection = selection | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS;
    if (!fctx || EVP_PKEY_fromdata_init(fctx.get()) <= 0 ||
        EVP_PKEY_fromdata(fctx.get(), &raw, fromdata_selection, const_cast<OSSL_PARAM*>(params)) <= 0)
      return 0;
    const bool has_private = (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) &&
                             OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_PRIV_KEY) != nullptr;
    ProviderContext* ctx = key.ctx;
    key = software_key_from(ctx, raw, has_private);
    return 1;
  }
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_GROUP_NAME);
  const char* name = nullptr;
  if (!OSSL_PARAM_get_utf8_string_ptr(p, &name)) return 0;
  key.curve = chip::curve_by_name(name)->algorithm;
  if (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) {
    p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_PUB_KEY);
    const void* data = nullptr;
    std::size_t size = 0;
    if (!OSSL_PARAM_get_octet_string_ptr(p, &data, &size) || !set_point(key, data, size)) return 0;
  }
  return 1;
}

const OSSL_PARAM* km_types(int) {
  // What EVP_PKEY-EC(7) keys carry; private keys are taken as software keys.
  static const OSSL_PARAM params[] = {OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_FIELD_TYPE, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_P, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_A, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_B, nullptr, 0),
                                      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_EC_GENERATOR, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_ORDER, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_COFACTOR, nullptr, 0),
                                      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_EC_SEED, nullptr, 0),
                                      OSSL_PARAM_int(OSSL_PKEY_PARAM_EC_INCLUDE_PUBLIC, nullptr),
                                      OSSL_PARAM_int(OSSL_PKEY_PARAM_USE_COFACTOR_ECDH, nullptr),
                                      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_PRIV_KEY, nullptr, 0),
                                      OSSL_PARAM_END};
  return params;
}

int km_export(void* keydata, int selection, OSSL_CALLBACK* param_cb, void* cbarg) {
  const Key& key = *as_key(keydata);
  // A software key pair is the default implementation's: let it export itself, private part included.
  if (key.soft) return EVP_PKEY_export(key.soft.get(), selection, param_cb, cbarg);
  // Never a chip key's private key: refusing (rather than leaving it out) keeps the core from
  // building a software copy without it and signing there.
  if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && key.has_private()) return 0;
  if (!key.curve) return 0;
  std::string group = group_name(*key.curve);
  Bytes point = key.point();
  OSSL_PARAM params[3];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0);
  if ((selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) && !point.empty())
    params[n++] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size());
  params[n] = OSSL_PARAM_construct_end();
  return param_cb(params, cbarg);
}

// EVP_PKEY_check and friends: a software key is checked by the default implementation; a chip
// or imported public key has a point on its curve (software_public_key validates it).
int km_validate(const void* keydata, int selection, int) {
  const Key& key = *static_cast<const Key*>(keydata);
  if (key.soft) {
    PkeyCtxPtr c(EVP_PKEY_CTX_new_from_pkey(key.ctx->software(), key.soft.get(), nullptr));
    if (!c) return 0;
    const bool priv = (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0;
    const bool pub = (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0;
    if (priv && pub) return EVP_PKEY_check(c.get()) == 1;
    if (priv) return EVP_PKEY_private_check(c.get()) == 1;
    if (pub) return EVP_PKEY_public_check(c.get()) == 1;
    return EVP_PKEY_param_check(c.get()) == 1;
  }
  if (!km_has(keydata, selection)) return 0;
  if (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) {
    PkeyPtr pub(software_public_key(key));
    return pub ? 1 : 0;
  }
  return 1;
}

const char* km_query_operation_name(int operation_id) {
  switch (operation_id) {
    case OSSL_OP_SIGNATURE: return "ECDSA";
    case OSSL_OP_KEYEXCH: return "ECDH";
    default: return nullptr;
  }
}

// provider-keymgmt(7): dup copies only what `selection` names. libssl's TLS 1.3 client copies the
// *parameters* of its ephemeral key into a new key and then sets the server's point on it
// (EVP_PKEY_copy_parameters + EVP_PKEY_set1_encoded_public_key): a full copy would carry our
// private half along, and the point would be refused ("bad ecpoint").
void* km_dup(const void* keydata, int selection) {
  const Key& from = *static_cast<const Key*>(keydata);
  if (from.soft) {
    // The default implementation's copy of the selected part, in a key of its own.
    const bool with_private = (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && from.soft_private;
    EVP_PKEY* copy = with_private ? EVP_PKEY_dup(from.soft.get()) : software_subset(from.ctx, from.soft.get(), selection);
    if (copy == nullptr) return nullptr;
    return new Key(software_key_from(from.ctx, copy, with_private));
  }
  auto key = std::make_unique<Key>();
  key->ctx = from.ctx;
  if (selection & OSSL_KEYMGMT_SELECT_ALL_PARAMETERS) key->curve = from.curve;
  if (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) {
    // A chip key pair's halves go together: the slot and its public point.
    key->curve = from.curve;
    key->slot = from.slot;
    key->public_point = from.public_point;
  } else if (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) {
    key->curve = from.curve;
    key->public_point = from.public_point;
  }
  return key.release();
}

// ---- Key generation: genpkey -provider optiga -algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:0xE0F2
// Without a slot: the default implementation generates, with every parameter the caller set.

using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpensslFree<OSSL_PARAM_free>>;

struct GenContext {
  ProviderContext* ctx = nullptr;
  std::optional<std::string> group;  // as given (a software key may be on any curve)
  std::string slot;
  std::optional<std::uint8_t> usage;  // none named: the token's default
  bool replace = false;
  int selection = 0;
  std::vector<ParamsPtr> software_params;  // every gen_set_params call, for a software key
  std::shared_ptr<EVP_PKEY> template_soft;  // the template, when it is a software key
};

int gen_set_params(void* genctx, const OSSL_PARAM params[]) {
  auto* gc = static_cast<GenContext*>(genctx);
  if (params == nullptr) return 1;
  const char* s = nullptr;
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_PKEY_PARAM_GROUP_NAME);
  if (p != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    gc->group = s;
  }
  for (const char* name : {"optiga-slot", "slot"}) {
    if ((p = OSSL_PARAM_locate_const(params, name)) != nullptr) {
      if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
      gc->slot = s;
    }
  }
  if ((p = OSSL_PARAM_locate_const(params, "optiga-usage")) != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    try {
      gc->usage = chip::parse_key_usage(s);
    } catch (const optiga::UsageError& e) {
      OPTIGA_RAISE(gc->ctx, reason_usage, e.what());
      return 0;
    }
  }
  if ((p = OSSL_PARAM_locate_const(params, "optiga-replace")) != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    try {
      gc->replace = parse_yes_no(s, "optiga-replace");
    } catch (const optiga::UsageError& e) {
      OPTIGA_RAISE(gc->ctx, reason_usage, e.what());
      return 0;
    }
  }
  // Kept whole for a software key: the default implementation ignores our optiga-* names.
  ParamsPtr copy(OSSL_PARAM_dup(params));
  if (!copy) return 0;
  gc->software_params.push_back(std::move(copy));
  return 1;
}

const OSSL_PARAM* gen_settable_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, nullptr, 0),
                                      OSSL_PARAM_utf8_string("optiga-slot", nullptr, 0),
                                      OSSL_PARAM_utf8_string("slot", nullptr, 0),
                                      OSSL_PARAM_utf8_string("optiga-usage", nullptr, 0),
                                      OSSL_PARAM_utf8_string("optiga-replace", nullptr, 0),
                                      // the default implementation's, for software keys (EVP_PKEY-EC(7))
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_ENCODING, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, nullptr, 0),
                                      OSSL_PARAM_int(OSSL_PKEY_PARAM_USE_COFACTOR_ECDH, nullptr),
                                      OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_EC_FIELD_TYPE, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_P, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_A, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_B, nullptr, 0),
                                      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_EC_GENERATOR, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_ORDER, nullptr, 0),
                                      OSSL_PARAM_BN(OSSL_PKEY_PARAM_EC_COFACTOR, nullptr, 0),
                                      OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_EC_SEED, nullptr, 0),
                                      OSSL_PARAM_END};
  return params;
}

void* gen_init(void* provctx, int selection, const OSSL_PARAM params[]) {
  // Key pairs, and domain parameters alone (libssl builds a peer's ECDHE key from parameters).
  if ((selection & (OSSL_KEYMGMT_SELECT_KEYPAIR | OSSL_KEYMGMT_SELECT_DOMAIN_PARAMETERS)) == 0) return nullptr;
  auto gc = std::make_unique<GenContext>();
  gc->ctx = static_cast<ProviderContext*>(provctx);
  gc->selection = selection;
  if (!gen_set_params(gc.get(), params)) return nullptr;
  return gc.release();
}

// libssl generates ECDHE keys "like" a parameters key, ecparam -genkey like its parameters: the
// curve (for a software key, all of its parameters) comes from the template.
int gen_set_template(void* genctx, void* templ) {
  auto* gc = static_cast<GenContext*>(genctx);
  const Key* key = as_key(templ);
  if (key == nullptr) return 0;
  if (key->soft) {
    gc->template_soft = key->soft;
    return 1;
  }
  if (!key->curve) return 0;
  gc->group = group_name(*key->curve);
  return 1;
}

void* gen_software(GenContext& gc) {
  const bool pair = (gc.selection & OSSL_KEYMGMT_SELECT_KEYPAIR) != 0;
  PkeyCtxPtr sctx(gc.template_soft ? EVP_PKEY_CTX_new_from_pkey(gc.ctx->software(), gc.template_soft.get(), nullptr)
                                   : EVP_PKEY_CTX_new_from_name(gc.ctx->software(), "EC", nullptr));
  if (!sctx || (pair ? EVP_PKEY_keygen_init(sctx.get()) : EVP_PKEY_paramgen_init(sctx.get())) <= 0) return nullptr;
  if (gc.group && !gc.template_soft) {
    OSSL_PARAM group[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, gc.group->data(), 0),
                          OSSL_PARAM_construct_end()};
    if (!EVP_PKEY_CTX_set_params(sctx.get(), group)) return nullptr;
  }
  for (const ParamsPtr& params : gc.software_params)
    if (!EVP_PKEY_CTX_set_params(sctx.get(), params.get())) return nullptr;
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_generate(sctx.get(), &raw) <= 0) return nullptr;  // the default implementation said why
  return new Key(software_key_from(gc.ctx, raw, pair));
}

void* gen(void* genctx, OSSL_CALLBACK*, void*) {
  auto* gc = static_cast<GenContext*>(genctx);
  // Not for the chip: software keys (TLS ephemeral keys; genpkey, req and ecparam with `optiga`
  // loaded first), made and later written exactly as the default provider would.
  if (gc->slot.empty()) {
    // `genpkey -provider optiga` alone without a slot: the user meant the chip.
    if ((gc->selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && !gc->ctx->application_has_other_ec()) {
      OPTIGA_RAISE(gc->ctx, reason_usage,
                   "key generation in the chip needs the slot: add -pkeyopt optiga-slot:0xE0F1 (0xE0F1..0xE0F3); "
                   "software keys come from the default provider");
      return nullptr;
    }
    return gen_software(*gc);
  }
  const auto info = gc->group ? chip::curve_by_name(gc->group->c_str()) : chip::curve_info(chip::Algorithm::nist_p256);
  if (!info) {
    OPTIGA_RAISE(gc->ctx, reason_not_supported,
                 "curve '" + *gc->group + "' is not a chip curve: P-256, P-384, P-521, brainpoolP256r1/384r1/512r1");
    return nullptr;
  }
  const chip::Algorithm curve = info->algorithm;
  std::optional<token::KeyObject> generated;
  std::uint16_t oid = 0;
  if (!gc->ctx->with_token("generate a key in " + gc->slot, [&](token::Token& t) {
        oid = t.parse_slot(gc->slot).oid;
        generated = t.generate_key(oid, curve, gc->usage, gc->replace);
      }))
    return nullptr;
  auto key = std::make_unique<Key>();
  key->ctx = gc->ctx;
  key->slot = oid;
  key->curve = generated->curve;
  key->public_point = token::uncompressed_point(generated->public_key);
  return key.release();
}

void gen_cleanup(void* genctx) { delete static_cast<GenContext*>(genctx); }

}  // namespace

const OSSL_DISPATCH keymgmt_ec_functions[] = {
    {OSSL_FUNC_KEYMGMT_NEW, reinterpret_cast<void (*)()>(km_new)},
    {OSSL_FUNC_KEYMGMT_FREE, reinterpret_cast<void (*)()>(km_free)},
    {OSSL_FUNC_KEYMGMT_LOAD, reinterpret_cast<void (*)()>(km_load)},
    {OSSL_FUNC_KEYMGMT_DUP, reinterpret_cast<void (*)()>(km_dup)},
    {OSSL_FUNC_KEYMGMT_HAS, reinterpret_cast<void (*)()>(km_has)},
    {OSSL_FUNC_KEYMGMT_MATCH, reinterpret_cast<void (*)()>(km_match)},
    {OSSL_FUNC_KEYMGMT_VALIDATE, reinterpret_cast<void (*)()>(km_validate)},
    {OSSL_FUNC_KEYMGMT_GET_PARAMS, reinterpret_cast<void (*)()>(km_get_params)},
    {OSSL_FUNC_KEYMGMT_GETTABLE_PARAMS, reinterpret_cast<void (*)()>(km_gettable_params)},
    {OSSL_FUNC_KEYMGMT_SET_PARAMS, reinterpret_cast<void (*)()>(km_set_params)},
    {OSSL_FUNC_KEYMGMT_SETTABLE_PARAMS, reinterpret_cast<void (*)()>(km_settable_params)},
    {OSSL_FUNC_KEYMGMT_IMPORT, reinterpret_cast<void (*)()>(km_import)},
    {OSSL_FUNC_KEYMGMT_IMPORT_TYPES, reinterpret_cast<void (*)()>(km_types)},
    {OSSL_FUNC_KEYMGMT_EXPORT, reinterpret_cast<void (*)()>(km_export)},
    {OSSL_FUNC_KEYMGMT_EXPORT_TYPES, reinterpret_cast<void (*)()>(km_types)},
    {OSSL_FUNC_KEYMGMT_QUERY_OPERATION_NAME, reinterpret_cast<void (*)()>(km_query_operation_name)},
    {OSSL_FUNC_KEYMGMT_GEN_INIT, reinterpret_cast<void (*)()>(gen_init)},
    {OSSL_FUNC_KEYMGMT_GEN_SET_PARAMS, reinterpret_cast<void (*)()>(gen_set_params)},
    {OSSL_FUNC_KEYMGMT_GEN_SET_TEMPLATE, reinterpret_cast<void (*)()>(gen_set_template)},
    {OSSL_FUNC_KEYMGMT_GEN_SETTABLE_PARAMS, reinterpret_cast<void (*)()>(gen_settable_params)},
    {OSSL_FUNC_KEYMGMT_GEN, reinterpret_cast<void (*)()>(gen)},
    {OSSL_FUNC_KEYMGMT_GEN_CLEANUP, reinterpret_cast<void (*)()>(gen_cleanup)},
    {0, nullptr}};

}  // namespace optiga::provider
