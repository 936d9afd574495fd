#include "hal/ft260/ft260_transport.h"

#include <algorithm>
#include <array>
#include <cstdio>

#include "core/util/error.h"
#include "hal/ft260/ft260_reports.h"

namespace optiga::hal::ft260 {
namespace {

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

Bytes clock_report(unsigned khz) {
  return {report_system_setting, setting_i2c_clock, static_cast<std::uint8_t>(khz & 0xFF),
          static_cast<std::uint8_t>(khz >> 8)};
}

I2cStatus status_of_error(std::uint8_t status) {
  // The chip NACKs its address while busy or asleep; the stack retries on nack.
  if (status & (status_address_nack | status_data_nack)) return I2cStatus::nack;
  return I2cStatus::bus_error;
}

}  // namespace

Ft260Transport::Ft260Transport(std::unique_ptr<UsbHidDevice> device, const Ft260Options& options, Clock* clock)
    : device_(std::move(device)), options_(options), clock_(clock != nullptr ? clock : &steady_clock_) {
  if (options_.address > 0x7F) {
    throw UsageError("address " + hex2(options_.address) +
                     " is not a 7-bit I2C address: use 0x08…0x77 (the OPTIGA default is 0x30)");
  }
  const Bytes reset{report_system_setting, setting_i2c_reset};
  if (!set_feature(reset) || !set_feature(clock_report(options_.khz))) {
    throw TransportError(device_->describe() + " does not accept I2C settings: replug the bridge");
  }
  last_activity_us_ = clock_->now_us();
}

bool Ft260Transport::set_feature(ByteView report) {
  Bytes buffer(report.begin(), report.end());
  const auto r = device_->control_transfer(hid_set_report_type, hid_set_report, feature_report_value(report[0]), 0,
                                           buffer, usb_timeout_ms);
  return r.status == UsbStatus::ok;
}

bool Ft260Transport::get_feature(std::uint8_t id, std::span<std::uint8_t> report) {
  const auto r = device_->control_transfer(hid_get_report_type, hid_get_report, feature_report_value(id), 0, report,
                                           usb_timeout_ms);
  return r.status == UsbStatus::ok && r.length >= 2 && report[0] == id;
}

I2cStatus Ft260Transport::fail(I2cStatus status) {
  const Bytes reset{report_system_setting, setting_i2c_reset};
  set_feature(reset);
  return status;
}

I2cStatus Ft260Transport::wait_controller(bool stop) {
  const auto deadline = clock_->now_us() + transfer_deadline_us;
  std::array<std::uint8_t, 5> report{};
  for (;;) {
    if (!get_feature(report_i2c_status, report)) return fail(I2cStatus::bus_error);
    const std::uint8_t status = report[1];
    // Between the reports of one transaction the bus stays ours (busy); only a STOP frees it.
    const std::uint8_t still_busy = status_controller_busy | (stop ? status_bus_busy : 0);
    if ((status & still_busy) == 0) {
      if (status & status_error_mask) return fail(status_of_error(status));
      last_activity_us_ = clock_->now_us();
      return I2cStatus::ok;
    }
    if (clock_->now_us() >= deadline) return fail(I2cStatus::bus_error);
    clock_->sleep_us(status_poll_interval_us);
  }
}

void Ft260Transport::wake_if_idle() {
  if (clock_->now_us() - last_activity_us_ < idle_wakeup_us) return;
  std::array<std::uint8_t, 5> report{};
  get_feature(report_i2c_status, report);
}

I2cStatus Ft260Transport::write(ByteView data) {
  if (data.empty()) return I2cStatus::bus_error;  // the chip has no zero-length access
  wake_if_idle();
  std::size_t offset = 0;
  while (offset < data.size()) {
    const std::size_t len = std::min(i2c_data_max, data.size() - offset);
    const bool first = offset == 0;
    const bool last = offset + len == data.size();
    const std::uint8_t id = data_report_id(len);
    Bytes report(4 + data_report_capacity(id), 0);
    report[0] = id;
    report[1] = options_.address;
    report[2] = static_cast<std::uint8_t>((first ? flag_start : flag_none) | (last ? flag_stop : flag_none));
    report[3] = static_cast<std::uint8_t>(len);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(offset), len, report.begin() + 4);
    if (device_->interrupt_out(report, usb_timeout_ms).status != UsbStatus::ok) return fail(I2cStatus::bus_error);
    // An address NACK shows after the first report; the rest must not be sent then.
    if (const auto status = wait_controller(last); status != I2cStatus::ok) return status;
    offset += len;
  }
  return I2cStatus::ok;
}

I2cStatus Ft260Transport::read(std::span<std::uint8_t> out) {
  if (out.empty() || out.size() > 0xFFFF) return I2cStatus::bus_error;
  wake_if_idle();
  // One request for the whole length (16-bit field); the bridge answers with as many IN reports
  // as needed, so a 277-byte frame is read in one transaction.
  const Bytes request{report_i2c_read_request, options_.address, flag_start_stop,
                      static_cast<std::uint8_t>(out.size() & 0xFF), static_cast<std::uint8_t>(out.size() >> 8)};
  if (device_->interrupt_out(request, usb_timeout_ms).status != UsbStatus::ok) return fail(I2cStatus::bus_error);

  const auto deadline = clock_->now_us() + transfer_deadline_us;
  std::size_t got = 0;
  std::array<std::uint8_t, report_size> in{};
  while (got < out.size()) {
    const auto r = device_->interrupt_in(in, in_report_timeout_ms);
    if (r.status == UsbStatus::timeout) {
      // No data (yet): a NACKed address never produces any, so ask the controller why.
      std::array<std::uint8_t, 5> status{};
      if (!get_feature(report_i2c_status, status)) return fail(I2cStatus::bus_error);
      if (status[1] & status_error_mask) return fail(status_of_error(status[1]));
      if (!(status[1] & status_controller_busy) || clock_->now_us() >= deadline) return fail(I2cStatus::bus_error);
      continue;
    }
    if (r.status != UsbStatus::ok || r.length < 2) return fail(I2cStatus::bus_error);
    const std::uint8_t id = in[0];
    const std::size_t len = in[1];
    if (id < report_i2c_data_first || id > report_i2c_data_last || len > data_report_capacity(id) ||
        len + 2 > r.length || len > out.size() - got) {
      return fail(I2cStatus::bus_error);
    }
    std::copy_n(in.begin() + 2, len, out.begin() + static_cast<std::ptrdiff_t>(got));
    got += len;
  }
  return wait_controller(true);
}

bool Ft260Transport::set_bitrate_khz(unsigned khz) {
  if (khz < 60 || khz > 3400) return false;  // the FT260's range
  if (!set_feature(clock_report(khz))) return false;
  options_.khz = khz;
  return true;
}

bool Ft260Transport::hardware_reset() {
  if (!options_.reset_on_dio9) return false;
  std::array<std::uint8_t, 5> gpio{};
  if (!get_feature(report_gpio, gpio)) return false;
  // Keep the other pins as they are; make GPIOF an output and pulse it low.
  gpio[4] |= gpio_f_bit;
  gpio[3] &= static_cast<std::uint8_t>(~gpio_f_bit);
  if (!set_feature(gpio)) return false;
  clock_->sleep_us(reset_low_us);
  gpio[3] |= gpio_f_bit;
  if (!set_feature(gpio)) return false;
  clock_->sleep_us(reset_startup_us);
  return true;
}

// Reads as part of a sentence: "no OPTIGA answers at 0x30 on FT260 FT4XK1PA (bus 1 device 5)".
std::string Ft260Transport::describe() const { return hex2(options_.address) + " on " + device_->describe(); }

}  // namespace optiga::hal::ft260
