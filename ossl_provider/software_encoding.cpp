// Software keys through the default implementation's encoders (software_encoding.h).
#include "ossl_provider/software_encoding.h"

#include <openssl/bio.h>
#include <openssl/buffer.h>
#include <openssl/encoder.h>

#include <string_view>

#include "core/util/openssl_ptr.h"
#include "ossl_provider/encoder_common.h"

namespace optiga::provider {

int encode_software_key(ProviderContext* ctx, const Key& key, int selection, const SoftwareEncoding& how,
                        OSSL_CORE_BIO* out, OSSL_PASSPHRASE_CALLBACK* cb, void* cbarg) {
  if (!key.soft) return 0;
  EncoderCtxPtr ectx(OSSL_ENCODER_CTX_new_for_pkey(key.soft.get(), selection, how.output_type, how.structure, nullptr));
  if (!ectx || OSSL_ENCODER_CTX_get_num_encoders(ectx.get()) == 0) {
    OPTIGA_RAISE(ctx, reason_internal, std::string("no ") + how.output_type + " encoder for a software EC key");
    return 0;
  }
  if (!how.cipher.empty() &&
      !OSSL_ENCODER_CTX_set_cipher(ectx.get(), how.cipher.c_str(),
                                   how.cipher_properties.empty() ? nullptr : how.cipher_properties.c_str()))
    return 0;
  if (cb != nullptr && !OSSL_ENCODER_CTX_set_passphrase_cb(ectx.get(), cb, cbarg)) return 0;
  BioPtr mem(BIO_new(BIO_s_mem()));
  if (!mem || !OSSL_ENCODER_to_bio(ectx.get(), mem.get())) return 0;
  BUF_MEM* buf = nullptr;
  BIO_get_mem_ptr(mem.get(), &buf);
  const bool ok = write_all(ctx, out, std::string_view(buf->data, buf->length));
  OPENSSL_cleanse(buf->data, buf->length);  // a private key may have passed through
  return ok ? 1 : 0;
}

}  // namespace optiga::provider
