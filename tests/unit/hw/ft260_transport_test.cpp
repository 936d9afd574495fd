#include "hal/ft260/ft260_transport.h"

#include <gtest/gtest.h>

#include "core/util/error.h"
#include "hal/ft260/emulated_ft260.h"
#include "hal/ft260/ft260_reports.h"
#include "register_target.h"

namespace optiga::hal::ft260 {
namespace {

// Lets a test keep looking at the emulated bridge after the transport took ownership of it.
class SharedDevice final : public UsbHidDevice {
 public:
  explicit SharedDevice(UsbHidDevice& d) : d_(d) {}
  UsbResult control_transfer(std::uint8_t t, std::uint8_t r, std::uint16_t v, std::uint16_t i,
                             std::span<std::uint8_t> data, unsigned ms) override {
    log.push_back(to_hex(data.first(std::min<std::size_t>(data.size(), 4))));
    return d_.control_transfer(t, r, v, i, data, ms);
  }
  UsbResult interrupt_out(ByteView report, unsigned ms) override {
    out_sizes.push_back(report.size());
    out_headers.push_back(to_hex(report.first(std::min<std::size_t>(report.size(), 4))));
    return d_.interrupt_out(report, ms);
  }
  UsbResult interrupt_in(std::span<std::uint8_t> report, unsigned ms) override { return d_.interrupt_in(report, ms); }
  std::string describe() const override { return d_.describe(); }
  std::vector<std::string> log;  // first bytes of each control transfer's data
  std::vector<std::size_t> out_sizes;
  std::vector<std::string> out_headers;

 private:
  UsbHidDevice& d_;
};

struct Ft260Test : ::testing::Test {
  test::RegisterTarget chip;
  EmulatedFt260 bridge{chip, 0x30, "FT4XK1PA"};
  VirtualClock clock;
  SharedDevice* usb = nullptr;

  std::unique_ptr<Ft260Transport> open(Ft260Options options = {}) {
    auto device = std::make_unique<SharedDevice>(bridge);
    usb = device.get();
    return std::make_unique<Ft260Transport>(std::move(device), options, &clock);
  }
};

Bytes pattern(std::size_t n, std::uint8_t first) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(first + i);
  return b;
}

TEST_F(Ft260Test, OpenResetsTheControllerAndSets400KhzLittleEndian) {
  auto t = open();
  ASSERT_GE(usb->log.size(), 2u);
  EXPECT_EQ(usb->log[0], "a120");
  EXPECT_EQ(usb->log[1], "a1229001");  // 0x0190 = 400, low byte first
  EXPECT_EQ(bridge.clock_khz(), 400u);
  EXPECT_EQ(bridge.i2c_resets(), 1u);
  EXPECT_EQ(t->describe(), "0x30 on FT260 FT4XK1PA (emulated)");
}

TEST_F(Ft260Test, SetBitrateSendsClockReport) {
  auto t = open({0x30, 100, true});
  EXPECT_EQ(bridge.clock_khz(), 100u);
  EXPECT_TRUE(t->set_bitrate_khz(1000));
  EXPECT_EQ(usb->log.back(), "a122e803");
  EXPECT_EQ(bridge.clock_khz(), 1000u);
  EXPECT_FALSE(t->set_bitrate_khz(5000));  // beyond the FT260
  EXPECT_EQ(bridge.clock_khz(), 1000u);
}

TEST_F(Ft260Test, FullFrameWriteIsSplitIntoReportsOfOneTransaction) {
  auto t = open();
  Bytes frame = pattern(278, 0);
  frame[0] = 0x80;  // DATA register + a 277-byte frame
  ASSERT_EQ(t->write(frame), I2cStatus::ok);
  // 278 = 4 × 60 + 38: START on the first report, STOP on the last, nothing in between.
  ASSERT_EQ(usb->out_headers.size(), 5u);
  EXPECT_EQ(usb->out_headers[0], "de30023c");
  EXPECT_EQ(usb->out_headers[1], "de30003c");
  EXPECT_EQ(usb->out_headers[3], "de30003c");
  EXPECT_EQ(usb->out_headers[4], "d9300426");  // 38 bytes: report 0xD9 carries up to 40
  EXPECT_EQ(usb->out_sizes[0], 64u);
  EXPECT_EQ(usb->out_sizes[4], 44u);
  ASSERT_EQ(chip.writes.size(), 1u);  // the target saw exactly one transaction
  EXPECT_EQ(chip.writes[0], frame);
  EXPECT_TRUE(bridge.violations().empty());
}

TEST_F(Ft260Test, ShortWriteIsOneStartStopReport) {
  auto t = open();
  const Bytes reg{0x82};
  ASSERT_EQ(t->write(reg), I2cStatus::ok);
  ASSERT_EQ(usb->out_headers.size(), 1u);
  EXPECT_EQ(usb->out_headers[0], "d0300601");
  EXPECT_EQ(usb->out_sizes[0], 8u);
}

TEST_F(Ft260Test, FullFrameReadIsOneRequestAndSeveralInReports) {
  auto t = open();
  const Bytes frame = pattern(277, 7);
  Bytes write{0x80};
  write.insert(write.end(), frame.begin(), frame.end());
  ASSERT_EQ(t->write(write), I2cStatus::ok);
  const Bytes select{0x80};
  ASSERT_EQ(t->write(select), I2cStatus::ok);
  usb->out_headers.clear();
  Bytes out(277);
  ASSERT_EQ(t->read(out), I2cStatus::ok);
  EXPECT_EQ(out, frame);
  ASSERT_EQ(usb->out_headers.size(), 1u);
  EXPECT_EQ(usb->out_headers[0], "c2300615");  // length 0x0115 little-endian: 15 01
  EXPECT_EQ(bridge.in_reports(), 5u);          // 4 × 60 + 37
  EXPECT_EQ(chip.reads, (std::vector<std::size_t>{277}));
}

TEST_F(Ft260Test, RegisterReadThroughTheBridge) {
  auto t = open();
  chip.registers[0x82] = {0x08, 0x80, 0x00, 0x00};
  const Bytes reg{0x82};
  ASSERT_EQ(t->write(reg), I2cStatus::ok);
  std::uint8_t state[4];
  ASSERT_EQ(t->read(state), I2cStatus::ok);
  EXPECT_EQ(to_hex(state), "08800000");
}

TEST_F(Ft260Test, AddressNackIsReportedAsNackAndTheControllerReset) {
  auto t = open();
  const unsigned resets = bridge.i2c_resets();
  chip.nack_next = 1;
  const Bytes frame = pattern(100, 1);
  EXPECT_EQ(t->write(frame), I2cStatus::nack);
  EXPECT_EQ(bridge.i2c_resets(), resets + 1);
  chip.nack_next = 1;
  std::uint8_t out[4];
  EXPECT_EQ(t->read(out), I2cStatus::nack);
  EXPECT_EQ(t->write(frame), I2cStatus::ok);  // the retry goes through
  EXPECT_TRUE(bridge.violations().empty());
}

TEST_F(Ft260Test, OtherAddressIsNacked) {
  auto t = open({0x31, 400, true});
  const Bytes reg{0x82};
  EXPECT_EQ(t->write(reg), I2cStatus::nack);
}

TEST_F(Ft260Test, ResetPulsesGpioF) {
  auto t = open();
  ASSERT_TRUE(t->hardware_reset());
  EXPECT_EQ(bridge.reset_pulses(), 1u);
  EXPECT_EQ(chip.resets, 1u);
  EXPECT_GE(clock.now_us(), reset_low_us + reset_startup_us);
  // The two GPIO writes (B0 value direction ex_value …): GPIOF (bit 5 of ex_value) low, then high.
  ASSERT_GE(usb->log.size(), 2u);
  EXPECT_EQ(usb->log[usb->log.size() - 2], "b0000000");
  EXPECT_EQ(usb->log[usb->log.size() - 1], "b0000020");
}

TEST_F(Ft260Test, ResetCanBeDisabled) {
  auto t = open({0x30, 400, false});
  EXPECT_FALSE(t->hardware_reset());
  EXPECT_EQ(bridge.reset_pulses(), 0u);
}

TEST_F(Ft260Test, IdleBridgeIsWokenBeforeATransfer) {
  auto t = open();
  const auto before = usb->log.size();
  clock.advance_us(5'000'000);
  const Bytes reg{0x82};
  ASSERT_EQ(t->write(reg), I2cStatus::ok);
  // One status read to wake the bridge, then the one after the write.
  EXPECT_EQ(usb->log.size() - before, 2u);
}

}  // namespace
}  // namespace optiga::hal::ft260
