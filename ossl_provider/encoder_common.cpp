#include "ossl_provider/encoder_common.h"

#include <openssl/evp.h>

namespace optiga::provider {

void* encoder_newctx(void* provctx) { return provctx; }  // stateless: the provider context is all we need
void encoder_freectx(void*) {}
ProviderContext* encoder_provider(void* ctx) { return static_cast<ProviderContext*>(ctx); }

bool write_all(ProviderContext* ctx, OSSL_CORE_BIO* out, std::string_view data) {
  std::size_t done = 0;
  while (done < data.size()) {
    std::size_t written = 0;
    if (!ctx->bio_write(out, data.data() + done, data.size() - done, &written) || written == 0) return false;
    done += written;
  }
  return true;
}

std::string pem_encode(std::string_view label, ByteView der) {
  std::string out = "-----BEGIN " + std::string(label) + "-----\n";
  for (std::size_t i = 0; i < der.size(); i += 48) {
    const std::size_t n = std::min<std::size_t>(48, der.size() - i);
    unsigned char line[65];
    const int len = EVP_EncodeBlock(line, der.data() + i, static_cast<int>(n));
    out.append(reinterpret_cast<const char*>(line), static_cast<std::size_t>(len));
    out += '\n';
  }
  out += "-----END " + std::string(label) + "-----\n";
  return out;
}

}  // namespace optiga::provider
