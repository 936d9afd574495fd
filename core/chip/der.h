// The little DER the chip speaks (spec §5.5) and the ECDSA signature conversions every host
// front end needs: the chip returns r and s as two bare INTEGERs (sometimes non-minimal), OpenSSL
// wants a minimal DER SEQUENCE and PKCS#11 CKM_ECDSA wants raw r‖s of fixed width.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"

namespace optiga::chip {

// One tag-length-value element with a definite length.
struct DerElement {
  std::uint8_t tag = 0;
  ByteView value;
  std::size_t encoded_size = 0;  // header + value, i.e. the offset of the next element
};

// Reads the element that starts at data[offset]. Accepts the short form and long forms of up to
// three length bytes (enough for any chip object); throws optiga::ParseError when the header
// or the value runs past the end, or for the indefinite form, which DER forbids.
DerElement der_read(ByteView data, std::size_t offset = 0);

// Appends a DER length (short form below 128, long form otherwise).
void der_put_length(Bytes& out, std::size_t length);
Bytes der_encode(std::uint8_t tag, ByteView value);
// A minimal INTEGER for the non-negative big-endian number `magnitude` (leading zeros ignored).
Bytes der_unsigned_integer(ByteView magnitude);

// The two numbers of an ECDSA signature as big-endian magnitudes without leading zeros.
struct EcdsaSignature {
  Bytes r;
  Bytes s;
};

// Parses the chip form `02 Lr r 02 Ls s` (no SEQUENCE). Redundant leading zero bytes are
// accepted (firmware quirk, §5.5); negative or empty INTEGERs and trailing bytes are not.
EcdsaSignature ecdsa_parse_chip(ByteView chip_sig);

// Chip form -> `30 len INTEGER INTEGER` with both INTEGERs re-encoded minimally. P-521
// signatures get the long-form length (`30 81 LL`).
Bytes ecdsa_chip_to_der(ByteView chip_sig);
// Chip form -> r‖s, each left-padded to field_bytes. Throws ParseError when r or s does not fit.
Bytes ecdsa_chip_to_raw(ByteView chip_sig, std::size_t field_bytes);
// A DER ECDSA-Sig-Value -> the chip form VerifySign takes (SEQUENCE stripped, INTEGERs minimal).
Bytes ecdsa_der_to_chip(ByteView der);
// r‖s (even length) -> the chip form. Throws optiga::UsageError for an empty or odd-length input.
Bytes ecdsa_raw_to_chip(ByteView raw);

}  // namespace optiga::chip
