// The digest an ECDSA signature over a curve is computed on (FIPS 186-4 §6.4): a hash longer
// than the curve's order is cut to its leftmost bits. The chip takes 10 bytes up to the key size
// (spec §5.6), so longer digests are cut to the field size here, once, for every front end; the
// chip applies the remaining bit-level truncation itself (P-521). Shorter inputs are left-padded
// with zero bytes, which keeps their integer value and so the signature.
#pragma once

#include "core/chip/ids.h"
#include "core/util/bytes.h"

namespace optiga::token {

inline constexpr std::size_t chip_min_digest = 10;

// Throws UsageError for an empty digest or a curve that is not an ECC curve.
Bytes ecdsa_digest_for_chip(ByteView digest, chip::Algorithm curve);

}  // namespace optiga::token
