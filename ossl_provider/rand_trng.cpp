// RAND "OPTIGA-TRNG" (opt-in: provider parameter rand = yes): random bytes from the chip's TRNG,
// e.g. as the seed source of OpenSSL's DRBG (openssl.cnf [random] seed = OPTIGA-TRNG).
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <cstring>
#include <memory>

#include "ossl_provider/algorithms.h"
#include "ossl_provider/provider.h"

namespace optiga::provider {
namespace {

struct RandContext {
  ProviderContext* ctx = nullptr;
  int state = EVP_RAND_STATE_UNINITIALISED;
};

// What one GetRandom returns at most; larger requests are split by the token anyway.
constexpr std::size_t max_request = chip::get_random_max;

void* rand_newctx(void* provctx, void*, const OSSL_DISPATCH*) {
  auto rc = std::make_unique<RandContext>();
  rc->ctx = static_cast<ProviderContext*>(provctx);
  return rc.release();
}

void rand_freectx(void* ctx) { delete static_cast<RandContext*>(ctx); }

int rand_instantiate(void* ctx, unsigned int, int, const unsigned char*, std::size_t, const OSSL_PARAM[]) {
  static_cast<RandContext*>(ctx)->state = EVP_RAND_STATE_READY;
  return 1;
}

int rand_uninstantiate(void* ctx) {
  static_cast<RandContext*>(ctx)->state = EVP_RAND_STATE_UNINITIALISED;
  return 1;
}

int rand_generate(void* ctx, unsigned char* out, std::size_t outlen, unsigned int, int, const unsigned char*, std::size_t) {
  auto* rc = static_cast<RandContext*>(ctx);
  return rc->ctx->with_token("random from the chip's TRNG", [&](token::Token& t) {
    if (outlen == 0) return;
    const Bytes bytes = t.random(outlen);
    std::memcpy(out, bytes.data(), outlen);
  });
}

int rand_enable_locking(void*) { return 1; }  // with_token serialises chip access
int rand_lock(void*) { return 1; }
void rand_unlock(void*) {}

int rand_get_ctx_params(void* ctx, OSSL_PARAM params[]) {
  auto* rc = static_cast<RandContext*>(ctx);
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STATE);
  if (p != nullptr && !OSSL_PARAM_set_int(p, rc->state)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_STRENGTH);
  if (p != nullptr && !OSSL_PARAM_set_uint(p, 256)) return 0;
  p = OSSL_PARAM_locate(params, OSSL_RAND_PARAM_MAX_REQUEST);
  if (p != nullptr && !OSSL_PARAM_set_size_t(p, max_request)) return 0;
  return 1;
}

const OSSL_PARAM* rand_gettable_ctx_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_int(OSSL_RAND_PARAM_STATE, nullptr), OSSL_PARAM_uint(OSSL_RAND_PARAM_STRENGTH, nullptr),
                                      OSSL_PARAM_size_t(OSSL_RAND_PARAM_MAX_REQUEST, nullptr), OSSL_PARAM_END};
  return params;
}

// As a seed source for a parent DRBG.
std::size_t rand_get_seed(void* ctx, unsigned char** buffer, int, std::size_t min_len, std::size_t max_len, int,
                          const unsigned char*, std::size_t) {
  const std::size_t len = std::max<std::size_t>(min_len, std::min<std::size_t>(max_len, 48));
  auto* out = static_cast<unsigned char*>(OPENSSL_secure_malloc(len));
  if (out == nullptr) return 0;
  if (!rand_generate(ctx, out, len, 0, 0, nullptr, 0)) {
    OPENSSL_secure_clear_free(out, len);
    return 0;
  }
  *buffer = out;  // the core frees it through clear_seed
  return len;
}

void rand_clear_seed(void*, unsigned char* buffer, std::size_t len) { OPENSSL_secure_clear_free(buffer, len); }

}  // namespace

const OSSL_DISPATCH rand_trng_functions[] = {
    {OSSL_FUNC_RAND_NEWCTX, reinterpret_cast<void (*)()>(rand_newctx)},
    {OSSL_FUNC_RAND_FREECTX, reinterpret_cast<void (*)()>(rand_freectx)},
    {OSSL_FUNC_RAND_INSTANTIATE, reinterpret_cast<void (*)()>(rand_instantiate)},
    {OSSL_FUNC_RAND_UNINSTANTIATE, reinterpret_cast<void (*)()>(rand_uninstantiate)},
    {OSSL_FUNC_RAND_GENERATE, reinterpret_cast<void (*)()>(rand_generate)},
    {OSSL_FUNC_RAND_ENABLE_LOCKING, reinterpret_cast<void (*)()>(rand_enable_locking)},
    {OSSL_FUNC_RAND_LOCK, reinterpret_cast<void (*)()>(rand_lock)},
    {OSSL_FUNC_RAND_UNLOCK, reinterpret_cast<void (*)()>(rand_unlock)},
    {OSSL_FUNC_RAND_GET_CTX_PARAMS, reinterpret_cast<void (*)()>(rand_get_ctx_params)},
    {OSSL_FUNC_RAND_GETTABLE_CTX_PARAMS, reinterpret_cast<void (*)()>(rand_gettable_ctx_params)},
    {OSSL_FUNC_RAND_GET_SEED, reinterpret_cast<void (*)()>(rand_get_seed)},
    {OSSL_FUNC_RAND_CLEAR_SEED, reinterpret_cast<void (*)()>(rand_clear_seed)},
    {0, nullptr}};

}  // namespace optiga::provider
