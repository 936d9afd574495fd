// The chip behind an FTDI FT260 USB-HID bridge, driven directly with HID reports over libusb
// (spec §10.1), so it works without the hid-ft260 kernel driver and on every libusb platform.
// Long writes are split into several data reports inside one I2C transaction (START on the
// first, STOP on the last), so a full 278-byte DATA write is one transaction as the chip needs.
#pragma once

#include <memory>
#include <string>

#include "core/config/device_spec.h"
#include "hal/ft260/usb_hid_device.h"
#include "core/proto/i2c_transport.h"

namespace optiga::hal::ft260 {

struct Ft260Options {
  std::uint8_t address = config::default_i2c_address;
  unsigned khz = 400;          // the chip's default mode (Sm&Fm) allows up to 400 kHz
  bool reset_on_dio9 = true;   // the OPTIGA's RST is wired to DIO9 (GPIOF) on Infineon's boards
};

// Timing of the bridge's controller as seen through the status report.
inline constexpr std::uint64_t status_poll_interval_us = 200;
inline constexpr std::uint64_t transfer_deadline_us = 1'000'000;  // 278 bytes at 30 kHz ≈ 85 ms
inline constexpr unsigned in_report_timeout_ms = 50;
// The FT260 drops to a 30 kHz internal clock after 5 s idle; one status read wakes it up.
inline constexpr std::uint64_t idle_wakeup_us = 4'800'000;
inline constexpr std::uint64_t reset_low_us = 1000;       // spec §1.5: 10 µs … 2.5 ms
inline constexpr std::uint64_t reset_startup_us = 20000;  // tSTARTUP incl. pending NVM write

class Ft260Transport final : public I2cTransport {
 public:
  // Resets the bridge's I2C controller and sets the clock; throws optiga::TransportError if the
  // bridge does not answer. `clock` defaults to a SteadyClock owned by the transport.
  Ft260Transport(std::unique_ptr<UsbHidDevice> device, const Ft260Options& options, Clock* clock = nullptr);

  I2cStatus write(ByteView data) override;
  I2cStatus read(std::span<std::uint8_t> out) override;
  bool hardware_reset() override;
  bool set_bitrate_khz(unsigned khz) override;
  Clock& clock() override { return *clock_; }
  std::string describe() const override;

 private:
  bool set_feature(ByteView report);
  bool get_feature(std::uint8_t id, std::span<std::uint8_t> report);
  // Polls 0xC0 until the controller is done; with `stop`, also until the bus is released.
  I2cStatus wait_controller(bool stop);
  I2cStatus fail(I2cStatus status);  // resets the controller after an error, like the kernel driver
  void wake_if_idle();

  std::unique_ptr<UsbHidDevice> device_;
  Ft260Options options_;
  SteadyClock steady_clock_;
  Clock* clock_;
  std::uint64_t last_activity_us_ = 0;
};

}  // namespace optiga::hal::ft260
