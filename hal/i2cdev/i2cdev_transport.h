// The chip on a Linux I2C adapter through the i2c-dev character device (spec §11): the node is
// opened once, the chip's address bound with ioctl(I2C_SLAVE), and each transaction is exactly one
// write() or read(). Works for SoC controllers (Raspberry Pi /dev/i2c-1) and for an FT260 that the
// hid-ft260 kernel driver exposes as /dev/i2c-N.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/config/device_spec.h"
#include "core/proto/i2c_transport.h"
#include "hal/i2cdev/gpio_line.h"
#include "hal/i2cdev/sys_calls.h"

namespace optiga::hal::i2cdev {

inline constexpr unsigned long i2c_slave_request = 0x0703;  // I2C_SLAVE from <linux/i2c-dev.h>

// The RST pulse of a warm reset (spec §1.5): the chip needs >= 10 µs low and detects at most
// 2500 µs; 1 ms leaves room for scheduling jitter on both sides. Then the chip needs tSTARTUP
// (15 ms Trust M, 20 ms with a pending NVM write) before its first transaction.
inline constexpr std::uint64_t reset_low_us = 1000;
inline constexpr std::uint64_t reset_startup_us = 20000;

struct I2cDevOptions {
  std::string path = "/dev/i2c-1";
  std::uint8_t address = config::default_i2c_address;
  std::optional<config::GpioLine> reset;
};

class I2cDevTransport final : public I2cTransport {
 public:
  // Opens and binds the adapter; throws optiga::TransportError whose message names the cause and
  // the fix (missing node, permission, not an adapter, address in use), optiga::UsageError for an
  // address that is not 7-bit. `clock` defaults to a SteadyClock owned by the transport.
  I2cDevTransport(const I2cDevOptions& options, SysCalls& sys, GpioChips& gpio, Clock* clock = nullptr);

  I2cStatus write(ByteView data) override;
  I2cStatus read(std::span<std::uint8_t> out) override;
  bool hardware_reset() override;
  Clock& clock() override { return *clock_; }
  std::string describe() const override;

 private:
  I2cStatus status_from(long result, std::size_t expected) const;

  I2cDevOptions options_;
  SysCalls& sys_;
  std::unique_ptr<OutputLine> reset_line_;  // null without reset=
  FileDescriptor fd_;
  SteadyClock steady_clock_;
  Clock* clock_;  // steady_clock_ or the caller's
};

}  // namespace optiga::hal::i2cdev
