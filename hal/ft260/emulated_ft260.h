// An FT260 in software at the HID-report level: it decodes the reports the transport sends and
// plays each I2C transaction against any I2cTransport behind it (a test target, or later the
// emulated chip), so the FT260 path can be tested — and demonstrated — without a bridge.
// Only what the OPTIGA needs is modelled: one target address, START+STOP reads, no repeated start.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "hal/ft260/usb_hid_device.h"
#include "core/proto/i2c_transport.h"

namespace optiga::hal::ft260 {

class EmulatedFt260 final : public UsbHidDevice {
 public:
  struct Transaction {
    bool is_write = false;
    Bytes data;  // written bytes, or the bytes read
    I2cStatus status = I2cStatus::ok;
  };

  EmulatedFt260(I2cTransport& target, std::uint8_t target_address, std::string serial = "EMULATED");

  UsbResult control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                             std::uint16_t index, std::span<std::uint8_t> data, unsigned timeout_ms) override;
  UsbResult interrupt_out(ByteView report, unsigned timeout_ms) override;
  UsbResult interrupt_in(std::span<std::uint8_t> report, unsigned timeout_ms) override;
  std::string describe() const override { return "FT260 " + serial_ + " (emulated)"; }

  // What the host did, for tests and for the emulator's trace.
  unsigned clock_khz() const { return clock_khz_; }
  unsigned i2c_resets() const { return i2c_resets_; }
  unsigned out_reports() const { return out_reports_; }
  unsigned in_reports() const { return in_reports_; }
  unsigned reset_pulses() const { return reset_pulses_; }
  const std::vector<Transaction>& transactions() const { return transactions_; }
  const std::vector<std::string>& violations() const { return violations_; }  // malformed reports

 private:
  void finish(I2cStatus status);
  void violation(std::string what);
  UsbResult set_feature(std::span<const std::uint8_t> data);
  UsbResult get_feature(std::uint8_t id, std::span<std::uint8_t> data);
  void handle_data_report(ByteView report);
  void handle_read_request(ByteView report);

  I2cTransport& target_;
  std::uint8_t target_address_;
  std::string serial_;
  unsigned clock_khz_ = 100;
  unsigned i2c_resets_ = 0;
  unsigned out_reports_ = 0;
  unsigned in_reports_ = 0;
  unsigned reset_pulses_ = 0;
  std::uint8_t status_ = 0x20;  // controller idle
  bool in_write_ = false;
  Bytes pending_write_;
  std::deque<Bytes> in_queue_;
  std::uint8_t gpio_[4] = {0, 0, 0x20, 0};  // value, direction, ex value (GPIOF high), ex direction
  std::vector<Transaction> transactions_;
  std::vector<std::string> violations_;
};

}  // namespace optiga::hal::ft260
