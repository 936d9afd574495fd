// What users see when the chip cannot be reached, through the same paths as on hardware, and the
// system-call sequence the i2c-dev path makes on a real kernel.
#include <gtest/gtest.h>

#include <cerrno>

#include "core/util/error.h"
#include "hal/i2cdev/i2cdev_transport.h"
#include "hal/sim/chip_engine.h"
#include "hw_rig.h"

namespace optiga::testing {
namespace {

std::string open_failure(HwPath path, const RigOptions& options) {
  try {
    HwRig rig(path, options);
  } catch (const TransportError& e) {
    return e.what();
  }
  return "(opened)";
}

TEST(HardwareErrors, NoAnswerAtTheAddressOnI2cDev) {
  RigOptions options;
  options.chip_address = 0x31;  // the chip is elsewhere: nothing acknowledges 0x30
  EXPECT_EQ(open_failure(HwPath::i2cdev, options), "no OPTIGA answers at 0x30 on /dev/i2c-1: 200 NACKs");
}

TEST(HardwareErrors, NoAnswerAtTheAddressWithResetLine) {
  RigOptions options;
  options.chip_address = 0x31;
  options.node = "/dev/i2c-3";
  EXPECT_EQ(open_failure(HwPath::i2cdev_gpio_reset, options), "no OPTIGA answers at 0x30 on /dev/i2c-3: 200 NACKs");
}

TEST(HardwareErrors, NoAnswerAtTheAddressOnFt260) {
  RigOptions options;
  options.chip_address = 0x31;
  EXPECT_EQ(open_failure(HwPath::ft260, options),
            "no OPTIGA answers at 0x30 on FT260 FT4XK1PA (emulated): 200 NACKs");
}

TEST(HardwareErrors, MissingNodeNamesTheBusesThatExist) {
  sim::SimOptions sim;
  sim::SimTransport chip(sim::make_chip_engine(sim), sim);
  EmulatedI2cKernel kernel(chip, "/dev/i2c-1", 0x30);
  ResetWire gpio(chip);
  hal::i2cdev::I2cDevOptions wrong;
  wrong.path = "/dev/i2c-0";  // older Raspberry Pi numbering
  try {
    hal::i2cdev::I2cDevTransport t(wrong, kernel, gpio, &chip.virtual_clock());
    FAIL() << "opened a node that does not exist";
  } catch (const TransportError& e) {
    EXPECT_EQ(std::string(e.what()),
              "/dev/i2c-0 does not exist: enable I2C (raspi-config, or dtparam=i2c_arm=on in config.txt) and load "
              "i2c-dev (sudo modprobe i2c-dev); buses present: /dev/i2c-1 (bcm2835 (i2c@7e804000))");
  }
  EXPECT_EQ(kernel.open_files(), 0u);
}

TEST(HardwareErrors, PermissionDeniedGivesTheGroupHint) {
  RigOptions options;
  options.open_errno = EACCES;
  EXPECT_EQ(open_failure(HwPath::i2cdev, options),
            "permission denied opening /dev/i2c-1: add yourself to group i2c (sudo usermod -aG i2c $USER, then log "
            "in again), or install udev/60-optiga.rules");
}

TEST(I2cDevSystemCalls, OpenBindThenWholeTransactionsThenClose) {
  std::vector<std::string> calls;
  {
    HwRig rig(HwPath::i2cdev);
    const EmulatedI2cKernel& kernel = *rig.kernel();
    ASSERT_GE(kernel.calls().size(), 4u);
    EXPECT_EQ(kernel.calls()[0], "open /dev/i2c-1 O_RDWR = 3");
    EXPECT_EQ(kernel.calls()[1], "ioctl 3 I2C_SLAVE 0x30 = 0");
    EXPECT_EQ(kernel.open_files(), 1u);
    EXPECT_TRUE(kernel.violations().empty()) << kernel.violations().front();
    calls = kernel.calls();
  }
  // Every transfer is a read() or write() on the bound descriptor; nothing is opened twice.
  for (std::size_t i = 2; i < calls.size(); ++i) {
    EXPECT_TRUE(calls[i].starts_with("read 3 [") || calls[i].starts_with("write 3 [")) << calls[i];
  }
}

TEST(I2cDevSystemCalls, DeviceClosesTheNodeWhenDestroyed) {
  sim::SimOptions sim;
  sim::SimTransport chip(sim::make_chip_engine(sim), sim);
  EmulatedI2cKernel kernel(chip, "/dev/i2c-1", 0x30);
  ResetWire gpio(chip);
  {
    hal::i2cdev::I2cDevOptions o;
    auto t = std::make_unique<hal::i2cdev::I2cDevTransport>(o, kernel, gpio, &chip.virtual_clock());
    device::Device dev(std::make_unique<device::TransportChannel>(std::move(t)));
    dev.open();
    EXPECT_EQ(kernel.open_files(), 1u);
  }
  EXPECT_EQ(kernel.open_files(), 0u);
  EXPECT_EQ(kernel.calls().back(), "close 3 = 0");
  EXPECT_TRUE(kernel.violations().empty());
}

TEST(I2cDevSystemCalls, ResetLineIsPulsedOnOpen) {
  HwRig rig(HwPath::i2cdev_gpio_reset);
  ASSERT_TRUE(rig.reset_wire().requested.has_value());
  EXPECT_EQ(rig.reset_wire().requested->line, 17u);
  EXPECT_GE(rig.reset_wire().pulses, 1u);
  EXPECT_GT(rig.chip().counters().resets, 0u);
}

// The fake kernel's own checks: what it flags a real kernel would do differently.
TEST(EmulatedI2cKernel, FlagsTransfersBeforeI2cSlaveAndSplitFrames) {
  sim::SimOptions sim;
  sim::SimTransport chip(sim::make_chip_engine(sim), sim);
  EmulatedI2cKernel kernel(chip, "/dev/i2c-1", 0x30);
  const int fd = kernel.open("/dev/i2c-1", 0);  // O_RDONLY
  ASSERT_GE(fd, 3);
  std::uint8_t state[4];
  EXPECT_LT(kernel.read(fd, state), 0);
  ASSERT_EQ(kernel.ioctl(fd, hal::i2cdev::i2c_slave_request, 0x30), 0);
  const Bytes half_frame{0x80, 0x00, 0x00, 0x10, 0x01, 0x02};  // LEN 16, but 2 bytes of it
  kernel.write(fd, half_frame);
  EXPECT_EQ(kernel.ioctl(fd, hal::i2cdev::i2c_slave_request, 0x130), -EINVAL);
  ASSERT_EQ(kernel.violations().size(), 3u);
  EXPECT_NE(kernel.violations()[0].find("EBADF"), std::string::npos) << kernel.violations()[0];
  EXPECT_NE(kernel.violations()[1].find("before ioctl(I2C_SLAVE)"), std::string::npos) << kernel.violations()[1];
  EXPECT_NE(kernel.violations()[2].find("frame with LEN 16"), std::string::npos) << kernel.violations()[2];
  EXPECT_EQ(kernel.close(fd), 0);
}

}  // namespace
}  // namespace optiga::testing
