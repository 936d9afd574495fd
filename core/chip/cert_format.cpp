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

// Objects are read back with the length they were written with, but some provisioning tools
// zero-fill the slot first; zero padding after the stored structure is therefore tolerated,
// anything else after it is not.
void expect_only_padding(ByteView rest) {
  if (!all_zero(rest)) bad("unexpected bytes after the certificate data");
}

// One DER certificate whose outer SEQUENCE exactly fills `cert`.
void check_certificate(ByteView cert) {
  if (cert.empty() || cert[0] != tag_der_certificate) bad("certificate does not start with a SEQUENCE");
  const DerElement seq = der_read(cert, 0);
  if (seq.encoded_size != cert.size()) bad("certificate length disagrees with its DER length");
}

std::vector<Bytes> parse_der(ByteView object) {
  const DerElement seq = der_read(object, 0);
  expect_only_padding(object.subspan(seq.encoded_size));
  const ByteView cert = object.first(seq.encoded_size);
  return {Bytes(cert.begin(), cert.end())};
}

std::vector<Bytes> parse_tls_identity(ByteView object) {
  if (object.size() < tls_header_size) bad("0xC0 header truncated");
  const std::size_t total = get_u16(object, 1);
  const std::size_t chain_len = get_u24(object, 3);
  if (total > object.size() - 3) bad("0xC0 length runs past the end of the object");
  if (chain_len + 3 != total) bad("0xC0 length and chain length disagree");
  expect_only_padding(object.subspan(3 + total));

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
  char text[80];
  std::snprintf(text, sizeof text, "unknown certificate object format (first byte 0x%02X)", object[0]);
  throw ParseError(text);
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
