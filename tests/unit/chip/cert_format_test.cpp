#include "core/chip/cert_format.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

namespace optiga::chip {
namespace {

// Stand-ins for certificates: the parser checks only the outer SEQUENCE, so a SEQUENCE of the
// right length exercises every length field without needing real X.509.
Bytes fake_cert(std::size_t content_size, std::uint8_t fill) {
  Bytes c{0x30};
  if (content_size < 0x80) {
    c.push_back(static_cast<std::uint8_t>(content_size));
  } else {
    c.push_back(0x82);
    put_u16(c, static_cast<std::uint16_t>(content_size));
  }
  c.insert(c.end(), content_size, fill);
  return c;
}

TEST(CertFormat, DetectsEveryFormat) {
  EXPECT_EQ(detect_cert_format({}), CertFormat::empty);
  EXPECT_EQ(detect_cert_format(Bytes(16, 0)), CertFormat::empty);
  EXPECT_EQ(detect_cert_format(fake_cert(4, 1)), CertFormat::der);
  EXPECT_EQ(detect_cert_format(from_hex("C0 00 00")), CertFormat::tls_identity);
  EXPECT_EQ(detect_cert_format(from_hex("C2 00 00")), CertFormat::usb_type_c);
  EXPECT_EQ(detect_cert_format(from_hex("FF FF")), CertFormat::unknown);
}

TEST(CertFormat, SingleCertificateHasTheNineByteHeader) {
  const Bytes cert = fake_cert(0x1F6, 0x42);  // 506 bytes, like the real V3 certificate
  ASSERT_EQ(cert.size(), 0x1FAu);
  const Bytes object = build_tls_identity({cert});
  EXPECT_EQ(Bytes(object.begin(), object.begin() + 9), from_hex("C0 02 00 00 01 FD 00 01 FA"));
  EXPECT_EQ(object.size(), cert.size() + 9);
  const auto parsed = parse_certificate_object(object);
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0], cert);
}

TEST(CertFormat, ChainOfTwoRoundTrips) {
  const Bytes leaf = fake_cert(300, 0x01);
  const Bytes ca = fake_cert(20, 0x02);
  const Bytes object = build_tls_identity({leaf, ca});
  const std::size_t chain_len = 3 + leaf.size() + 3 + ca.size();
  EXPECT_EQ(get_u16(object, 1), chain_len + 3);
  const auto parsed = parse_certificate_object(object);
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0], leaf);
  EXPECT_EQ(parsed[1], ca);
}

TEST(CertFormat, BareDerAndEmpty) {
  const Bytes cert = fake_cert(200, 0x07);
  const auto parsed = parse_certificate_object(cert);
  ASSERT_EQ(parsed.size(), 1u);
  EXPECT_EQ(parsed[0], cert);
  EXPECT_TRUE(parse_certificate_object({}).empty());
  EXPECT_TRUE(parse_certificate_object(Bytes(1500, 0)).empty());
}

TEST(CertFormat, TrailingZeroPaddingIsTolerated) {
  Bytes der = fake_cert(50, 0x07);
  der.resize(der.size() + 10, 0);
  EXPECT_EQ(parse_certificate_object(der).at(0).size(), 52u);
  Bytes tls = build_tls_identity({fake_cert(50, 0x07)});
  tls.resize(tls.size() + 10, 0);
  EXPECT_EQ(parse_certificate_object(tls).size(), 1u);
}

// Changed for issue 10 item 21: bytes after a whole structure used to be refused; a certificate
// write that commits its first bytes last leaves the old certificate followed by the new tail
// until it commits, and that old certificate is what readers must see.
TEST(CertFormat, BytesAfterAWholeStructureAreNotPartOfIt) {
  const Bytes cert = fake_cert(300, 0x07);
  Bytes der = cert;
  der.insert(der.end(), 40, 0x55);
  EXPECT_EQ(parse_certificate_object(der), std::vector<Bytes>{cert});
  EXPECT_EQ(certificate_object_extent(der), cert.size());
  Bytes tls = build_tls_identity({cert});
  const std::size_t tls_size = tls.size();
  tls.insert(tls.end(), 40, 0x55);
  EXPECT_EQ(parse_certificate_object(tls), std::vector<Bytes>{cert});
  EXPECT_EQ(certificate_object_extent(tls), tls_size);
  EXPECT_EQ(certificate_object_extent(Bytes(20, 0)), 0u);
  EXPECT_EQ(certificate_object_extent(from_hex("FF FF")), std::nullopt);
}

// What interrupted writes leave is told apart from other malformed content (issue 10 item 21).
TEST(CertFormat, TornObjectsAreToldApart) {
  const Bytes cert = fake_cert(1700, 0x07);
  // Written first bytes first, cut after the first command: the DER length runs past the end.
  EXPECT_THROW(parse_certificate_object(ByteView(cert).first(1549)), TornCertificateObject);
  EXPECT_THROW(parse_certificate_object(ByteView(cert).first(3)), TornCertificateObject);
  const Bytes tls = build_tls_identity({cert});
  EXPECT_THROW(parse_certificate_object(ByteView(tls).first(1549)), TornCertificateObject);
  // Written first bytes last after an erase, cut before them: zeros, then the tail.
  Bytes erased_head(1549, 0x00);
  erased_head.insert(erased_head.end(), cert.begin() + 1549, cert.end());
  EXPECT_THROW(parse_certificate_object(erased_head), TornCertificateObject);
  EXPECT_EQ(certificate_object_extent(erased_head), std::nullopt);
  // Other malformed content is not called torn.
  try {
    parse_certificate_object(from_hex("12 34"));
    FAIL();
  } catch (const TornCertificateObject&) {
    FAIL() << "unknown format called torn";
  } catch (const ParseError&) {
  }
  Bytes chain_disagrees = tls;
  chain_disagrees[5] = static_cast<std::uint8_t>(chain_disagrees[5] - 1);
  try {
    parse_certificate_object(chain_disagrees);
    FAIL();
  } catch (const TornCertificateObject&) {
    FAIL() << "inconsistent 0xC0 lengths called torn";
  } catch (const ParseError&) {
  }
}

TEST(CertFormat, MalformedLengthsAreRejected) {
  const Bytes good = build_tls_identity({fake_cert(40, 0x03)});

  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_THROW(parse_certificate_object(truncated), ParseError);
  EXPECT_THROW(parse_certificate_object(Bytes(good.begin(), good.begin() + 4)), ParseError);

  Bytes oversized_total = good;
  oversized_total[2] = static_cast<std::uint8_t>(oversized_total[2] + 1);
  EXPECT_THROW(parse_certificate_object(oversized_total), ParseError);

  Bytes chain_disagrees = good;
  chain_disagrees[5] = static_cast<std::uint8_t>(chain_disagrees[5] - 1);
  EXPECT_THROW(parse_certificate_object(chain_disagrees), ParseError);

  Bytes cert_too_long = good;
  cert_too_long[8] = static_cast<std::uint8_t>(cert_too_long[8] + 1);
  EXPECT_THROW(parse_certificate_object(cert_too_long), ParseError);

  Bytes cert_len_huge = good;
  cert_len_huge[6] = 0xFF;
  EXPECT_THROW(parse_certificate_object(cert_len_huge), ParseError);

  Bytes inner_der_disagrees = good;
  inner_der_disagrees[10] = static_cast<std::uint8_t>(inner_der_disagrees[10] - 1);  // SEQUENCE length
  EXPECT_THROW(parse_certificate_object(inner_der_disagrees), ParseError);

  EXPECT_THROW(parse_certificate_object(from_hex("C0 00 03 00 00 00")), ParseError);  // no cert
  EXPECT_THROW(parse_certificate_object(from_hex("30 82 01 00 01")), ParseError);     // bare DER cut
  EXPECT_THROW(parse_certificate_object(from_hex("12 34")), ParseError);
}

TEST(CertFormat, EveryTruncationOfAChainIsRejected) {
  // Objects come off a chip; a short read must never yield a partial certificate.
  const Bytes object = build_tls_identity({fake_cert(130, 0x0A), fake_cert(10, 0x0B)});
  for (std::size_t n = 1; n < object.size(); ++n)
    EXPECT_THROW(parse_certificate_object(ByteView(object).first(n)), ParseError) << "prefix " << n;
  const Bytes der = fake_cert(130, 0x0A);
  for (std::size_t n = 1; n < der.size(); ++n)
    EXPECT_THROW(parse_certificate_object(ByteView(der).first(n)), ParseError) << "prefix " << n;
}

TEST(CertFormat, UsbTypeCIsReportedUnsupported) {
  try {
    parse_certificate_object(from_hex("C2 00 02 30 00"));
    FAIL() << "0xC2 parsed";
  } catch (const ParseError& e) {
    EXPECT_NE(std::string(e.what()).find("not supported"), std::string::npos);
  }
}

TEST(CertFormat, BuildRejectsEmptyChain) {
  EXPECT_THROW(build_tls_identity({}), UsageError);
  EXPECT_THROW(build_tls_identity({Bytes{}}), UsageError);
}

}  // namespace
}  // namespace optiga::chip
