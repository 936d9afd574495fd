#include "core/chip/cert_format.h"

#include <algorithm>
#include <cstdio>
#include <string>

#include "core/chip/der.h"
#include "core/util/error.h"

namespace optiga::chip {

namespace {
constexpr std::uint8_t tag_der_certificate = 0x30;
constexpr std::uint8_t tag_tls_identity = 0xC0;
constexpr std::uint8_t tag_usb_type_c = 0xC2;
constexpr std::size_t tls_header_size = 6;  // C0 ‖ L(2) ‖ chainLen(3)
constexpr std::size_t max_u24 = 0xFFFFFF;

[[noreturn]] void bad(const std::string& what) {
  throw ParseError("malformed certificate object: " + what);
}

[[noreturn]] void torn(const std::string& what) {
  throw TornCertificateObject(what);
}

std::uint32_t get_u24(ByteView data, std::size_t offset) {
  return (std::uint32_t{data[offset]} << 16) | (std::uint32_t{data[offset + 1]} << 8) | data[offset + 2];
}

void put_u24(Bytes& out, std::size_t v) {
  out.push_back(static_cast<std::uint8_t>(v >> 16));
  out.push_back(static_cast<std::uint8_t>(v >> 8));
  out.push_back(static_cast<std::uint8_t>(v));
}

bool all_zero(ByteView data) {
  return std::all_of(data.begin(), data.end(), [](std::uint8_t b) { return b == 0; });
}

// One DER certificate whose outer SEQUENCE exactly fills `cert`.
void check_certificate(ByteView cert) {
  if (cert.empty() || cert[0] != tag_der_certificate) bad("certificate does not start with a SEQUENCE");
  const DerElement seq = der_read(cert, 0);
  if (seq.encoded_size != cert.size()) bad("certificate length disagrees with its DER length");
}

// The size the outer DER header declares, header included; nullopt when the header itself is
// cut off. A length form DER does not allow is left to der_read to refuse.
std::optional<std::size_t> der_declared_size(ByteView data) {
  if (data.size() < 2) return std::nullopt;
  const std::uint8_t first = data[1];
  if (first < 0x80) return 2 + std::size_t{first};
  const std::size_t n = first & 0x7F;
  if (n == 0 || n > 3) return 0;  // malformed, not cut: der_read says why
  if (data.size() < 2 + n) return std::nullopt;
  std::size_t len = 0;
  for (std::size_t i = 0; i < n; ++i) len = (len << 8) | data[2 + i];
  return 2 + n + len;
}

// Bytes after the structure are not read: a provisioning tool may have zero-filled the slot, and
// a certificate write that commits its first bytes last leaves the old certificate whole, followed
// by the new one's tail, until it commits (docs/protocol-notes.md).
std::vector<Bytes> parse_der(ByteView object) {
  const auto declared = der_declared_size(object);
  if (!declared) torn("its DER header is cut off after " + std::to_string(object.size()) + " bytes");
  if (*declared > object.size())
    torn("its DER length says " + std::to_string(*declared) + " bytes, the object holds " + std::to_string(object.size()));
  const DerElement seq = der_read(object, 0);
  const ByteView cert = object.first(seq.encoded_size);
  return {Bytes(cert.begin(), cert.end())};
}

std::vector<Bytes> parse_tls_identity(ByteView object) {
  if (object.size() < tls_header_size) torn("0xC0 header cut off after " + std::to_string(object.size()) + " bytes");
  const std::size_t total = get_u16(object, 1);
  const std::size_t chain_len = get_u24(object, 3);
  if (total > object.size() - 3)
    torn("its 0xC0 length says " + std::to_string(total + 3) + " bytes, the object holds " + std::to_string(object.size()));
  if (chain_len + 3 != total) bad("0xC0 length and chain length disagree");

  const ByteView chain = object.subspan(tls_header_size, chain_len);
  std::vector<Bytes> certs;
  std::size_t pos = 0;
  while (pos < chain.size()) {
    if (chain.size() - pos < 3) bad("certificate length truncated");
    const std::size_t cert_len = get_u24(chain, pos);
    pos += 3;
    if (cert_len == 0) bad("zero-length certificate in chain");
    if (cert_len > chain.size() - pos) bad("certificate runs past the end of the chain");
    const ByteView cert = chain.subspan(pos, cert_len);
    check_certificate(cert);
    certs.emplace_back(cert.begin(), cert.end());
    pos += cert_len;
  }
  if (certs.empty()) bad("0xC0 chain holds no certificate");
  return certs;
}
}  // namespace

// A stored structure never starts with 0x00; a write that erases the object and commits its first
// bytes last leaves exactly that until it commits.
CertFormat detect_cert_format(ByteView object) {
  if (all_zero(object)) return CertFormat::empty;
  switch (object[0]) {
    case tag_der_certificate: return CertFormat::der;
    case tag_tls_identity: return CertFormat::tls_identity;
    case tag_usb_type_c: return CertFormat::usb_type_c;
    default: return CertFormat::unknown;
  }
}

std::vector<Bytes> parse_certificate_object(ByteView object) {
  switch (detect_cert_format(object)) {
    case CertFormat::empty: return {};
    case CertFormat::der: return parse_der(object);
    case CertFormat::tls_identity: return parse_tls_identity(object);
    case CertFormat::usb_type_c:
      throw ParseError("certificate object in the USB Type-C format (0xC2) is not supported");
    case CertFormat::unknown: break;
  }
  if (object[0] == 0x00) torn("its first bytes are zero, later ones are not");
  char text[80];
  std::snprintf(text, sizeof text, "unknown certificate object format (first byte 0x%02X)", object[0]);
  throw ParseError(text);
}

std::optional<std::size_t> certificate_object_extent(ByteView object) {
  std::vector<Bytes> chain;
  try {
    chain = parse_certificate_object(object);
  } catch (const ParseError&) {
    return std::nullopt;
  }
  if (chain.empty()) return 0;
  if (detect_cert_format(object) == CertFormat::der) return chain.front().size();
  return 3 + std::size_t{get_u16(object, 1)};  // 0xC0 ‖ L(2) ‖ L bytes
}

Bytes build_tls_identity(const std::vector<Bytes>& chain) {
  if (chain.empty()) throw UsageError("a TLS identity needs at least one certificate");
  std::size_t chain_len = 0;
  for (const Bytes& cert : chain) {
    if (cert.empty() || cert.size() > max_u24) throw UsageError("certificate size out of range");
    chain_len += 3 + cert.size();
  }
  if (chain_len + 3 > 0xFFFF) throw UsageError("certificate chain too long for a TLS identity");
  Bytes out{tag_tls_identity};
  put_u16(out, static_cast<std::uint16_t>(chain_len + 3));
  put_u24(out, chain_len);
  for (const Bytes& cert : chain) {
    put_u24(out, cert.size());
    append(out, cert);
  }
  return out;
}

}  // namespace optiga::chip
