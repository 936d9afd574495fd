// KEYEXCH "ECDH": the shared secret of a chip key and a peer's public key, computed in the chip;
// for a software key pair of our key manager (TLS ECDHE ephemeral keys when this provider is
// loaded first) the default implementation of our private library context computes it.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <memory>

#include "core/token/key_encoding.h"
#include "ossl_provider/algorithms.h"
#include "ossl_provider/key.h"

#include "core/util/openssl_ptr.h"

namespace optiga::provider {
namespace {

struct ExchangeContext {
  ProviderContext* ctx = nullptr;
  std::optional<Key> key;
  std::optional<Key> peer;
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

int ex_derive(void* ctx, unsigned char* secret, std::size_t* secretlen, std::size_t outlen) {
  auto* ec = static_cast<ExchangeContext*>(ctx);
  const Key& key = *ec->key;
  if (secret == nullptr) {
    *secretlen = key.field_bytes();
    return 1;
  }
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

int ex_set_ctx_params(void*, const OSSL_PARAM[]) { return 1; }

const OSSL_PARAM* ex_settable_ctx_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_END};
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
    {0, nullptr}};

}  // namespace optiga::provider
