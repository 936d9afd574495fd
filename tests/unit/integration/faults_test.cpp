// 10,000 commands through the emulator with 1% of frames corrupted or dropped in each direction
// and NACK bursts: every result must be right and nothing may hang.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

#include "sim_fixture.h"

namespace optiga::testing {
namespace {

std::size_t env_count(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  return v ? static_cast<std::size_t>(std::strtoull(v, nullptr, 10)) : fallback;
}

TEST(Faults, TenThousandCommandsOverALossyBusGiveNoWrongResult) {
  sim::SimOptions opts = sim_options(chip::Model::trust_m_v3);
  opts.faults.corrupt_to_chip = 0.01;
  opts.faults.corrupt_from_chip = 0.01;
  opts.faults.drop_to_chip = 0.01;
  opts.faults.drop_from_chip = 0.01;
  opts.faults.nack_burst = 0.01;
  opts.faults.seed = 20261124;
  SimDevice dev(opts);
  dev->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const Bytes uid = dev->read_object(0xE0C2);
  const Bytes spki = spki_of(*dev, 0xE0F1);

  const std::size_t target = env_count("OPTIGA_FAULT_COMMANDS", 10000);
  std::size_t wrong = 0;
  Bytes last_written[12];
  auto& stack = dev.channel->stack();
  const auto start_apdus = stack.stats().apdus;
  for (std::size_t i = 0; stack.stats().apdus - start_apdus < target; ++i) {
    const auto before_us = dev.transport->clock().now_us();
    switch (i % 4) {
      case 0: {
        if (dev->read_object(0xE0C2) != uid) ++wrong;
        break;
      }
      case 1: {
        const std::uint16_t oid = static_cast<std::uint16_t>(0xF1D0 + (i / 4) % 12);
        Bytes data(1 + i % 100);
        for (std::size_t k = 0; k < data.size(); ++k) data[k] = static_cast<std::uint8_t>(i + k);
        dev->write_object(oid, data, true);
        last_written[oid - 0xF1D0] = data;
        if (dev->read_object(oid) != data) ++wrong;
        break;
      }
      case 2: {
        if (dev->random(32).size() != 32) ++wrong;
        break;
      }
      case 3: {
        Bytes digest(32, static_cast<std::uint8_t>(i));
        auto sig = dev->sign_digest(0xE0F1, digest);
        if (!openssl_verify(spki, digest, sig.der)) ++wrong;
        break;
      }
    }
    // A hang would show as modelled time running away: no operation may take a minute.
    ASSERT_LT(dev.transport->clock().now_us() - before_us, 60'000'000u) << "operation " << i << " took too long";
  }
  for (std::uint16_t k = 0; k < 12; ++k)
    if (!last_written[k].empty() && dev->read_object(static_cast<std::uint16_t>(0xF1D0 + k)) != last_written[k]) ++wrong;

  const auto& s = stack.stats();
  const auto c = dev.transport->counters();
  std::printf("commands %llu: retransmissions %llu, resyncs %llu, NAKs sent %llu / received %llu, "
              "I2C NACK retries %llu, CRC errors %llu; injected: corrupt->chip %llu, corrupt<-chip %llu, "
              "drop->chip %llu, drop<-chip %llu, NACK bursts %llu\n",
              static_cast<unsigned long long>(s.apdus - start_apdus), static_cast<unsigned long long>(s.retransmissions),
              static_cast<unsigned long long>(s.resyncs), static_cast<unsigned long long>(s.naks_sent),
              static_cast<unsigned long long>(s.naks_received), static_cast<unsigned long long>(s.i2c_nacks),
              static_cast<unsigned long long>(s.crc_errors), static_cast<unsigned long long>(c.fault_corrupt_to_chip),
              static_cast<unsigned long long>(c.fault_corrupt_from_chip),
              static_cast<unsigned long long>(c.fault_drop_to_chip),
              static_cast<unsigned long long>(c.fault_drop_from_chip),
              static_cast<unsigned long long>(c.fault_nack_bursts));
  EXPECT_EQ(wrong, 0u);
  // The faults really happened, and the stack really recovered from them.
  EXPECT_GT(c.fault_corrupt_to_chip + c.fault_corrupt_from_chip, 0u);
  EXPECT_GT(c.fault_drop_to_chip + c.fault_drop_from_chip, 0u);
  EXPECT_GT(c.fault_nack_bursts, 0u);
  EXPECT_GT(s.retransmissions, 0u);
}

TEST(Signatures, EverySignatureIsMinimalDerAndVerifies) {
  SimDevice dev(sim_options(chip::Model::trust_m_v3));
  dev->generate_key(0xE0F2, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const Bytes spki = spki_of(*dev, 0xE0F2);
  const std::size_t count = env_count("OPTIGA_SIGNATURE_COUNT", 100000);
  std::size_t bad_encoding = 0, bad_signature = 0;
  Bytes digest(32);
  for (std::size_t i = 0; i < count; ++i) {
    for (std::size_t k = 0; k < digest.size(); k += 8) {
      std::uint64_t v = (i + 1) * 0x9E3779B97F4A7C15ull + k;
      for (int b = 0; b < 8; ++b) digest[k + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
    auto sig = dev->sign_digest(0xE0F2, digest);
    if (!is_minimal_der(sig.der)) ++bad_encoding;
    if (!openssl_verify(spki, digest, sig.der)) ++bad_signature;
  }
  std::printf("%zu signatures: %zu not minimal DER, %zu not verifying\n", count, bad_encoding, bad_signature);
  EXPECT_EQ(bad_encoding, 0u);
  EXPECT_EQ(bad_signature, 0u);
}

}  // namespace
}  // namespace optiga::testing
