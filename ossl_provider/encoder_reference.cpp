// ENCODER "EC" to PEM PrivateKeyInfo, which is what genpkey and PEM_write_PrivateKey ask for:
// for a chip key it writes the key reference file (slot and public key), never key material; a
// software key is written by the default implementation.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/params.h>

#include <string>

#include "ossl_provider/algorithms.h"
#include "ossl_provider/encoder_common.h"
#include "ossl_provider/reference_file.h"
#include "ossl_provider/software_encoding.h"

namespace optiga::provider {
namespace {

int ref_does_selection(void*, int selection) { return (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0; }

// Our own context: a software key written encrypted needs the cipher the application chose.
struct ReferenceEncoder {
  ProviderContext* ctx;
  std::string cipher;
  std::string cipher_properties;
};

void* ref_newctx(void* provctx) { return new ReferenceEncoder{static_cast<ProviderContext*>(provctx), {}, {}}; }
void ref_freectx(void* ctx) { delete static_cast<ReferenceEncoder*>(ctx); }

int ref_set_ctx_params(void* ctx, const OSSL_PARAM params[]) {
  auto* enc = static_cast<ReferenceEncoder*>(ctx);
  const char* s = nullptr;
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_ENCODER_PARAM_CIPHER);
  if (p != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    enc->cipher = s != nullptr ? s : "";
  }
  if ((p = OSSL_PARAM_locate_const(params, OSSL_ENCODER_PARAM_PROPERTIES)) != nullptr) {
    if (!OSSL_PARAM_get_utf8_string_ptr(p, &s)) return 0;
    enc->cipher_properties = s != nullptr ? s : "";
  }
  return 1;
}

const OSSL_PARAM* ref_settable_ctx_params(void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_utf8_string(OSSL_ENCODER_PARAM_CIPHER, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_ENCODER_PARAM_PROPERTIES, nullptr, 0), OSSL_PARAM_END};
  return params;
}

int encode_reference_pem(void* ctx, OSSL_CORE_BIO* out, const void* keydata, const OSSL_PARAM[], int selection,
                         OSSL_PASSPHRASE_CALLBACK* cb, void* cbarg) {
  const auto* enc = static_cast<ReferenceEncoder*>(ctx);
  ProviderContext* pctx = enc->ctx;
  if (keydata == nullptr) return 0;
  const Key& key = *static_cast<const Key*>(keydata);
  if (key.soft) {
    // A software key of our key manager (`optiga` loaded first, see keymgmt_ec.cpp): written as
    // the default provider writes it, encrypted if asked.
    return encode_software_key(pctx, key, selection, {"PEM", "PrivateKeyInfo", enc->cipher, enc->cipher_properties}, out, cb, cbarg);
  }
  if (!key.in_chip()) {
    OPTIGA_RAISE(pctx, reason_no_private_key, "a " + key.name() + " has no private key to refer to");
    return 0;
  }
  ReferenceFile ref;
  ref.slot = *key.slot;
  ref.public_point = key.point();
  return write_all(pctx, out, pem_encode(reference_pem_label, encode_reference(ref)));
}

}  // namespace

const OSSL_DISPATCH encoder_reference_pem_functions[] = {
    {OSSL_FUNC_ENCODER_NEWCTX, reinterpret_cast<void (*)()>(ref_newctx)},
    {OSSL_FUNC_ENCODER_FREECTX, reinterpret_cast<void (*)()>(ref_freectx)},
    {OSSL_FUNC_ENCODER_SET_CTX_PARAMS, reinterpret_cast<void (*)()>(ref_set_ctx_params)},
    {OSSL_FUNC_ENCODER_SETTABLE_CTX_PARAMS, reinterpret_cast<void (*)()>(ref_settable_ctx_params)},
    {OSSL_FUNC_ENCODER_DOES_SELECTION, reinterpret_cast<void (*)()>(ref_does_selection)},
    {OSSL_FUNC_ENCODER_ENCODE, reinterpret_cast<void (*)()>(encode_reference_pem)},
    {0, nullptr}};

}  // namespace optiga::provider
