// Host-side hashing through the module's private OpenSSL library context.
#pragma once

#include "core/device/public_key.h"
#include "pkcs11/operations.h"

namespace optiga::pkcs11 {

// A digest context for "SHA256"/"SHA384"/"SHA512"; CKR_MECHANISM_INVALID when unknown.
MdContext start_digest(const device::CryptoContext& ctx, const char* name);
void update_digest(MdContext& md, ByteView data);
Bytes finish_digest(MdContext& md);
std::size_t digest_size(const MdContext& md);

}  // namespace optiga::pkcs11
