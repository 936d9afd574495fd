#include "hal/open_transport.h"

#include <gtest/gtest.h>

#include "core/util/error.h"
#include "fake_sys_calls.h"
#include "fake_usb_bus.h"
#include "hal/i2cdev/gpio_line.h"

namespace optiga::hal {
namespace {

struct NoGpio final : i2cdev::GpioChips {
  std::unique_ptr<i2cdev::OutputLine> request_output(const config::GpioLine& line, bool, const std::string&) override {
    throw TransportError("asked for " + line.chip);
  }
};

TEST(OpenTransport, I2cStringOpensI2cDevAtItsAddress) {
  test::FakeSysCalls sys;
  NoGpio gpio;
  VirtualClock clock;
  auto t = open_transport(config::parse_device_string("i2c:3?addr=0x31"), {&sys, &gpio, nullptr, &clock});
  EXPECT_EQ(t->describe(), "0x31 on /dev/i2c-3");
  EXPECT_EQ(sys.calls, (std::vector<std::string>{"open /dev/i2c-3 O_RDWR", "ioctl 7 0x0703 0x31"}));
  EXPECT_EQ(&t->clock(), &clock);
}

TEST(OpenTransport, I2cResetLineIsRequested) {
  test::FakeSysCalls sys;
  NoGpio gpio;
  try {
    open_transport(config::parse_device_string("i2c:1?reset=gpiochip4:17"), {&sys, &gpio, nullptr, nullptr});
    FAIL() << "no exception";
  } catch (const TransportError& e) {
    EXPECT_EQ(std::string(e.what()), "asked for gpiochip4");
  }
}

TEST(OpenTransport, Ft260StringSelectsBridgeBySerialAndClock) {
  test::FakeUsbBus usb;
  usb.candidates = {test::FakeUsbBus::bridge(5, "AAA"), test::FakeUsbBus::bridge(6, "BBB")};
  VirtualClock clock;
  auto t = open_transport(config::parse_device_string("ft260:BBB?khz=100"), {nullptr, nullptr, &usb, &clock});
  EXPECT_EQ(t->describe(), "0x30 on FT260 BBB (emulated)");
  EXPECT_EQ(usb.opened, (std::vector<std::string>{"bus 1 device 6"}));
  usb.chip.registers[0x82] = {0x08, 0x80, 0x00, 0x00};
  const Bytes reg{0x82};
  ASSERT_EQ(t->write(reg), I2cStatus::ok);
  std::uint8_t state[4];
  ASSERT_EQ(t->read(state), I2cStatus::ok);
  EXPECT_EQ(to_hex(state), "08800000");
}

TEST(OpenTransport, Ft260ResetNoneDisablesHardwareReset) {
  test::FakeUsbBus usb;
  usb.candidates = {test::FakeUsbBus::bridge(5, "AAA")};
  VirtualClock clock;
  auto t = open_transport(config::parse_device_string("ft260:?reset=none"), {nullptr, nullptr, &usb, &clock});
  EXPECT_FALSE(t->hardware_reset());
  EXPECT_EQ(usb.chip.resets, 0u);
}

TEST(OpenTransport, EmulatorKindsNeverTouchHardware) {
  test::FakeSysCalls sys;
  test::FakeUsbBus usb;
  usb.candidates = {test::FakeUsbBus::bridge(5, "AAA")};
  const HardwareAccess access{&sys, nullptr, &usb, nullptr};
  for (const char* text : {"sim:", "sim+unix:/nonexistent/optiga-test.sock"}) {
    try {
      auto t = open_transport(config::parse_device_string(text), access);
      EXPECT_NE(t, nullptr) << text;
    } catch (const Error&) {
      // The emulator's own refusal (e.g. no socket there) is fine; reaching hardware is not.
    }
  }
  EXPECT_TRUE(sys.calls.empty());
  EXPECT_TRUE(usb.opened.empty());
}

}  // namespace
}  // namespace optiga::hal
