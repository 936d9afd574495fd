// What every encoder of the provider shares: a context holding the provider, and writing to the
// core's BIO.
#pragma once

#include <openssl/core_dispatch.h>

#include <string_view>

#include "ossl_provider/key.h"

namespace optiga::provider {

void* encoder_newctx(void* provctx);
void encoder_freectx(void* ctx);
ProviderContext* encoder_provider(void* ctx);
bool write_all(ProviderContext* ctx, OSSL_CORE_BIO* out, std::string_view data);
// PEM armour: -----BEGIN label----- base64 lines -----END label-----
std::string pem_encode(std::string_view label, ByteView der);

}  // namespace optiga::provider
