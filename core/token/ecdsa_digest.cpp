#include "core/token/ecdsa_digest.h"

#include "core/util/error.h"

namespace optiga::token {

Bytes ecdsa_digest_for_chip(ByteView digest, chip::Algorithm curve) {
  const auto info = chip::curve_info(curve);
  if (!info) throw UsageError("ECDSA needs an ECC key");
  if (digest.empty()) throw UsageError("ECDSA over an empty digest");
  const std::size_t width = info->field_bytes;
  if (digest.size() > width) return Bytes(digest.begin(), digest.begin() + static_cast<std::ptrdiff_t>(width));
  Bytes out;
  if (digest.size() < chip_min_digest) out.assign(chip_min_digest - digest.size(), 0x00);
  append(out, digest);
  return out;
}

}  // namespace optiga::token
