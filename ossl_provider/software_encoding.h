// Writing a software key (see key.h) exactly as the default provider writes it: our encoders are
// tried first for keys of our key manager, so they hand software keys to the default
// implementation's encoders in the provider's private library context.
#pragma once

#include <openssl/core.h>

#include <string>

#include "ossl_provider/key.h"

namespace optiga::provider {

struct SoftwareEncoding {
  const char* output_type;  // "PEM", "DER", "TEXT"
  const char* structure;    // "PrivateKeyInfo", "SubjectPublicKeyInfo", nullptr
  std::string cipher;       // OSSL_ENCODER_PARAM_CIPHER given to our encoder ("" : none)
  std::string cipher_properties;
};

// Encodes key.soft's `selection` to `out`; the passphrase callback is passed on for encryption.
// Raises and returns 0 on failure.
int encode_software_key(ProviderContext* ctx, const Key& key, int selection, const SoftwareEncoding& how,
                        OSSL_CORE_BIO* out, OSSL_PASSPHRASE_CALLBACK* cb, void* cbarg);

}  // namespace optiga::provider
