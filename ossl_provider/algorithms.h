// The dispatch tables each operation file defines; provider.cpp offers them to the core.
#pragma once

#include <openssl/core.h>

namespace optiga::provider {

extern const OSSL_DISPATCH store_functions[];
extern const OSSL_DISPATCH keymgmt_ec_functions[];
extern const OSSL_DISPATCH signature_ecdsa_functions[];
extern const OSSL_DISPATCH keyexch_ecdh_functions[];
extern const OSSL_DISPATCH encoder_spki_der_functions[];
extern const OSSL_DISPATCH encoder_spki_pem_functions[];
extern const OSSL_DISPATCH encoder_text_functions[];
extern const OSSL_DISPATCH encoder_reference_pem_functions[];
extern const OSSL_DISPATCH decoder_reference_functions[];
extern const OSSL_DISPATCH decoder_reference_pem_functions[];
extern const OSSL_DISPATCH rand_trng_functions[];

// Every algorithm carries this property, so users can route with -propquery provider=optiga.
inline constexpr const char* properties = "provider=optiga";

}  // namespace optiga::provider
