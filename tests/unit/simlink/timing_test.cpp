// Modelled bus time (docs/emulator-timing.md): 9 bit times per byte including the address byte,
// plus one for START and one for STOP, rounded up to whole microseconds per transaction.
#include <gtest/gtest.h>

#include "hal/sim/bus_timing.h"
#include "tests/unit/simlink/sim_test_support.h"

namespace optiga::sim::test {
namespace {

std::uint64_t expected_us(std::uint64_t bytes, unsigned khz) { return ((9 * (bytes + 1) + 2) * 1000 + khz - 1) / khz; }

// The OpenApplication exchange of spec §5.8, at the given SCL.
SimCounters run(unsigned khz, std::uint64_t& elapsed) {
  SimOptions opts;
  opts.timing.scl_khz = khz;
  Rig rig(opts);
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 0}; };
  const auto t0 = rig.bus->clock().now_us();
  rig.write_frame(from_hex("03 00 15 00 70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C 04 1A"));  // [80] + 26
  EXPECT_EQ(rig.read_frame(), from_hex("00 00 05 00 00 00 00 00 14 87"));  // [82], 4, [80], 10
  rig.write_frame(from_hex("80 00 00 0C EC"));                             // 5 + 1
  elapsed = rig.bus->clock().now_us() - t0;
  return rig.bus->counters();
}

TEST(Timing, KnownExchangeMatchesFormula) {
  for (unsigned khz : {400u, 1000u}) {
    std::uint64_t elapsed = 0;
    const SimCounters c = run(khz, elapsed);
    EXPECT_EQ(c.transactions, 6u);
    EXPECT_EQ(c.bytes_to_chip, 27u + 1 + 1 + 6);
    EXPECT_EQ(c.bytes_from_chip, 4u + 10);
    EXPECT_EQ(c.frames_to_chip, 2u);
    EXPECT_EQ(c.frames_from_chip, 1u);
    const std::uint64_t want = expected_us(27, khz) + expected_us(1, khz) + expected_us(4, khz) +
                               expected_us(1, khz) + expected_us(10, khz) + expected_us(6, khz);
    EXPECT_EQ(c.bus_time_us, want) << khz;
    EXPECT_EQ(elapsed, want) << khz;
  }
  std::uint64_t slow = 0, fast = 0;
  run(400, slow);
  run(1000, fast);
  EXPECT_EQ(slow, 1269u);  // 635+50+118+50+253+163 at 2.5 us per bit
  EXPECT_EQ(fast, 507u);   // 254+20+47+20+101+65 at 1 us per bit
  EXPECT_LT(fast, slow);
}

TEST(Timing, BitrateChangeAndNackCost) {
  Rig rig;
  EXPECT_TRUE(rig.bus->set_bitrate_khz(1000));
  EXPECT_FALSE(rig.bus->set_bitrate_khz(0));
  EXPECT_EQ(rig.bus->bitrate_khz(), 1000u);
  rig.bus->hardware_reset();
  const auto t0 = rig.bus->clock().now_us();
  EXPECT_EQ(rig.bus->write(Bytes{0x82}), hal::I2cStatus::nack);
  EXPECT_EQ(rig.bus->clock().now_us() - t0, bus_time_us(0, 1000));
  rig.bus->reset_counters();
  EXPECT_EQ(rig.bus->counters(), SimCounters{});
}

TEST(Timing, LatencyOffMeansImmediateResponse) {
  SimOptions opts;
  opts.timing.chip_latency = false;
  Rig rig(opts);
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 500'000}; };
  rig.write_frame(host_frame(0x03, from_hex("00 81 00 00 00")));
  EXPECT_EQ(rig.state(), from_hex("48 80 00 0A"));
}

}  // namespace
}  // namespace optiga::sim::test
