#include "hal/i2cdev/i2cdev_transport.h"

#include <gtest/gtest.h>

#include <cerrno>

#include "core/util/error.h"
#include "fake_sys_calls.h"

namespace optiga::hal::i2cdev {
namespace {

using test::FakeSysCalls;

// Records the level changes of the reset line with the modelled time they happened at.
struct RecordingGpio final : GpioChips {
  struct Event {
    std::uint64_t at_us;
    bool high;
  };
  struct Line final : OutputLine {
    RecordingGpio& owner;
    explicit Line(RecordingGpio& o) : owner(o) {}
    void set(bool high) override { owner.events.push_back({owner.clock.now_us(), high}); }
  };
  explicit RecordingGpio(Clock& c) : clock(c) {}
  std::unique_ptr<OutputLine> request_output(const config::GpioLine& line, bool initial_high,
                                             const std::string& consumer) override {
    requested = line.chip + ":" + std::to_string(line.line) + " " + consumer + (initial_high ? " high" : " low");
    return std::make_unique<Line>(*this);
  }
  Clock& clock;
  std::string requested;
  std::vector<Event> events;
};

struct I2cDevTest : ::testing::Test {
  FakeSysCalls sys;
  VirtualClock clock;
  RecordingGpio gpio{clock};

  std::string open_error(const I2cDevOptions& options) {
    try {
      I2cDevTransport transport(options, sys, gpio, &clock);
    } catch (const Error& e) {
      return e.what();
    }
    return "";
  }
};

TEST_F(I2cDevTest, RegisterReadIsOpenBindWriteRead) {
  sys.register_value = {0x08, 0x80, 0x00, 0x00};
  {
    I2cDevTransport transport({"/dev/i2c-1", 0x30, {}}, sys, gpio, &clock);
    const Bytes reg{0x82};
    EXPECT_EQ(transport.write(reg), I2cStatus::ok);
    std::uint8_t state[4] = {};
    EXPECT_EQ(transport.read(state), I2cStatus::ok);
    EXPECT_EQ(to_hex(state), "08800000");
    EXPECT_EQ(transport.describe(), "0x30 on /dev/i2c-1");
    EXPECT_EQ(&transport.clock(), &clock);
  }
  EXPECT_EQ(sys.calls, (std::vector<std::string>{"open /dev/i2c-1 O_RDWR", "ioctl 7 0x0703 0x30", "write 7 82",
                                                 "read 7 4", "close 7"}));
}

TEST_F(I2cDevTest, NackErrnosMapToNackOthersToBusError) {
  I2cDevTransport transport({"/dev/i2c-1", 0x30, {}}, sys, gpio, &clock);
  const Bytes frame{0x80, 0x01, 0x02};
  for (int err : {ENXIO, EREMOTEIO, EIO}) {
    sys.write_results.push_back(-err);
    EXPECT_EQ(transport.write(frame), I2cStatus::nack) << err;
  }
  sys.write_results.push_back(-ETIMEDOUT);
  EXPECT_EQ(transport.write(frame), I2cStatus::bus_error);
  sys.write_results.push_back(2);  // short write: the transaction did not complete
  EXPECT_EQ(transport.write(frame), I2cStatus::bus_error);
  std::uint8_t buf[4];
  sys.read_errors.push_back(-EREMOTEIO);
  EXPECT_EQ(transport.read(buf), I2cStatus::nack);
  sys.read_errors.push_back(-EAGAIN);
  EXPECT_EQ(transport.read(buf), I2cStatus::bus_error);
}

TEST_F(I2cDevTest, MissingNodeListsBusesPresent) {
  sys.open_errors["/dev/i2c-7"] = ENOENT;
  sys.dev_entries = {"null", "i2c-20", "i2c-1", "i2c-x"};
  sys.files["/sys/class/i2c-adapter/i2c-1/name"] = "bcm2835 (i2c@7e804000)\n";
  sys.files["/sys/class/i2c-adapter/i2c-20/name"] = "FT260 usb-i2c bridge\n";
  EXPECT_EQ(open_error({"/dev/i2c-7", 0x30, {}}),
            "/dev/i2c-7 does not exist: enable I2C (raspi-config, or dtparam=i2c_arm=on in config.txt) and load "
            "i2c-dev (sudo modprobe i2c-dev); buses present: /dev/i2c-1 (bcm2835 (i2c@7e804000)), "
            "/dev/i2c-20 (FT260 usb-i2c bridge)");
}

TEST_F(I2cDevTest, MissingNodeWithNoBusesSaysNone) {
  sys.open_errors["/dev/i2c-1"] = ENOENT;
  EXPECT_NE(open_error({"/dev/i2c-1", 0x30, {}}).find("buses present: none"), std::string::npos);
}

TEST_F(I2cDevTest, PermissionDeniedGivesGroupAndUdevHint) {
  sys.open_errors["/dev/i2c-1"] = EACCES;
  const auto message = open_error({"/dev/i2c-1", 0x30, {}});
  EXPECT_NE(message.find("permission denied opening /dev/i2c-1"), std::string::npos) << message;
  EXPECT_NE(message.find("add yourself to group i2c"), std::string::npos) << message;
  EXPECT_NE(message.find("udev/60-optiga.rules"), std::string::npos) << message;
}

TEST_F(I2cDevTest, AddressInUseClosesTheNode) {
  sys.ioctl_error = EBUSY;
  EXPECT_EQ(open_error({"/dev/i2c-1", 0x30, {}}),
            "address 0x30 on /dev/i2c-1 is claimed by a kernel driver: unbind that driver or use another address");
  EXPECT_EQ(sys.calls.back(), "close 7");
}

TEST_F(I2cDevTest, NotAnAdapter) {
  sys.ioctl_error = ENOTTY;
  EXPECT_NE(open_error({"/dev/ttyS0", 0x30, {}}).find("/dev/ttyS0 is not an I2C adapter"), std::string::npos);
}

TEST_F(I2cDevTest, RejectsEightBitAddress) {
  EXPECT_EQ(open_error({"/dev/i2c-1", 0x90, {}}),
            "address 0x90 is not a 7-bit I2C address: use 0x08…0x77 (the OPTIGA default is 0x30)");
  EXPECT_TRUE(sys.calls.empty());
}

TEST_F(I2cDevTest, NoResetLineMeansNoHardwareReset) {
  I2cDevTransport transport({"/dev/i2c-1", 0x30, {}}, sys, gpio, &clock);
  EXPECT_FALSE(transport.hardware_reset());
  EXPECT_TRUE(gpio.events.empty());
}

TEST_F(I2cDevTest, ResetPulsesTheLineLowWithinTheChipsWindow) {
  I2cDevTransport transport({"/dev/i2c-1", 0x30, config::GpioLine{"gpiochip0", 17}}, sys, gpio, &clock);
  EXPECT_EQ(gpio.requested, "gpiochip0:17 optiga high");  // held high from open: chip running
  const auto start = clock.now_us();
  ASSERT_TRUE(transport.hardware_reset());
  ASSERT_EQ(gpio.events.size(), 2u);
  EXPECT_FALSE(gpio.events[0].high);
  EXPECT_TRUE(gpio.events[1].high);
  const auto low_us = gpio.events[1].at_us - gpio.events[0].at_us;
  EXPECT_GE(low_us, 10u);    // spec §1.5: reset detection needs >= 10 µs
  EXPECT_LE(low_us, 2000u);  // and the chip ignores pulses longer than 2.5 ms
  EXPECT_GE(clock.now_us() - gpio.events[1].at_us, 15000u);  // tSTARTUP before the next access
  EXPECT_EQ(gpio.events[0].at_us, start);
}

TEST_F(I2cDevTest, ResetLineErrorsSurfaceAtOpen) {
  struct FailingGpio final : GpioChips {
    std::unique_ptr<OutputLine> request_output(const config::GpioLine&, bool, const std::string&) override {
      throw TransportError("GPIO chip gpiochip9 not found");
    }
  } failing;
  try {
    I2cDevTransport transport({"/dev/i2c-1", 0x30, config::GpioLine{"gpiochip9", 1}}, sys, failing, &clock);
    FAIL() << "no exception";
  } catch (const TransportError& e) {
    EXPECT_EQ(std::string(e.what()), "GPIO chip gpiochip9 not found");
  }
  EXPECT_TRUE(sys.calls.empty());  // the bus was never opened
}

}  // namespace
}  // namespace optiga::hal::i2cdev
