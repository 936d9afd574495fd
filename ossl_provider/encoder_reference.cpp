// ENCODER "EC" to PEM PrivateKeyInfo, which is what genpkey and PEM_write_PrivateKey ask for:
// for a chip key it writes the key reference file (slot and public key), never key material.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>

#include "ossl_provider/algorithms.h"
#include "ossl_provider/encoder_common.h"
#include "ossl_provider/reference_file.h"

namespace optiga::provider {
namespace {

int ref_does_selection(void*, int selection) { return (selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) != 0; }

int encode_reference_pem(void* ctx, OSSL_CORE_BIO* out, const void* keydata, const OSSL_PARAM[], int,
                         OSSL_PASSPHRASE_CALLBACK*, void*) {
  ProviderContext* pctx = encoder_provider(ctx);
  if (keydata == nullptr) return 0;
  const Key& key = *static_cast<const Key*>(keydata);
  if (key.soft) {
    // Only reached by `genpkey -provider optiga` without a slot: we generated a software key
    // (as for TLS ECDHE), but the user meant a chip key. Software keys belong in the default provider.
    OPTIGA_RAISE(pctx, reason_usage,
                 "key generation in the chip needs the slot: add -pkeyopt optiga-slot:0xE0F1 (0xE0F1..0xE0F3); "
                 "software keys come from the default provider");
    return 0;
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
    {OSSL_FUNC_ENCODER_NEWCTX, reinterpret_cast<void (*)()>(encoder_newctx)},
    {OSSL_FUNC_ENCODER_FREECTX, reinterpret_cast<void (*)()>(encoder_freectx)},
    {OSSL_FUNC_ENCODER_DOES_SELECTION, reinterpret_cast<void (*)()>(ref_does_selection)},
    {OSSL_FUNC_ENCODER_ENCODE, reinterpret_cast<void (*)()>(encode_reference_pem)},
    {0, nullptr}};

}  // namespace optiga::provider
