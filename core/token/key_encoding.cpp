#include "core/token/key_encoding.h"

#include <openssl/asn1.h>
#include <openssl/crypto.h>
#include <openssl/objects.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/chip/der.h"
#include "core/device/spki.h"
#include "core/util/error.h"

namespace optiga::token {
namespace {

constexpr std::uint8_t tag_bit_string = 0x03;
constexpr std::uint8_t tag_octet_string = 0x04;
constexpr std::uint8_t tag_sequence = 0x30;
constexpr std::uint8_t uncompressed = 0x04;  // X9.62 point form

// DER OID of a dotted OID ("1.2.840.10045.3.1.7"); OBJ_* functions use no library context.
Bytes oid_der(std::string_view dotted) {
  std::unique_ptr<ASN1_OBJECT, decltype(&ASN1_OBJECT_free)> obj(OBJ_txt2obj(std::string(dotted).c_str(), 1), ASN1_OBJECT_free);
  if (!obj) throw ProtocolError("cannot encode the OID " + std::string(dotted));
  unsigned char* buf = nullptr;
  const int len = i2d_ASN1_OBJECT(obj.get(), &buf);
  if (len <= 0) throw ProtocolError("cannot encode the OID " + std::string(dotted));
  Bytes out(buf, buf + len);
  OPENSSL_free(buf);
  return out;
}

Bytes bit_string_of(ByteView point) {
  Bytes body{0x00};  // no unused bits
  append(body, point);
  return chip::der_encode(tag_bit_string, body);
}

std::string curve_text(chip::Algorithm curve) { return std::string(chip::algorithm_name(static_cast<std::uint8_t>(curve))); }

// SubjectPublicKeyInfo ::= SEQUENCE { SEQUENCE { id-ecPublicKey, namedCurve }, BIT STRING }:
// the BIT STRING, after checking that the named curve is `curve`.
std::optional<Bytes> spki_bit_string(ByteView der, chip::Algorithm curve) {
  const chip::DerElement seq = chip::der_read(der);
  if (seq.tag != tag_sequence || seq.encoded_size != der.size()) return std::nullopt;
  const chip::DerElement algorithm = chip::der_read(seq.value);
  if (algorithm.tag != tag_sequence) return std::nullopt;
  const chip::DerElement key_type = chip::der_read(algorithm.value);
  if (key_type.encoded_size >= algorithm.value.size()) return std::nullopt;
  const ByteView params = algorithm.value.subspan(key_type.encoded_size);
  if (curve_of_parameters(params) != curve)
    throw UsageError("peer key is not on the key's curve (" + curve_text(curve) + ")");
  const chip::DerElement bits = chip::der_read(seq.value, algorithm.encoded_size);
  if (bits.tag != tag_bit_string || algorithm.encoded_size + bits.encoded_size != seq.value.size()) return std::nullopt;
  return Bytes(seq.value.begin() + static_cast<std::ptrdiff_t>(algorithm.encoded_size), seq.value.end());
}

}  // namespace

Bytes uncompressed_point(const device::PublicKey& key) {
  const ByteView p = device::point_of(key.bit_string);
  return Bytes(p.begin(), p.end());
}

Bytes ec_point_octet_string(const device::PublicKey& key) {
  return chip::der_encode(tag_octet_string, device::point_of(key.bit_string));
}

Bytes subject_public_key_info(const device::PublicKey& key) { return device::subject_public_key_info(key); }

Bytes curve_parameters(chip::Algorithm curve) {
  const auto info = chip::curve_info(curve);
  if (!info) throw UsageError(curve_text(curve) + " is not an ECC curve");
  return oid_der(info->oid_dotted);
}

std::optional<chip::Algorithm> curve_of_parameters(ByteView der) {
  for (const auto& c : chip::curves()) {
    const Bytes want = oid_der(c.oid_dotted);
    if (std::equal(want.begin(), want.end(), der.begin(), der.end())) return c.algorithm;
  }
  return std::nullopt;
}

device::PublicKey public_key_from_point(chip::Algorithm curve, ByteView point) {
  const auto info = chip::curve_info(curve);
  if (!info) throw UsageError(curve_text(curve) + " is not an ECC curve");
  if (point.size() != info->point_bytes() || point[0] != uncompressed)
    throw UsageError("public key is not an uncompressed " + std::string(info->name) + " point");
  return device::PublicKey{curve, bit_string_of(point), "caller", {}};
}

device::PublicKey parse_peer_key(ByteView data, chip::Algorithm curve) {
  const auto info = chip::curve_info(curve);
  if (!info) throw UsageError(curve_text(curve) + " is not an ECC curve");
  ByteView point = data;
  Bytes bit_string;
  // A raw point has exactly the curve's point size; anything else may be one of the DER forms.
  if (data.size() != info->point_bytes() && !data.empty()) {
    try {
      const chip::DerElement e = chip::der_read(data);
      if (e.encoded_size == data.size()) {
        if (e.tag == tag_octet_string && !e.value.empty() && e.value[0] == uncompressed) point = e.value;
        if (e.tag == tag_bit_string) point = device::point_of(data);
        if (e.tag == tag_sequence)
          if (auto bits = spki_bit_string(data, curve)) {
            bit_string = std::move(*bits);
            point = device::point_of(bit_string);
          }
      }
    } catch (const Error&) {
      // Not DER (ParseError) or not a key of this curve: taken as a raw point below.
    }
  }
  if (point.empty() || point[0] != uncompressed) throw UsageError("peer key is not an uncompressed point");
  return device::PublicKey{curve, bit_string_of(point), "peer", {}};
}

}  // namespace optiga::token
