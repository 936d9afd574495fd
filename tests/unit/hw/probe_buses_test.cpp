#include "hal/probe_buses.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "fake_sys_calls.h"
#include "fake_usb_bus.h"

namespace optiga::hal {
namespace {

TEST(ProbeBuses, ListsAdaptersAndBridgesWithTheirI2cState) {
  test::FakeSysCalls sys;
  sys.dev_entries = {"i2c-3", "i2c-1", "tty0"};
  sys.files["/sys/class/i2c-adapter/i2c-1/name"] = "bcm2835 (i2c@7e804000)\n";
  sys.open_errors["/dev/i2c-3"] = EACCES;
  sys.register_value = {0x08, 0x80, 0x00, 0x00};
  test::FakeUsbBus usb;
  usb.candidates = {test::FakeUsbBus::bridge(5, "AAA"), test::FakeUsbBus::bridge(9, std::nullopt, true)};
  usb.chip.registers[0x82] = {0x48, 0x80, 0x00, 0x0A};
  VirtualClock clock;

  const auto results = probe_buses(sys, &usb, clock, 0x30);
  ASSERT_EQ(results.size(), 4u);

  EXPECT_EQ(results[0].device, "i2c:/dev/i2c-1?addr=0x30");
  EXPECT_EQ(results[0].adapter, "bcm2835 (i2c@7e804000)");
  EXPECT_TRUE(results[0].found);
  EXPECT_EQ(to_hex(results[0].i2c_state), "08800000");

  EXPECT_EQ(results[1].device, "i2c:/dev/i2c-3?addr=0x30");
  EXPECT_FALSE(results[1].found);
  EXPECT_NE(results[1].detail.find("add yourself to group i2c"), std::string::npos) << results[1].detail;

  EXPECT_EQ(results[2].device, "ft260:AAA?addr=0x30");
  EXPECT_EQ(results[2].adapter, "FT260 AAA (bus 1 device 5)");
  EXPECT_TRUE(results[2].found);
  EXPECT_EQ(to_hex(results[2].i2c_state), "4880000a");

  EXPECT_FALSE(results[3].found);
  EXPECT_NE(results[3].detail.find("permission denied"), std::string::npos);
}

TEST(ProbeBuses, SilentAddressIsReportedAfterRetries) {
  test::FakeSysCalls sys;
  sys.dev_entries = {"i2c-1"};
  for (int i = 0; i < 100; ++i) sys.write_results.push_back(-EREMOTEIO);
  VirtualClock clock;
  const auto results = probe_buses(sys, nullptr, clock, 0x30);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_FALSE(results[0].found);
  EXPECT_EQ(results[0].detail, "no answer at 0x30");
  EXPECT_GE(clock.now_us(), 99'000u);  // kept trying for ~100 ms: a sleeping chip answers late
}

TEST(ProbeBuses, LateAnswerIsFound) {
  test::FakeSysCalls sys;
  sys.dev_entries = {"i2c-1"};
  sys.write_results = {-EREMOTEIO, -EREMOTEIO, -EREMOTEIO};
  sys.register_value = {0x08, 0x80, 0x00, 0x00};
  VirtualClock clock;
  const auto results = probe_buses(sys, nullptr, clock, 0x30);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_TRUE(results[0].found);
}

}  // namespace
}  // namespace optiga::hal
