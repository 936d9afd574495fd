// ENCODERs "EC" to SubjectPublicKeyInfo (DER and PEM): `openssl pkey -pubout`, and the public
// key of CSRs and certificates when only this provider is loaded. Named curves only.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>

#include "ossl_provider/algorithms.h"
#include "ossl_provider/encoder_common.h"
#include "ossl_provider/software_encoding.h"

namespace optiga::provider {
namespace {

int spki_does_selection(void*, int selection) { return (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) != 0; }

int encode(void* ctx, OSSL_CORE_BIO* out, const void* keydata, int selection, bool pem) {
  ProviderContext* pctx = encoder_provider(ctx);
  if (keydata == nullptr || (selection & OSSL_KEYMGMT_SELECT_PUBLIC_KEY) == 0) return 0;
  if (const Key& key = *static_cast<const Key*>(keydata); key.soft)
    return encode_software_key(pctx, key, selection, {pem ? "PEM" : "DER", "SubjectPublicKeyInfo", {}, {}}, out, nullptr, nullptr);
  const Bytes der = key_spki(*static_cast<const Key*>(keydata));
  if (der.empty()) return 0;
  if (pem) return write_all(pctx, out, pem_encode("PUBLIC KEY", der));
  return write_all(pctx, out, std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
}

int encode_der(void* ctx, OSSL_CORE_BIO* out, const void* keydata, const OSSL_PARAM[], int selection,
               OSSL_PASSPHRASE_CALLBACK*, void*) {
  return encode(ctx, out, keydata, selection, false);
}
int encode_pem(void* ctx, OSSL_CORE_BIO* out, const void* keydata, const OSSL_PARAM[], int selection,
               OSSL_PASSPHRASE_CALLBACK*, void*) {
  return encode(ctx, out, keydata, selection, true);
}

}  // namespace

const OSSL_DISPATCH encoder_spki_der_functions[] = {
    {OSSL_FUNC_ENCODER_NEWCTX, reinterpret_cast<void (*)()>(encoder_newctx)},
    {OSSL_FUNC_ENCODER_FREECTX, reinterpret_cast<void (*)()>(encoder_freectx)},
    {OSSL_FUNC_ENCODER_DOES_SELECTION, reinterpret_cast<void (*)()>(spki_does_selection)},
    {OSSL_FUNC_ENCODER_ENCODE, reinterpret_cast<void (*)()>(encode_der)},
    {0, nullptr}};

const OSSL_DISPATCH encoder_spki_pem_functions[] = {
    {OSSL_FUNC_ENCODER_NEWCTX, reinterpret_cast<void (*)()>(encoder_newctx)},
    {OSSL_FUNC_ENCODER_FREECTX, reinterpret_cast<void (*)()>(encoder_freectx)},
    {OSSL_FUNC_ENCODER_DOES_SELECTION, reinterpret_cast<void (*)()>(spki_does_selection)},
    {OSSL_FUNC_ENCODER_ENCODE, reinterpret_cast<void (*)()>(encode_pem)},
    {0, nullptr}};

}  // namespace optiga::provider
