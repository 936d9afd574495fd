#include "fake_chip.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>

#include <algorithm>
#include <stdexcept>

#include "core/util/openssl_ptr.h"

namespace optiga::test {

namespace {
// Trust M V3 UID from the spec (§6.3).
constexpr const char* uid_hex = "CD 16 33 94 01 00 1C 00 01 00 00 0A 09 A4 13 00 0B 00 42 00 78 80 10 10 71 24 40";

// Values of the command TLVs (2-byte lengths).
std::map<std::uint8_t, Bytes> tlvs(ByteView data) {
  std::map<std::uint8_t, Bytes> out;
  std::size_t pos = 0;
  while (pos + 3 <= data.size()) {
    const std::size_t len = get_u16(data, pos + 1);
    if (pos + 3 + len > data.size()) throw std::runtime_error("fake chip: bad TLV");
    out[data[pos]] = Bytes(data.begin() + pos + 3, data.begin() + pos + 3 + len);
    pos += 3 + len;
  }
  return out;
}

PkeyPtr key_from_bit_string(ByteView bits) {
  std::string group = "prime256v1";
  Bytes point(bits.begin() + 3, bits.end());
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
                         OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
                         OSSL_PARAM_construct_end()};
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  EVP_PKEY_fromdata_init(ctx.get());
  EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params);
  return PkeyPtr(key);
}

// One INTEGER of a DER signature, re-encoded the way the fake firmware is configured to.
void put_integer(Bytes& out, ByteView value, bool non_minimal) {
  Bytes v(value.begin(), value.end());
  if (non_minimal) v.insert(v.begin(), 0x00);
  out.push_back(0x02);
  out.push_back(static_cast<std::uint8_t>(v.size()));
  append(out, v);
}
}  // namespace

PkeyPtr make_p256_key() { return PkeyPtr(EVP_EC_gen("P-256")); }

Bytes public_bit_string(EVP_PKEY* key) {
  std::uint8_t point[133];
  std::size_t len = 0;
  EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof point, &len);
  Bytes out(3 + len);
  out[0] = 0x03;
  out[1] = static_cast<std::uint8_t>(len + 1);
  std::copy(point, point + len, out.begin() + 3);
  return out;
}

FakeChip::FakeChip() {
  objects[0xE0C2] = from_hex(uid_hex);
  objects[0xE0C6] = from_hex("06 15");
  objects[0xE0C0] = {0x07};
  objects[0xF1C0] = {0x01};
  objects[0xE0C5] = {0x03};
}

Bytes FakeChip::bit_string_of(std::uint16_t key_oid) const { return public_bit_string(keys.at(key_oid).get()); }

Bytes FakeChip::fail(std::uint8_t code) {
  last_error = std::max(last_error, code);
  return from_hex("ff 00 00 00");
}

Bytes FakeChip::ok(ByteView data) {
  Bytes out{0x00, 0x00};
  put_u16(out, static_cast<std::uint16_t>(data.size()));
  append(out, data);
  return out;
}

void FakeChip::reset() {
  ++resets;
  open = false;
}

Bytes FakeChip::transceive(ByteView apdu) {
  sent.emplace_back(apdu.begin(), apdu.end());
  if (garble_next) {
    garble_next = false;
    return from_hex("00 00 00 09");
  }
  const std::uint8_t cmd = apdu[0] & 0x7F, param = apdu[1];
  const ByteView in = apdu.subspan(4);
  // The last-error read must come without the clear bit, or it would read 0.
  if (apdu[0] & 0x80) last_error = 0;
  if (cmd == 0x70) {
    open = true;
    return ok();
  }
  if (!open) return fail(0x0C);
  const std::uint16_t oid = get_u16(in, 0);
  switch (cmd) {
    case 0x01: {
      if (oid == 0xF1C2) {
        const std::uint8_t e = last_error;
        last_error = 0;
        return ok(Bytes{e});
      }
      auto it = objects.find(oid);
      if (it == objects.end()) return fail(0x01);
      const std::size_t offset = get_u16(in, 2), len = get_u16(in, 4);
      if (offset >= it->second.size() && offset > 0) return fail(0x08);
      const std::size_t n = std::min(len, it->second.size() - offset);
      return ok(ByteView(it->second).subspan(offset, n));
    }
    case 0x02: {
      if (write_protected.count(oid)) return fail(0x07);
      const std::size_t offset = get_u16(in, 2);
      Bytes& obj = objects[oid];
      if (param == 0x40) obj.clear();
      if (obj.size() < offset + in.size() - 4) obj.resize(offset + in.size() - 4);
      std::copy(in.begin() + 4, in.end(), obj.begin() + static_cast<std::ptrdiff_t>(offset));
      return ok();
    }
    case 0x0C: {
      Bytes r(get_u16(in, 0));
      for (std::size_t i = 0; i < r.size(); ++i) r[i] = static_cast<std::uint8_t>(i);
      return ok(r);
    }
    case 0x38: {
      const auto t = tlvs(in);
      const std::uint16_t key_oid = get_u16(t.at(0x01), 0);
      if (param != 0x03) return fail(0x03);
      keys.insert_or_assign(key_oid, make_p256_key());
      Bytes out{0x02};
      const Bytes bits = bit_string_of(key_oid);
      put_u16(out, static_cast<std::uint16_t>(bits.size()));
      append(out, bits);
      return ok(out);
    }
    case 0x31: {
      const auto t = tlvs(in);
      const std::uint16_t key_oid = get_u16(t.at(0x03), 0);
      auto it = keys.find(key_oid);
      if (it == keys.end()) return fail(0x07);
      PkeyCtxPtr ctx(EVP_PKEY_CTX_new(it->second.get(), nullptr));
      const Bytes& digest = t.at(0x01);
      std::uint8_t der[80];
      std::size_t der_len = sizeof der;
      EVP_PKEY_sign_init(ctx.get());
      EVP_PKEY_sign(ctx.get(), der, &der_len, digest.data(), digest.size());
      // DER SEQUENCE of two INTEGERs (short lengths for P-256) -> the chip's bare INTEGERs.
      std::size_t pos = 2;
      Bytes out;
      for (int i = 0; i < 2; ++i) {
        const std::size_t len = der[pos + 1];
        put_integer(out, ByteView(der + pos + 2, len), non_minimal_integers);
        pos += 2 + len;
      }
      if (corrupt_signatures) out.back() ^= 0x01;
      return ok(out);
    }
    case 0x32: {
      const auto t = tlvs(in);
      const PkeyPtr pub = key_from_bit_string(t.at(0x06));
      const Bytes& sig = t.at(0x02);
      Bytes der{0x30, static_cast<std::uint8_t>(sig.size())};
      append(der, sig);
      PkeyCtxPtr ctx(EVP_PKEY_CTX_new(pub.get(), nullptr));
      EVP_PKEY_verify_init(ctx.get());
      const Bytes& digest = t.at(0x01);
      if (EVP_PKEY_verify(ctx.get(), der.data(), der.size(), digest.data(), digest.size()) != 1) return fail(0x2C);
      return ok();
    }
    case 0x33: {
      const auto t = tlvs(in);
      auto it = keys.find(get_u16(t.at(0x01), 0));
      if (it == keys.end()) return fail(0x07);
      const PkeyPtr peer = key_from_bit_string(t.at(0x06));
      PkeyCtxPtr ctx(EVP_PKEY_CTX_new(it->second.get(), nullptr));
      std::uint8_t secret[66];
      std::size_t len = sizeof secret;
      if (!peer || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer.get()) != 1 ||
          EVP_PKEY_derive(ctx.get(), secret, &len) != 1)
        return fail(0x05);
      return ok(ByteView(secret, len));
    }
    default:
      return fail(0x0A);
  }
}

}  // namespace optiga::test
