// KEYEXCH "ECDH": the shared secret of a chip key and a peer's public key, computed in the chip;
// for a software key pair of our key manager (TLS ECDHE ephemeral keys when this provider is
// loaded first) the default implementation of our private library context computes it.
// The parameters of EVP_KEYEXCH-ECDH(7) are honoured: "kdf-type" X963KDF (with "kdf-digest",
// "kdf-digest-props", "kdf-outlen", "kdf-ukm") runs ANSI X9.63 over the shared secret with the
// X963KDF of the software library context; "ecdh-cofactor-mode" is accepted (every chip curve has
// cofactor 1, so both modes give the same secret).
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include <cstring>
#include <memory>

#include "core/token/key_encoding.h"
#include "ossl_provider/algorithms.h"
#include "ossl_provider/key.h"

#include "core/util/openssl_ptr.h"

namespace optiga::provider {
namespace {

using KdfPtr = std::unique_ptr<EVP_KDF, OpensslFree<EVP_KDF_free>>;
using KdfCtxPtr = std::unique_ptr<EVP_KDF_CTX, OpensslFree<EVP_KDF_CTX_free>>;

struct ExchangeContext {
  ProviderContext* ctx = nullptr;
  std::optional<Key> key;
  std::optional<Key> peer;
  int cofactor_mode = -1;  // -1: the key's own (cofactor 1 on every chip curve)
  bool x963 = false;       // kdf-type "X963KDF"; otherwise the raw shared secret (kdf-type "")
  std::string kdf_digest;
  std::string kdf_digest_props;
  std::size_t kdf_outlen = 0;
  Bytes kdf_ukm;
};

void* ex_newctx(void* provctx) {
  auto ec = std::make_unique<ExchangeContext>();
  ec->ctx = static_cast<ProviderContext*>(provctx);
  return ec.release();
}

void ex_freectx(void* ctx) { delete static_cast<ExchangeContext*>(ctx); }
void* ex_dupctx(void* ctx) { return new ExchangeContext(*static_cast<const ExchangeContext*>(ctx)); }

int ex_init(void* ctx, void* keydata, const OSSL_PARAM[]) {
  auto* ec = static_cast<ExchangeContext*>(ctx);
  const Key& key = *static_cast<const Key*>(keydata);
  if (!key.has_private()) {
    OPTIGA_RAISE(ec->ctx, reason_no_private_key, "ECDH with a " + key.name() + ": its private key is not in the chip");
    return 0;
  }
  ec->key = key;
  return 1;
}

int ex_set_peer(void* ctx, void* peerdata) {
  auto* ec = static_cast<ExchangeContext*>(ctx);
  const Key& peer = *static_cast<const Key*>(peerdata);
  if (!peer.has_public() || peer.curve != ec->key->curve) {
    OPTIGA_RAISE(ec->ctx, reason_usage, "ECDH with " + ec->key->name() + ": the peer key is not on the key's curve (" +
                                            (ec->key->curve ? group_name(*ec->key->curve) : std::string("none")) + ")");
    return 0;
  }
  ec->peer = peer;
  return 1;
}


int derive_in_software(ExchangeContext& ec, unsigned char* secret, std::size_t* secretlen, std::size_t outlen) {
  PkeyPtr own(software_key(*ec.key));
  PkeyPtr peer(software_key(*ec.peer));
  if (!own || !peer) return 0;
  PkeyCtxPtr dctx(EVP_PKEY_CTX_new_from_pkey(ec.ctx->software(), own.get(), nullptr));
  std::size_t len = outlen;
  if (!dctx || EVP_PKEY_derive_init(dctx.get()) <= 0 || EVP_PKEY_derive_set_peer(dctx.get(), peer.get()) <= 0 ||
      EVP_PKEY_derive(dctx.get(), secret, &len) <= 0) {
    OPTIGA_RAISE(ec.ctx, reason_internal, "ECDH with a software key failed");
    return 0;
  }
  *secretlen = len;
  return 1;
}

// The raw shared secret (the x coordinate, field size), from the chip or the software key.
int derive_raw(ExchangeContext* ec, unsigned char* secret, std::size_t* secretlen, std::size_t outlen) {
  const Key& key = *ec->key;
  if (!ec->peer) {
    OPTIGA_RAISE(ec->ctx, reason_usage, "ECDH with " + key.name() + ": no peer key set");
    return 0;
  }
  if (!key.in_chip()) return derive_in_software(*ec, secret, secretlen, outlen);
  Bytes shared;
  if (!ec->ctx->with_token("ECDH with slot " + slot_text(*key.slot),
                           [&](token::Token& t) { shared = t.derive(*key.slot, token::parse_peer_key(ec->peer->point(), *key.curve)); }))
    return 0;
  if (shared.size() > outlen) {
    OPTIGA_RAISE(ec->ctx, reason_internal, "ECDH output buffer too small");
    return 0;
  }
  std::memcpy(secret, shared.data(), shared.size());
  *secretlen = shared.size();
  return 1;
}

// ANSI X9.63 KDF over the shared secret Z: kdf_outlen bytes of Hash(Z || counter || ukm)...
int x963_kdf(ExchangeContext& ec, const Bytes& z, unsigned char* out) {
  KdfPtr kdf(EVP_KDF_fetch(ec.ctx->software(), "X963KDF", nullptr));
  KdfCtxPtr kctx(kdf ? EVP_KDF_CTX_new(kdf.get()) : nullptr);
  OSSL_PARAM params[5];
  std::size_t n = 0;
  params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, ec.kdf_digest.data(), 0);
  if (!ec.kdf_digest_props.empty())
    params[n++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_PROPERTIES, ec.kdf_digest_props.data(), 0);
  params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, const_cast<std::uint8_t*>(z.data()), z.size());
  if (!ec.kdf_ukm.empty()) params[n++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, ec.kdf_ukm.data(), ec.kdf_ukm.size());
  params[n] = OSSL_PARAM_construct_end();
  if (!kctx || EVP_KDF_derive(kctx.get(), out, ec.kdf_outlen, params) <= 0) {
    OPTIGA_RAISE(ec.ctx, reason_usage, "ECDH with " + ec.key->name() + ": X9.63 KDF with digest '" + ec.kdf_digest + "' failed");
    return 0;
  }
  return 1;
}

int ex_derive(void* ctx, unsigned char* secret, std::size_t* secretlen, std::size_t outlen) {
  auto* ec = static_cast<ExchangeContext*>(ctx);
  const Key& key = *ec->key;
  if (ec->x963) {
    // As the default implementation: the KDF needs a digest and an output length.
    if (ec->kdf_digest.empty() || ec->kdf_outlen == 0) {
      OPTIGA_RAISE(ec->ctx, reason_usage, "ECDH with X963KDF needs kdf-digest and a non-zero kdf-outlen");
      return 0;
    }
    if (secret == nullptr) {
      *secretlen = ec->kdf_outlen;
      return 1;
    }
    if (outlen < ec->kdf_outlen) {
      OPTIGA_RAISE(ec->ctx, reason_usage, "ECDH output buffer smaller than kdf-outlen");
      return 0;
    }
    Bytes z(key.field_bytes());
    std::size_t zlen = 0;
    const int ok = derive_raw(ec, z.data(), &zlen, z.size()) && x963_kdf(*ec, Bytes(z.begin(), z.begin() + zlen), secret);
    OPENSSL_cleanse(z.data(), z.size());
    if (!ok) return 0;
    *secretlen = ec->kdf_outlen;
    return 1;
  }
  if (secret == nullptr) {
    *secretlen = key.field_bytes();
    return 1;
  }
  return derive_raw(ec, secret, secretlen, outlen);
}

int ex_set_ctx_params(void* ctx, const OSSL_PARAM params[]) {
  auto* ec = static_cast<ExchangeContext*>(ctx);
  const OSSL_PARAM* p;
  if ((p = OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_EC_ECDH_COFACTOR_MODE)) != nullptr) {
    int mode = 0;
    if (!OSSL_PARAM_get_int(p, &mode) || mode < -1 || mode > 1) return 0;
    ec->cofactor_mode = mode;
  }
  const char* s = nullptr;
  if ((p = OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_KDF_TYPE)) != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    if (*s == '\0') {
      ec->x963 = false;
    } else if (OPENSSL_strcasecmp(s, OSSL_KDF_NAME_X963KDF) == 0) {
      ec->x963 = true;
    } else {
      OPTIGA_RAISE(ec->ctx, reason_not_supported, std::string("ECDH kdf-type '") + s + "': only X963KDF (or \"\" for none)");
      return 0;
    }
  }
  if ((p = OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_KDF_DIGEST)) != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    ec->kdf_digest = s;
  }
  if ((p = OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_KDF_DIGEST_PROPS)) != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    ec->kdf_digest_props = s;
  }
  if ((p = OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_KDF_OUTLEN)) != nullptr) {
    std::size_t len = 0;
    if (!OSSL_PARAM_get_size_t(p, &len)) return 0;
    ec->kdf_outlen = len;
  }
  if ((p = OSSL_PARAM_locate_const(params, OSSL_EXCHANGE_PARAM_KDF_UKM)) != nullptr) {
    const void* data = nullptr;
    std::size_t size = 0;
    if (!OSSL_PARAM_get_octet_string_ptr(p, &data, &size)) return 0;
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    ec->kdf_ukm.assign(bytes, bytes + size);
  }
  return 1;
}

const OSSL_PARAM* ex_settable_ctx_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_int(OSSL_EXCHANGE_PARAM_EC_ECDH_COFACTOR_MODE, nullptr),
                                      OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_TYPE, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_DIGEST, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_DIGEST_PROPS, nullptr, 0),
                                      OSSL_PARAM_size_t(OSSL_EXCHANGE_PARAM_KDF_OUTLEN, nullptr),
                                      OSSL_PARAM_octet_string(OSSL_EXCHANGE_PARAM_KDF_UKM, nullptr, 0),
                                      OSSL_PARAM_END};
  return params;
}

int ex_get_ctx_params(void* ctx, OSSL_PARAM params[]) {
  const auto* ec = static_cast<const ExchangeContext*>(ctx);
  OSSL_PARAM* p;
  if ((p = OSSL_PARAM_locate(params, OSSL_EXCHANGE_PARAM_EC_ECDH_COFACTOR_MODE)) != nullptr &&
      !OSSL_PARAM_set_int(p, ec->cofactor_mode == 1 ? 1 : 0))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_EXCHANGE_PARAM_KDF_TYPE)) != nullptr &&
      !OSSL_PARAM_set_utf8_string(p, ec->x963 ? OSSL_KDF_NAME_X963KDF : ""))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_EXCHANGE_PARAM_KDF_DIGEST)) != nullptr &&
      !OSSL_PARAM_set_utf8_string(p, ec->kdf_digest.c_str()))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_EXCHANGE_PARAM_KDF_OUTLEN)) != nullptr && !OSSL_PARAM_set_size_t(p, ec->kdf_outlen))
    return 0;
  if ((p = OSSL_PARAM_locate(params, OSSL_EXCHANGE_PARAM_KDF_UKM)) != nullptr &&
      !OSSL_PARAM_set_octet_ptr(p, ec->kdf_ukm.empty() ? nullptr : ec->kdf_ukm.data(), ec->kdf_ukm.size()))
    return 0;
  return 1;
}

const OSSL_PARAM* ex_gettable_ctx_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_int(OSSL_EXCHANGE_PARAM_EC_ECDH_COFACTOR_MODE, nullptr),
                                      OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_TYPE, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_EXCHANGE_PARAM_KDF_DIGEST, nullptr, 0),
                                      OSSL_PARAM_size_t(OSSL_EXCHANGE_PARAM_KDF_OUTLEN, nullptr),
                                      OSSL_PARAM_octet_ptr(OSSL_EXCHANGE_PARAM_KDF_UKM, nullptr, 0),
                                      OSSL_PARAM_END};
  return params;
}

}  // namespace

const OSSL_DISPATCH keyexch_ecdh_functions[] = {
    {OSSL_FUNC_KEYEXCH_NEWCTX, reinterpret_cast<void (*)()>(ex_newctx)},
    {OSSL_FUNC_KEYEXCH_FREECTX, reinterpret_cast<void (*)()>(ex_freectx)},
    {OSSL_FUNC_KEYEXCH_DUPCTX, reinterpret_cast<void (*)()>(ex_dupctx)},
    {OSSL_FUNC_KEYEXCH_INIT, reinterpret_cast<void (*)()>(ex_init)},
    {OSSL_FUNC_KEYEXCH_SET_PEER, reinterpret_cast<void (*)()>(ex_set_peer)},
    {OSSL_FUNC_KEYEXCH_DERIVE, reinterpret_cast<void (*)()>(ex_derive)},
    {OSSL_FUNC_KEYEXCH_SET_CTX_PARAMS, reinterpret_cast<void (*)()>(ex_set_ctx_params)},
    {OSSL_FUNC_KEYEXCH_SETTABLE_CTX_PARAMS, reinterpret_cast<void (*)()>(ex_settable_ctx_params)},
    {OSSL_FUNC_KEYEXCH_GET_CTX_PARAMS, reinterpret_cast<void (*)()>(ex_get_ctx_params)},
    {OSSL_FUNC_KEYEXCH_GETTABLE_CTX_PARAMS, reinterpret_cast<void (*)()>(ex_gettable_ctx_params)},
    {0, nullptr}};

}  // namespace optiga::provider
