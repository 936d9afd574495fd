// Security monitor (spec §9.3) and command latency model (§9.2).
#include "engine_harness.h"

namespace optiga::sim::test {
namespace {

using chip::Model;

std::uint8_t sec_of(Harness& h) { return h.read(0xE0C5).data.at(0); }

TEST(SecurityMonitor, PrivateKeyUseRaisesSecAndQuietTimeLowersIt) {
  Harness h(options(Model::trust_m_v3));
  const Bytes digest(32, 1);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(h.sign(0xE0F0, digest).ok());
  EXPECT_EQ(sec_of(h), 3);
  h.advance_us(5'000'000);
  EXPECT_EQ(sec_of(h), 2);
  h.advance_us(10'000'000);
  EXPECT_EQ(sec_of(h), 0);
}

TEST(SecurityMonitor, CreditAccumulatesAtZeroAndAbsorbsEvents) {
  Harness h(options(Model::trust_m_v3));
  h.advance_us(60'000'000);  // 12 quiet periods at SEC 0: credit caps at 5
  ASSERT_EQ(sec_of(h), 0);
  const Bytes digest(32, 2);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(h.sign(0xE0F0, digest).ok());
  EXPECT_EQ(sec_of(h), 0);
  ASSERT_TRUE(h.sign(0xE0F0, digest).ok());
  EXPECT_EQ(sec_of(h), 1);
}

TEST(SecurityMonitor, SessionEcdhIsNotAnEvent) {
  Harness h(options(Model::trust_m_v3));
  const Response a = h.gen_key(0xE100, 0x03, chip::key_usage::key_agreement);
  ASSERT_TRUE(a.ok());
  Bytes d;
  put_tlv(d, 0x01, from_hex("E1 00"));
  put_tlv(d, 0x05, Bytes{0x03});
  put_tlv(d, 0x06, public_key_from_genkey(a.data));
  append(d, from_hex("07 00 00"));
  ASSERT_TRUE(h.run(0xB3, 0x01, d).ok());
  EXPECT_EQ(sec_of(h), 0);
}

TEST(SecurityMonitor, HighSecThrottlesSigning) {
  SimOptions o = options(Model::trust_m_v3);
  o.faults.security_event_counter = 200;
  Harness h(o);
  EXPECT_EQ(sec_of(h), 200);
  const Response r = h.sign(0xE0F0, Bytes(32, 3));
  ASSERT_TRUE(r.ok());
  // Linear from 128 to 255: 5 s * (200 - 127) / 128.
  EXPECT_EQ(r.latency_us, 5'000'000ull * 73 / 128);
  EXPECT_EQ(sec_of(h), 201);
  // Below 128 nothing is added.
  o.faults.security_event_counter = 127;
  Harness low(o);
  EXPECT_EQ(low.sign(0xE0F0, Bytes(32, 3)).latency_us, 0u);
  // Hibernate needs SEC 0.
  EXPECT_FALSE(h.run_hex("F1 01 00 00").ok());
  EXPECT_EQ(h.last_error(), chip::err::out_of_sequence);
}

TEST(SecurityMonitor, MonitorConfigZeroDisablesIt) {
  Harness h(options(Model::trust_m_v3));
  // 0xE0C9 is only writable while LcsO < op, which it is not; the monitor stays on.
  EXPECT_FALSE(h.write(0xE0C9, Bytes(8, 0)).ok());
  EXPECT_TRUE(h.sign(0xE0F0, Bytes(32, 4)).ok());
  EXPECT_EQ(sec_of(h), 1);
}

TEST(Latency, PerModelFiguresFromTheDatasheet) {
  for (auto [model, sign_us, keygen_us] : {std::tuple{Model::trust_m_v3, 65'000u, 55'000u},
                                           std::tuple{Model::trust_m_v1, 60'000u, 75'000u},
                                           std::tuple{Model::trust_x, 60'000u, 75'000u}}) {
    SimOptions o = options(model);
    o.timing.chip_latency = true;
    Harness h(o);
    EXPECT_EQ(h.sign(0xE0F0, Bytes(32, 5)).latency_us, sign_us);
    const Response gen = h.gen_key(0xE0F1, 0x03, chip::key_usage::sign);
    EXPECT_EQ(gen.latency_us, keygen_us);
    const Response gen384 = h.gen_key(0xE0F2, 0x04, chip::key_usage::sign);
    EXPECT_GT(gen384.latency_us, keygen_us);  // larger curves take longer
    const Response read = h.read(0xF1E0, 0, 256);
    EXPECT_LT(read.latency_us, 10'000u);  // empty object: nothing to transfer
    ASSERT_TRUE(h.write(0xF1E0, Bytes(256, 1)).ok());
    EXPECT_EQ(h.read(0xF1E0, 0, 256).latency_us, 30'000u);
  }
}

TEST(Latency, ZeroWithoutChipLatency) {
  Harness h(options(Model::trust_m_v3));
  EXPECT_EQ(h.sign(0xE0F0, Bytes(32, 6)).latency_us, 0u);
  EXPECT_EQ(h.gen_key(0xE0F1, 0x03, 0x10).latency_us, 0u);
}

}  // namespace
}  // namespace optiga::sim::test
