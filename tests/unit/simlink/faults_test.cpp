// Injected faults (FaultOptions) and their text form.
#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>

#include "hal/sim/fault_spec.h"
#include "tests/unit/simlink/sim_test_support.h"

namespace optiga::sim::test {
namespace {

SimOptions with_faults(const char* spec) {
  SimOptions o;
  parse_fault_spec(spec, o.faults);
  return o;
}

// Runs n command exchanges the simple way a host does (write, poll, read, ACK), ignoring errors.
void exchange_many(Rig& rig, int n) {
  unsigned frnr = 0;
  for (int i = 0; i < n; ++i) {
    const Bytes frame = host_frame(static_cast<std::uint8_t>((frnr << 2) | ((frnr + 3) & 3)), from_hex("00 81 00 00 00"));
    Bytes w{0x80};
    append(w, frame);
    rig.bus->write(w);
    rig.sleep(5'000);
    rig.bus->write(Bytes{0x82});
    Bytes state(4);
    rig.bus->read(state);
    rig.bus->write(Bytes{0x80});
    Bytes out(10);
    rig.bus->read(out);
    rig.bus->write(cat(Bytes{0x80}, host_frame(static_cast<std::uint8_t>(0x80 | frnr))));
    frnr = (frnr + 1) & 3;
  }
}

TEST(Faults, EachFaultIsCounted) {
  struct Case {
    const char* spec;
    std::uint64_t SimCounters::*counter;
  } cases[] = {
      {"corrupt_in=0.3,seed=3", &SimCounters::fault_corrupt_to_chip},
      {"corrupt_out=0.3,seed=3", &SimCounters::fault_corrupt_from_chip},
      {"drop_in=0.3,seed=3", &SimCounters::fault_drop_to_chip},
      {"drop_out=0.3,seed=3", &SimCounters::fault_drop_from_chip},
      {"nack=0.1,nack_len=3,seed=3", &SimCounters::fault_nack_bursts},
      {"busy=0.5,busy_us=1000,seed=3", &SimCounters::fault_busy},
      {"reset=0.3,seed=3", &SimCounters::fault_reset_mid_command},
  };
  for (const auto& c : cases) {
    Rig rig(with_faults(c.spec));
    exchange_many(rig, 50);
    EXPECT_GT(rig.bus->counters().*(c.counter), 0u) << c.spec;
  }
}

TEST(Faults, NackBurstNacksTheConfiguredNumberOfTransactions) {
  Rig rig(with_faults("nack=1,nack_len=4"));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(rig.bus->write(Bytes{0x82}), hal::I2cStatus::nack);
  EXPECT_EQ(rig.bus->counters().nacks, 4u);
  EXPECT_EQ(rig.bus->counters().fault_nack_bursts, 1u);
}

TEST(Faults, PowerLossOnWriteSkipsTheEngineAndResets) {
  Rig rig(with_faults("powerloss=1"));
  // A SetDataObject: never reaches the engine.
  rig.write_frame(host_frame(0x03, from_hex("00 82 00 00 05 F1 D0 00 00 AA")));
  EXPECT_TRUE(rig.log->apdus.empty());
  EXPECT_EQ(rig.log->resets, 1);
  EXPECT_EQ(rig.bus->counters().fault_power_loss, 1u);
  EXPECT_EQ(rig.bus->write(Bytes{0x82}), hal::I2cStatus::nack);  // starting up
  rig.sleep(20'000);
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));  // no response, ever
  // Other commands are not affected.
  rig.write_frame(host_frame(0x03, from_hex("00 81 00 00 00")));
  EXPECT_EQ(rig.log->apdus.size(), 1u);
}

TEST(Faults, ResetMidCommandLosesTheResponse) {
  Rig rig(with_faults("reset=1"));
  rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 10'000}; };
  rig.write_frame(host_frame(0x03, from_hex("00 81 00 00 00")));
  EXPECT_EQ(rig.state(), from_hex("C8 80 00 05"));
  rig.sleep(5'000);
  EXPECT_EQ(rig.bus->write(Bytes{0x82}), hal::I2cStatus::nack);
  rig.sleep(20'000);
  EXPECT_EQ(rig.state(), from_hex("08 80 00 00"));
  EXPECT_EQ(rig.log->resets, 1);
  EXPECT_EQ(rig.log->apdus.size(), 1u);
}

TEST(Faults, SameSeedSameFaults) {
  Rig a(with_faults("corrupt=0.2,drop=0.2,nack=0.05,seed=11"));
  Rig b(with_faults("corrupt=0.2,drop=0.2,nack=0.05,seed=11"));
  exchange_many(a, 30);
  exchange_many(b, 30);
  EXPECT_EQ(a.bus->counters(), b.bus->counters());
}

TEST(FaultSpec, ParsesAllKeys) {
  FaultOptions o;
  parse_fault_spec("corrupt=0.01, drop=0.02,nack=0.03,busy=0.001,reset=0,powerloss=0.5,seed=7", o);
  EXPECT_DOUBLE_EQ(o.corrupt_to_chip, 0.01);
  EXPECT_DOUBLE_EQ(o.corrupt_from_chip, 0.01);
  EXPECT_DOUBLE_EQ(o.drop_to_chip, 0.02);
  EXPECT_DOUBLE_EQ(o.drop_from_chip, 0.02);
  EXPECT_DOUBLE_EQ(o.nack_burst, 0.03);
  EXPECT_DOUBLE_EQ(o.busy, 0.001);
  EXPECT_DOUBLE_EQ(o.reset_mid_command, 0);
  EXPECT_DOUBLE_EQ(o.power_loss_on_write, 0.5);
  EXPECT_EQ(o.seed, 7u);
  parse_fault_spec("corrupt_in=0.1,corrupt_out=0.2,drop_in=0.3,drop_out=0.4,nack_len=2,busy_us=9,sec=130", o);
  EXPECT_DOUBLE_EQ(o.corrupt_to_chip, 0.1);
  EXPECT_DOUBLE_EQ(o.corrupt_from_chip, 0.2);
  EXPECT_DOUBLE_EQ(o.drop_to_chip, 0.3);
  EXPECT_DOUBLE_EQ(o.drop_from_chip, 0.4);
  EXPECT_EQ(o.nack_burst_length, 2u);
  EXPECT_EQ(o.busy_us, 9u);
  EXPECT_EQ(o.security_event_counter, 130);
}

TEST(FaultSpec, BadKeyIsNamedAndOptionsUntouched) {
  FaultOptions o;
  try {
    parse_fault_spec("corrupt=0.5,bogus=1", o);
    FAIL() << "no exception";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("bogus"), std::string::npos);
  }
  EXPECT_DOUBLE_EQ(o.corrupt_to_chip, 0);
  EXPECT_THROW(parse_fault_spec("corrupt=2", o), std::invalid_argument);
  EXPECT_THROW(parse_fault_spec("seed=x", o), std::invalid_argument);
  EXPECT_THROW(parse_fault_spec("nack", o), std::invalid_argument);
}

TEST(FaultSpec, Environment) {
  FaultOptions o;
  ::setenv("OPTIGA_SIM_FAULTS", "drop_out=0.25,seed=3", 1);
  EXPECT_TRUE(apply_env_faults(o));
  ::unsetenv("OPTIGA_SIM_FAULTS");
  EXPECT_DOUBLE_EQ(o.drop_from_chip, 0.25);
  EXPECT_EQ(o.seed, 3u);
  EXPECT_FALSE(apply_env_faults(o));
}

}  // namespace
}  // namespace optiga::sim::test
