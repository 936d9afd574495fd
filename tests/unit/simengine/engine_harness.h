// Drives a ChipEngine with raw APDUs (no link layer) and checks signatures with OpenSSL.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/chip/ids.h"
#include "core/util/bytes.h"
#include "hal/sim/chip_engine.h"

namespace optiga::sim::test {

struct Response {
  std::uint8_t sta = 0xFF;
  Bytes data;
  std::uint64_t latency_us = 0;
  bool ok() const { return sta == 0x00; }
};

inline Bytes apdu(std::uint8_t cmd, std::uint8_t param, ByteView data) {
  Bytes a{cmd, param};
  put_u16(a, static_cast<std::uint16_t>(data.size()));
  append(a, data);
  return a;
}

inline SimOptions options(chip::Model model, std::string state_path = {}) {
  SimOptions o;
  o.model = model;
  o.state_path = std::move(state_path);
  o.timing.chip_latency = false;
  return o;
}

class Harness {
 public:
  explicit Harness(const SimOptions& opts, bool open = true) : engine_(std::make_unique<ChipEngine>(opts)) {
    if (open) {
      EXPECT_TRUE(open_application().ok());
    }
  }
  ChipEngine& engine() { return *engine_; }

  Response raw(ByteView bytes) {
    const ApduResult r = engine_->execute(bytes, now_us_);
    now_us_ += r.latency_us + 1'000;
    Response out;
    EXPECT_GE(r.response.size(), 4u);
    out.sta = r.response.at(0);
    const std::size_t len = get_u16(r.response, 2);
    EXPECT_EQ(len + 4, r.response.size());
    out.data.assign(r.response.begin() + 4, r.response.end());
    if (out.sta != 0) {
      EXPECT_EQ(len, 0u) << "error responses carry no data";
    }
    out.latency_us = r.latency_us;
    return out;
  }
  Response run(std::uint8_t cmd, std::uint8_t param, ByteView data) { return raw(apdu(cmd, param, data)); }
  Response run_hex(const std::string& hex) { return raw(from_hex(hex)); }

  // The Infineon hosts open with the clear-error bit (0xF0); clear_error = false sends 0x70.
  Response open_application(bool clear_error = true) {
    return run(clear_error ? 0xF0 : 0x70, 0x00, ByteView(chip::application_id, sizeof chip::application_id));
  }
  // The host's error flow (spec §5.2): GetDataObject 0xF1C2 without the clear bit.
  std::uint8_t last_error() {
    const Response r = run_hex("01 00 00 06 F1 C2 00 00 00 01");
    EXPECT_TRUE(r.ok());
    return r.data.empty() ? 0xEE : r.data[0];
  }
  // Runs a command that must fail and returns the code the chip reports for it.
  std::uint8_t error_of(std::uint8_t cmd, std::uint8_t param, ByteView data) {
    const Response r = run(cmd, param, data);
    EXPECT_FALSE(r.ok());
    return last_error();
  }
  Response read(std::uint16_t oid, std::uint16_t offset = 0, std::uint16_t len = 0xFFFF) {
    Bytes d;
    put_u16(d, oid);
    put_u16(d, offset);
    put_u16(d, len);
    return run(0x81, 0x00, d);
  }
  Response read_metadata(std::uint16_t oid) {
    Bytes d;
    put_u16(d, oid);
    return run(0x81, 0x01, d);
  }
  Response write(std::uint16_t oid, ByteView data, std::uint16_t offset = 0, std::uint8_t param = 0x00) {
    Bytes d;
    put_u16(d, oid);
    put_u16(d, offset);
    append(d, data);
    return run(0x82, param, d);
  }
  Response write_metadata(std::uint16_t oid, const std::string& tlv_hex) {
    return write(oid, from_hex(tlv_hex), 0, 0x01);
  }
  Response gen_key(std::uint16_t oid, std::uint8_t alg, std::uint8_t usage) {
    Bytes d{0x01, 0x00, 0x02};
    put_u16(d, oid);
    append(d, Bytes{0x02, 0x00, 0x01, usage});
    return run(0xB8, alg, d);
  }
  Response sign(std::uint16_t oid, ByteView digest) {
    Bytes d{0x01};
    put_u16(d, static_cast<std::uint16_t>(digest.size()));
    append(d, digest);
    append(d, Bytes{0x03, 0x00, 0x02});
    put_u16(d, oid);
    return run(0xB1, 0x11, d);
  }
  void advance_us(std::uint64_t us) { now_us_ += us; }
  std::uint64_t now_us() const { return now_us_; }

 private:
  std::unique_ptr<ChipEngine> engine_;
  std::uint64_t now_us_ = 0;
};

// Public key BIT STRING from a GenKeyPair store response `02 LL LL 03 ...`.
Bytes public_key_from_genkey(const Bytes& out);
// The chip's two INTEGERs → minimal DER ECDSA-Sig-Value; also reports whether the input had a
// redundant leading zero.
Bytes normalise_signature(ByteView chip_sig, bool* was_non_minimal = nullptr);
// Verifies a chip-encoded ECDSA signature with OpenSSL (independent of SimCrypto).
bool openssl_verify(chip::Algorithm alg, ByteView public_bitstring, ByteView digest, ByteView chip_sig);
// A unique temporary directory for state files, removed by the caller.
std::string temp_dir();

}  // namespace optiga::sim::test
