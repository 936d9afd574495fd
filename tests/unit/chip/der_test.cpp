#include "core/chip/der.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

namespace optiga::chip {
namespace {

Bytes repeat(std::uint8_t b, std::size_t n) { return Bytes(n, b); }

Bytes cat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& p : parts) append(out, p);
  return out;
}

TEST(Der, ReadsShortAndLongForms) {
  const Bytes short_form = from_hex("04 02 AA BB");
  DerElement e = der_read(short_form);
  EXPECT_EQ(e.tag, 0x04);
  EXPECT_EQ(e.value.size(), 2u);
  EXPECT_EQ(e.encoded_size, 4u);

  Bytes long_form = from_hex("03 81 86");
  append(long_form, repeat(0x11, 0x86));
  e = der_read(long_form);
  EXPECT_EQ(e.value.size(), 0x86u);
  EXPECT_EQ(e.encoded_size, long_form.size());
}

TEST(Der, RejectsTruncatedAndIndefinite) {
  EXPECT_THROW(der_read(from_hex("04")), ParseError);
  EXPECT_THROW(der_read(from_hex("04 03 AA BB")), ParseError);
  EXPECT_THROW(der_read(from_hex("30 80 00 00")), ParseError);
  EXPECT_THROW(der_read(from_hex("30 82 01")), ParseError);
  EXPECT_THROW(der_read(from_hex("30 84 00 00 00 01 00")), ParseError);
}

TEST(Der, LengthEncoding) {
  Bytes out;
  der_put_length(out, 0x7F);
  der_put_length(out, 0x80);
  der_put_length(out, 0x1FA);
  EXPECT_EQ(out, from_hex("7F 81 80 82 01 FA"));
}

TEST(Der, UnsignedIntegerIsMinimal) {
  EXPECT_EQ(der_unsigned_integer(from_hex("00 00 7F")), from_hex("02 01 7F"));
  EXPECT_EQ(der_unsigned_integer(from_hex("80")), from_hex("02 02 00 80"));
  EXPECT_EQ(der_unsigned_integer(from_hex("00")), from_hex("02 01 00"));
}

TEST(EcdsaConversion, MinimalChipFormGetsSequence) {
  const Bytes r = repeat(0x11, 32);
  Bytes s{0x80};
  append(s, repeat(0x22, 31));
  const Bytes chip = cat({from_hex("02 20"), r, from_hex("02 21 00"), s});
  EXPECT_EQ(ecdsa_chip_to_der(chip), cat({from_hex("30 45"), chip}));
}

TEST(EcdsaConversion, NonMinimalIntegersAreNormalised) {
  const Bytes r = repeat(0x11, 32);  // top byte < 0x80, so the 00 in front is redundant
  const Bytes s = repeat(0x7F, 32);
  const Bytes chip = cat({from_hex("02 21 00"), r, from_hex("02 22 00 00"), s});
  const Bytes expected = cat({from_hex("30 44 02 20"), r, from_hex("02 20"), s});
  EXPECT_EQ(ecdsa_chip_to_der(chip), expected);
  EXPECT_EQ(ecdsa_der_to_chip(expected), cat({from_hex("02 20"), r, from_hex("02 20"), s}));
}

TEST(EcdsaConversion, P521UsesLongFormSequenceLength) {
  Bytes r{0x01};
  append(r, repeat(0xAB, 65));  // 66 bytes, 521-bit value
  Bytes s{0x01};
  append(s, repeat(0xCD, 65));
  const Bytes chip = cat({from_hex("02 42"), r, from_hex("02 42"), s});
  const Bytes der = ecdsa_chip_to_der(chip);
  ASSERT_GE(der.size(), 3u);
  EXPECT_EQ(der[0], 0x30);
  EXPECT_EQ(der[1], 0x81);
  EXPECT_EQ(der[2], 0x88);
  EXPECT_EQ(der.size(), 3u + 0x88u);
  EXPECT_EQ(ecdsa_der_to_chip(der), chip);
  EXPECT_EQ(ecdsa_chip_to_raw(chip, 66), cat({r, s}));
}

TEST(EcdsaConversion, RawIsLeftPaddedToFieldSize) {
  // r is a short number (31 bytes) carried with a redundant zero; s needs the sign pad.
  const Bytes r = repeat(0x05, 31);
  const Bytes s = repeat(0x90, 32);
  const Bytes chip = cat({from_hex("02 20 00"), r, from_hex("02 21 00"), s});
  const Bytes raw = ecdsa_chip_to_raw(chip, 32);
  EXPECT_EQ(raw, cat({Bytes{0x00}, r, s}));
  EXPECT_EQ(ecdsa_raw_to_chip(raw), cat({from_hex("02 1F"), r, from_hex("02 21 00"), s}));
  EXPECT_THROW(ecdsa_chip_to_raw(chip, 31), ParseError);
}

TEST(EcdsaConversion, EveryTruncationIsRejected) {
  const Bytes chip = cat({from_hex("02 21 00"), repeat(0x81, 32), from_hex("02 20"), repeat(0x11, 32)});
  const Bytes der = ecdsa_chip_to_der(chip);
  for (std::size_t n = 0; n < chip.size(); ++n)
    EXPECT_THROW(ecdsa_chip_to_der(ByteView(chip).first(n)), ParseError) << "prefix " << n;
  for (std::size_t n = 0; n < der.size(); ++n)
    EXPECT_THROW(ecdsa_der_to_chip(ByteView(der).first(n)), ParseError) << "prefix " << n;
}

TEST(EcdsaConversion, MalformedInputsAreRejected) {
  EXPECT_THROW(ecdsa_chip_to_der({}), ParseError);
  EXPECT_THROW(ecdsa_chip_to_der(from_hex("02 01 05")), ParseError);              // s missing
  EXPECT_THROW(ecdsa_chip_to_der(from_hex("02 01 05 02 01 06 00")), ParseError);  // trailing byte
  EXPECT_THROW(ecdsa_chip_to_der(from_hex("02 01 05 02 02 06")), ParseError);     // s truncated
  EXPECT_THROW(ecdsa_chip_to_der(from_hex("04 01 05 02 01 06")), ParseError);     // not INTEGER
  EXPECT_THROW(ecdsa_chip_to_der(from_hex("02 01 85 02 01 06")), ParseError);     // negative
  EXPECT_THROW(ecdsa_chip_to_der(from_hex("02 00 02 01 06")), ParseError);        // empty
  EXPECT_THROW(ecdsa_der_to_chip(from_hex("02 01 05 02 01 06")), ParseError);     // no SEQUENCE
  EXPECT_THROW(ecdsa_der_to_chip(from_hex("30 06 02 01 05 02 01 06 00")), ParseError);
  EXPECT_THROW(ecdsa_der_to_chip(from_hex("30 07 02 01 05 02 01 06")), ParseError);
  EXPECT_THROW(ecdsa_raw_to_chip(from_hex("01 02 03")), UsageError);
}

}  // namespace
}  // namespace optiga::chip
