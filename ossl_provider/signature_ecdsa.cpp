// SIGNATURE "ECDSA": signing a digest inside the chip, and digest-sign where the host hashes
// (SHA-1/224/256/384/512 and SHA3-224/256/384/512 of the software library context; TLS
// transcripts never cross the bus).
// Verification is software. The AlgorithmIdentifier lets X509/REQ signing name the algorithm.
// A software key of our key manager (keymgmt_ec.cpp) is served entirely by the default
// implementation in our private library context: every call and parameter is passed on.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

#include "core/util/openssl_ptr.h"
#include "ossl_provider/algorithms.h"
#include "ossl_provider/key.h"

namespace optiga::provider {
namespace {


struct SignatureContext {
  ProviderContext* ctx = nullptr;
  std::optional<Key> key;
  std::string mdname;  // canonical: "SHA256"
  MdPtr md{nullptr};
  MdCtxPtr mdctx{nullptr};
  int operation = 0;  // EVP_PKEY_OP_SIGN / EVP_PKEY_OP_VERIFY
  // Software keys: the default implementation's operation (one of the two, per init).
  PkeyCtxPtr soft_pctx{nullptr};
  MdCtxPtr soft_mdctx{nullptr};

  EVP_PKEY_CTX* soft_ctx() const { return soft_mdctx ? EVP_MD_CTX_get_pkey_ctx(soft_mdctx.get()) : soft_pctx.get(); }
};

struct DigestInfo {
  const char* name;
  std::array<const char*, 3> aliases;
  Bytes algorithm_id;  // DER AlgorithmIdentifier of ecdsa-with-<digest>
};

const std::vector<DigestInfo>& digests() {
  static const std::vector<DigestInfo> table = {
      {"SHA1", {"SHA1", "SHA-1", "SHA1"}, {0x30, 0x09, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01}},
      {"SHA224", {"SHA224", "SHA2-224", "SHA-224"}, {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x01}},
      {"SHA256", {"SHA256", "SHA2-256", "SHA-256"}, {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02}},
      {"SHA384", {"SHA384", "SHA2-384", "SHA-384"}, {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x03}},
      {"SHA512", {"SHA512", "SHA2-512", "SHA-512"}, {0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x04}},
      // id-ecdsa-with-sha3-* (NIST CSOR 2.16.840.1.101.3.4.3.9..12), parameters absent.
      {"SHA3-224", {"SHA3-224", "SHA3-224", "SHA3-224"}, {0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x09}},
      {"SHA3-256", {"SHA3-256", "SHA3-256", "SHA3-256"}, {0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0A}},
      {"SHA3-384", {"SHA3-384", "SHA3-384", "SHA3-384"}, {0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0B}},
      {"SHA3-512", {"SHA3-512", "SHA3-512", "SHA3-512"}, {0x30, 0x0B, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x0C}},
  };
  return table;
}

const DigestInfo* find_digest(std::string_view name) {
  for (const auto& d : digests())
    for (const char* alias : d.aliases)
      if (name.size() == std::strlen(alias) && std::equal(name.begin(), name.end(), alias, [](char a, char b) {
            return std::toupper(static_cast<unsigned char>(a)) == b;
          }))
        return &d;
  return nullptr;
}

void* sig_newctx(void* provctx, const char*) {
  auto sc = std::make_unique<SignatureContext>();
  sc->ctx = static_cast<ProviderContext*>(provctx);
  return sc.release();
}

void sig_freectx(void* ctx) { delete static_cast<SignatureContext*>(ctx); }

void* sig_dupctx(void* ctx) {
  const auto* src = static_cast<const SignatureContext*>(ctx);
  auto dst = std::make_unique<SignatureContext>();
  dst->ctx = src->ctx;
  dst->key = src->key;
  dst->mdname = src->mdname;
  dst->operation = src->operation;
  if (src->md) {
    EVP_MD_up_ref(src->md.get());
    dst->md.reset(src->md.get());
  }
  if (src->mdctx) {
    dst->mdctx.reset(EVP_MD_CTX_new());
    if (!dst->mdctx || !EVP_MD_CTX_copy_ex(dst->mdctx.get(), src->mdctx.get())) return nullptr;
  }
  if (src->soft_pctx) {
    dst->soft_pctx.reset(EVP_PKEY_CTX_dup(src->soft_pctx.get()));
    if (!dst->soft_pctx) return nullptr;
  }
  if (src->soft_mdctx) {
    dst->soft_mdctx.reset(EVP_MD_CTX_new());
    if (!dst->soft_mdctx || !EVP_MD_CTX_copy_ex(dst->soft_mdctx.get(), src->soft_mdctx.get())) return nullptr;
  }
  return dst.release();
}

int set_digest(SignatureContext& sc, const char* name) {
  const DigestInfo* info = find_digest(name);
  if (info == nullptr) {
    OPTIGA_RAISE(sc.ctx, reason_not_supported, std::string("ECDSA with digest '") + name + "': use SHA-256, SHA-384, SHA-512 or SHA3-256/384/512");
    return 0;
  }
  sc.md.reset(EVP_MD_fetch(sc.ctx->software(), info->name, nullptr));
  if (!sc.md) return 0;
  sc.mdname = info->name;
  return 1;
}

int sig_set_ctx_params(void* ctx, const OSSL_PARAM params[]) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (EVP_PKEY_CTX* soft = sc->soft_ctx(); soft != nullptr) return EVP_PKEY_CTX_set_params(soft, params);
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_SIGNATURE_PARAM_DIGEST);
  if (p != nullptr) {
    const char* name = nullptr;
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &name) || !set_digest(*sc, name)) return 0;
  }
  return 1;
}

int init(void* ctx, void* keydata, const OSSL_PARAM params[], int operation) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (keydata != nullptr) sc->key = *static_cast<const Key*>(keydata);
  if (!sc->key) return 0;
  sc->operation = operation;
  sc->soft_pctx.reset();
  sc->soft_mdctx.reset();
  if (sc->key->soft) {
    sc->soft_pctx.reset(EVP_PKEY_CTX_new_from_pkey(sc->ctx->software(), sc->key->soft.get(), nullptr));
    if (!sc->soft_pctx) return 0;
    return operation == EVP_PKEY_OP_SIGN ? EVP_PKEY_sign_init_ex(sc->soft_pctx.get(), params) > 0
                                         : EVP_PKEY_verify_init_ex(sc->soft_pctx.get(), params) > 0;
  }
  if (operation == EVP_PKEY_OP_SIGN && !sc->key->has_private()) {
    OPTIGA_RAISE(sc->ctx, reason_no_private_key, "ECDSA sign with a " + sc->key->name() + ": its private key is not in the chip");
    return 0;
  }
  return sig_set_ctx_params(ctx, params);
}

int sign_init(void* ctx, void* keydata, const OSSL_PARAM params[]) { return init(ctx, keydata, params, EVP_PKEY_OP_SIGN); }
int verify_init(void* ctx, void* keydata, const OSSL_PARAM params[]) { return init(ctx, keydata, params, EVP_PKEY_OP_VERIFY); }

std::size_t max_signature_size(const Key& key) {
  const auto info = key.curve ? chip::curve_info(*key.curve) : std::nullopt;
  return info ? info->max_der_signature_bytes() : 0;
}

int sign(void* ctx, unsigned char* sig, std::size_t* siglen, std::size_t sigsize, const unsigned char* tbs, std::size_t tbslen) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  const Key& key = *sc->key;
  if (sc->soft_pctx) {
    *siglen = sigsize;
    return EVP_PKEY_sign(sc->soft_pctx.get(), sig, siglen, tbs, tbslen) > 0;
  }
  if (sig == nullptr) {
    *siglen = max_signature_size(key);
    return 1;
  }
  Bytes der;
  if (!sc->ctx->with_token("ECDSA sign with slot " + slot_text(*key.slot),
                           [&](token::Token& t) { der = t.sign(*key.slot, ByteView(tbs, tbslen)).der; }))
    return 0;
  if (der.size() > sigsize) {
    OPTIGA_RAISE(sc->ctx, reason_internal, "signature buffer too small");
    return 0;
  }
  std::memcpy(sig, der.data(), der.size());
  *siglen = der.size();
  return 1;
}

int verify(void* ctx, const unsigned char* sig, std::size_t siglen, const unsigned char* tbs, std::size_t tbslen) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (sc->soft_pctx) return EVP_PKEY_verify(sc->soft_pctx.get(), sig, siglen, tbs, tbslen) > 0;
  PkeyPtr pkey(software_public_key(*sc->key));
  if (!pkey) return 0;
  PkeyCtxPtr vctx(EVP_PKEY_CTX_new_from_pkey(sc->ctx->software(), pkey.get(), nullptr));
  if (!vctx || EVP_PKEY_verify_init(vctx.get()) <= 0) return 0;
  return EVP_PKEY_verify(vctx.get(), sig, siglen, tbs, tbslen) == 1 ? 1 : 0;
}

int digest_init(void* ctx, const char* mdname, void* keydata, const OSSL_PARAM params[], int operation) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (keydata != nullptr && static_cast<const Key*>(keydata)->soft) {
    const Key& key = *static_cast<const Key*>(keydata);
    sc->key = key;
    sc->operation = operation;
    sc->soft_pctx.reset();
    sc->soft_mdctx.reset(EVP_MD_CTX_new());
    const char* md = mdname != nullptr && *mdname ? mdname : nullptr;
    if (!sc->soft_mdctx) return 0;
    return operation == EVP_PKEY_OP_SIGN
               ? EVP_DigestSignInit_ex(sc->soft_mdctx.get(), nullptr, md, sc->ctx->software(), nullptr, key.soft.get(), params) > 0
               : EVP_DigestVerifyInit_ex(sc->soft_mdctx.get(), nullptr, md, sc->ctx->software(), nullptr, key.soft.get(), params) > 0;
  }
  sc->soft_mdctx.reset();
  if (!init(ctx, keydata, params, operation)) return 0;
  if (!set_digest(*sc, mdname != nullptr && *mdname ? mdname : "SHA256")) return 0;
  sc->mdctx.reset(EVP_MD_CTX_new());
  return sc->mdctx && EVP_DigestInit_ex2(sc->mdctx.get(), sc->md.get(), nullptr);
}

int digest_sign_init(void* ctx, const char* mdname, void* keydata, const OSSL_PARAM params[]) {
  return digest_init(ctx, mdname, keydata, params, EVP_PKEY_OP_SIGN);
}
int digest_verify_init(void* ctx, const char* mdname, void* keydata, const OSSL_PARAM params[]) {
  return digest_init(ctx, mdname, keydata, params, EVP_PKEY_OP_VERIFY);
}

int digest_update(void* ctx, const unsigned char* data, std::size_t datalen) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (sc->soft_mdctx)
    return (sc->operation == EVP_PKEY_OP_SIGN ? EVP_DigestSignUpdate(sc->soft_mdctx.get(), data, datalen)
                                              : EVP_DigestVerifyUpdate(sc->soft_mdctx.get(), data, datalen)) > 0;
  return sc->mdctx && EVP_DigestUpdate(sc->mdctx.get(), data, datalen);
}

int digest_sign_final(void* ctx, unsigned char* sig, std::size_t* siglen, std::size_t sigsize) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (sc->soft_mdctx) {
    *siglen = sigsize;
    return EVP_DigestSignFinal(sc->soft_mdctx.get(), sig, siglen) > 0;
  }
  if (sig == nullptr) return sign(ctx, nullptr, siglen, sigsize, nullptr, 0);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!sc->mdctx || !EVP_DigestFinal_ex(sc->mdctx.get(), digest, &len)) return 0;
  return sign(ctx, sig, siglen, sigsize, digest, len);
}

int digest_verify_final(void* ctx, const unsigned char* sig, std::size_t siglen) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (sc->soft_mdctx) return EVP_DigestVerifyFinal(sc->soft_mdctx.get(), sig, siglen) > 0;
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!sc->mdctx || !EVP_DigestFinal_ex(sc->mdctx.get(), digest, &len)) return 0;
  return verify(ctx, sig, siglen, digest, len);
}

int sig_get_ctx_params(void* ctx, OSSL_PARAM params[]) {
  auto* sc = static_cast<SignatureContext*>(ctx);
  if (EVP_PKEY_CTX* soft = sc->soft_ctx(); soft != nullptr) return EVP_PKEY_CTX_get_params(soft, params);
  OSSL_PARAM* p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_ALGORITHM_ID);
  if (p != nullptr) {
    const DigestInfo* info = find_digest(sc->mdname.empty() ? "SHA256" : sc->mdname);
    if (info == nullptr || !OSSL_PARAM_set_octet_string(p, info->algorithm_id.data(), info->algorithm_id.size())) return 0;
  }
  p = OSSL_PARAM_locate(params, OSSL_SIGNATURE_PARAM_DIGEST);
  if (p != nullptr && !OSSL_PARAM_set_utf8_string(p, sc->mdname.c_str())) return 0;
  return 1;
}

const OSSL_PARAM* sig_gettable_ctx_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_octet_string(OSSL_SIGNATURE_PARAM_ALGORITHM_ID, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, nullptr, 0), OSSL_PARAM_END};
  return params;
}

const OSSL_PARAM* sig_settable_ctx_params(void*, void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_utf8_string(OSSL_SIGNATURE_PARAM_DIGEST, nullptr, 0), OSSL_PARAM_END};
  return params;
}

}  // namespace

const OSSL_DISPATCH signature_ecdsa_functions[] = {
    {OSSL_FUNC_SIGNATURE_NEWCTX, reinterpret_cast<void (*)()>(sig_newctx)},
    {OSSL_FUNC_SIGNATURE_FREECTX, reinterpret_cast<void (*)()>(sig_freectx)},
    {OSSL_FUNC_SIGNATURE_DUPCTX, reinterpret_cast<void (*)()>(sig_dupctx)},
    {OSSL_FUNC_SIGNATURE_SIGN_INIT, reinterpret_cast<void (*)()>(sign_init)},
    {OSSL_FUNC_SIGNATURE_SIGN, reinterpret_cast<void (*)()>(sign)},
    {OSSL_FUNC_SIGNATURE_VERIFY_INIT, reinterpret_cast<void (*)()>(verify_init)},
    {OSSL_FUNC_SIGNATURE_VERIFY, reinterpret_cast<void (*)()>(verify)},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_INIT, reinterpret_cast<void (*)()>(digest_sign_init)},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_UPDATE, reinterpret_cast<void (*)()>(digest_update)},
    {OSSL_FUNC_SIGNATURE_DIGEST_SIGN_FINAL, reinterpret_cast<void (*)()>(digest_sign_final)},
    {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_INIT, reinterpret_cast<void (*)()>(digest_verify_init)},
    {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_UPDATE, reinterpret_cast<void (*)()>(digest_update)},
    {OSSL_FUNC_SIGNATURE_DIGEST_VERIFY_FINAL, reinterpret_cast<void (*)()>(digest_verify_final)},
    {OSSL_FUNC_SIGNATURE_GET_CTX_PARAMS, reinterpret_cast<void (*)()>(sig_get_ctx_params)},
    {OSSL_FUNC_SIGNATURE_GETTABLE_CTX_PARAMS, reinterpret_cast<void (*)()>(sig_gettable_ctx_params)},
    {OSSL_FUNC_SIGNATURE_SET_CTX_PARAMS, reinterpret_cast<void (*)()>(sig_set_ctx_params)},
    {OSSL_FUNC_SIGNATURE_SETTABLE_CTX_PARAMS, reinterpret_cast<void (*)()>(sig_settable_ctx_params)},
    {0, nullptr}};

}  // namespace optiga::provider
