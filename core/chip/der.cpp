#include "core/chip/der.h"

#include <algorithm>
#include <string>

#include "core/util/error.h"

namespace optiga::chip {

namespace {
constexpr std::uint8_t tag_integer = 0x02;
constexpr std::uint8_t tag_sequence = 0x30;

[[noreturn]] void malformed(const std::string& what) { throw ParseError("malformed DER: " + what); }

ByteView strip_leading_zeros(ByteView v) {
  std::size_t i = 0;
  while (i < v.size() && v[i] == 0) ++i;
  return v.subspan(i);
}

// An ECDSA INTEGER's magnitude. A leading byte >= 0x80 would make it negative, which r and s
// never are, so that is a corrupt signature rather than a quirk to tolerate.
Bytes integer_magnitude(const DerElement& e, const char* name) {
  if (e.tag != tag_integer) malformed(std::string(name) + " is not an INTEGER");
  if (e.value.empty()) malformed(std::string(name) + " is an empty INTEGER");
  if (e.value[0] & 0x80) malformed(std::string(name) + " is negative");
  const ByteView m = strip_leading_zeros(e.value);
  return Bytes(m.begin(), m.end());
}

// Two INTEGERs that exactly fill `content`.
EcdsaSignature parse_two_integers(ByteView content) {
  const DerElement r = der_read(content, 0);
  const DerElement s = der_read(content, r.encoded_size);
  if (r.encoded_size + s.encoded_size != content.size()) malformed("trailing bytes after s");
  return {integer_magnitude(r, "r"), integer_magnitude(s, "s")};
}

Bytes chip_form(const EcdsaSignature& sig) {
  Bytes out = der_unsigned_integer(sig.r);
  append(out, der_unsigned_integer(sig.s));
  return out;
}
}  // namespace

DerElement der_read(ByteView data, std::size_t offset) {
  if (offset > data.size() || data.size() - offset < 2) malformed("header runs past the end");
  DerElement e;
  e.tag = data[offset];
  std::size_t pos = offset + 1;
  const std::uint8_t first = data[pos++];
  std::size_t length = 0;
  if (first < 0x80) {
    length = first;
  } else {
    const std::size_t count = first & 0x7F;
    if (count == 0) malformed("indefinite length");
    if (count > 3) malformed("length field too long");
    if (data.size() - pos < count) malformed("length runs past the end");
    for (std::size_t i = 0; i < count; ++i) length = (length << 8) | data[pos++];
  }
  if (data.size() - pos < length) malformed("value runs past the end");
  e.value = data.subspan(pos, length);
  e.encoded_size = pos + length - offset;
  return e;
}

void der_put_length(Bytes& out, std::size_t length) {
  if (length < 0x80) {
    out.push_back(static_cast<std::uint8_t>(length));
    return;
  }
  Bytes digits;
  for (std::size_t v = length; v != 0; v >>= 8) digits.insert(digits.begin(), static_cast<std::uint8_t>(v));
  out.push_back(static_cast<std::uint8_t>(0x80 | digits.size()));
  append(out, digits);
}

Bytes der_encode(std::uint8_t tag, ByteView value) {
  Bytes out{tag};
  der_put_length(out, value.size());
  append(out, value);
  return out;
}

Bytes der_unsigned_integer(ByteView magnitude) {
  const ByteView m = strip_leading_zeros(magnitude);
  Bytes value;
  if (m.empty() || (m[0] & 0x80)) value.push_back(0x00);  // zero, or keep the number positive
  append(value, m);
  return der_encode(tag_integer, value);
}

EcdsaSignature ecdsa_parse_chip(ByteView chip_sig) { return parse_two_integers(chip_sig); }

Bytes ecdsa_chip_to_der(ByteView chip_sig) {
  return der_encode(tag_sequence, chip_form(ecdsa_parse_chip(chip_sig)));
}

Bytes ecdsa_chip_to_raw(ByteView chip_sig, std::size_t field_bytes) {
  const EcdsaSignature sig = ecdsa_parse_chip(chip_sig);
  if (sig.r.size() > field_bytes || sig.s.size() > field_bytes)
    throw ParseError("ECDSA signature value larger than the curve's field size");
  Bytes out(2 * field_bytes, 0);
  std::copy(sig.r.begin(), sig.r.end(), out.begin() + static_cast<std::ptrdiff_t>(field_bytes - sig.r.size()));
  std::copy(sig.s.begin(), sig.s.end(), out.end() - static_cast<std::ptrdiff_t>(sig.s.size()));
  return out;
}

Bytes ecdsa_der_to_chip(ByteView der) {
  const DerElement seq = der_read(der, 0);
  if (seq.tag != tag_sequence) malformed("ECDSA signature is not a SEQUENCE");
  if (seq.encoded_size != der.size()) malformed("trailing bytes after the signature");
  return chip_form(parse_two_integers(seq.value));
}

Bytes ecdsa_raw_to_chip(ByteView raw) {
  if (raw.empty() || raw.size() % 2 != 0) throw UsageError("raw ECDSA signature must be r||s of equal halves");
  const std::size_t half = raw.size() / 2;
  const ByteView r = raw.first(half);
  const ByteView s = raw.subspan(half);
  return chip_form({Bytes(r.begin(), r.end()), Bytes(s.begin(), s.end())});
}

}  // namespace optiga::chip
