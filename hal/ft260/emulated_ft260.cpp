#include "hal/ft260/emulated_ft260.h"

#include <algorithm>

#include "hal/ft260/ft260_reports.h"

namespace optiga::hal::ft260 {

EmulatedFt260::EmulatedFt260(I2cTransport& target, std::uint8_t target_address, std::string serial)
    : target_(target), target_address_(target_address), serial_(std::move(serial)) {}

void EmulatedFt260::violation(std::string what) {
  violations_.push_back(std::move(what));
  status_ = status_controller_idle | status_error;
}

void EmulatedFt260::finish(I2cStatus status) {
  switch (status) {
    case I2cStatus::ok: status_ = status_controller_idle; break;
    case I2cStatus::nack: status_ = status_controller_idle | status_error | status_address_nack; break;
    case I2cStatus::bus_error: status_ = status_controller_idle | status_error | status_arbitration_lost; break;
  }
}

UsbResult EmulatedFt260::control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                                          std::uint16_t index, std::span<std::uint8_t> data, unsigned) {
  if (index != 0 || (value >> 8) != 3 || data.empty()) return {UsbStatus::pipe, 0};
  if (request_type == hid_set_report_type && request == hid_set_report && data[0] == (value & 0xFF)) {
    return set_feature(data);
  }
  if (request_type == hid_get_report_type && request == hid_get_report) {
    return get_feature(static_cast<std::uint8_t>(value & 0xFF), data);
  }
  return {UsbStatus::pipe, 0};  // a real device stalls requests it does not know
}

UsbResult EmulatedFt260::set_feature(std::span<const std::uint8_t> data) {
  if (data[0] == report_system_setting && data.size() >= 2) {
    if (data[1] == setting_i2c_reset) {
      ++i2c_resets_;
      in_write_ = false;
      pending_write_.clear();
      in_queue_.clear();
      status_ = status_controller_idle;
      return {UsbStatus::ok, data.size()};
    }
    if (data[1] == setting_i2c_clock && data.size() >= 4) {
      clock_khz_ = data[2] | (data[3] << 8);
      return {UsbStatus::ok, data.size()};
    }
  }
  if (data[0] == report_gpio && data.size() >= 5) {
    const bool was_high = gpio_[2] & gpio_f_bit;
    std::copy_n(data.begin() + 1, 4, gpio_);
    const bool output = gpio_[3] & gpio_f_bit;
    const bool high = gpio_[2] & gpio_f_bit;
    // A low-to-high edge on GPIOF (the chip's RST) ends a reset pulse.
    if (output && !was_high && high) {
      ++reset_pulses_;
      target_.hardware_reset();
    }
    return {UsbStatus::ok, data.size()};
  }
  return {UsbStatus::pipe, 0};
}

UsbResult EmulatedFt260::get_feature(std::uint8_t id, std::span<std::uint8_t> data) {
  Bytes report;
  if (id == report_i2c_status) {
    report = {report_i2c_status, status_, static_cast<std::uint8_t>(clock_khz_ & 0xFF),
              static_cast<std::uint8_t>(clock_khz_ >> 8), 0};
  } else if (id == report_gpio) {
    report = {report_gpio, gpio_[0], gpio_[1], gpio_[2], gpio_[3]};
  } else {
    return {UsbStatus::pipe, 0};
  }
  const std::size_t n = std::min(report.size(), data.size());
  std::copy_n(report.begin(), n, data.begin());
  return {UsbStatus::ok, n};
}

UsbResult EmulatedFt260::interrupt_out(ByteView report, unsigned) {
  if (report.empty() || report.size() > report_size) return {UsbStatus::io_error, 0};
  ++out_reports_;
  if (report[0] >= report_i2c_data_first && report[0] <= report_i2c_data_last) {
    handle_data_report(report);
  } else if (report[0] == report_i2c_read_request) {
    handle_read_request(report);
  } else {
    violation("unexpected output report " + to_hex(report.first(1)));
  }
  return {UsbStatus::ok, report.size()};
}

void EmulatedFt260::handle_data_report(ByteView report) {
  if (report.size() < 4) return violation("data report shorter than its header");
  const std::uint8_t address = report[1];
  const std::uint8_t flags = report[2];
  const std::size_t len = report[3];
  if (len > data_report_capacity(report[0]) || 4 + len > report.size()) {
    return violation("data report " + to_hex(report.first(1)) + " claims " + std::to_string(len) + " bytes");
  }
  if (flags & flag_start) {
    if (in_write_) return violation("START inside a transaction (the OPTIGA has no repeated start)");
    in_write_ = true;
    pending_write_.clear();
  } else if (!in_write_) {
    return violation("data report without START outside a transaction");
  }
  pending_write_.insert(pending_write_.end(), report.begin() + 4, report.begin() + 4 + static_cast<std::ptrdiff_t>(len));
  if (!(flags & flag_stop)) {
    status_ = status_controller_idle | status_bus_busy;  // the bus stays held until STOP
    return;
  }
  in_write_ = false;
  const I2cStatus result = address == target_address_ ? target_.write(pending_write_) : I2cStatus::nack;
  transactions_.push_back({true, pending_write_, result});
  finish(result);
}

void EmulatedFt260::handle_read_request(ByteView report) {
  if (report.size() < 5) return violation("read request shorter than 5 bytes");
  if (report[2] != flag_start_stop) return violation("read request without START and STOP is not modelled");
  if (in_write_) return violation("read request inside a write transaction");
  const std::size_t len = report[3] | (report[4] << 8);
  Bytes data(len);
  const I2cStatus result = report[1] == target_address_ ? target_.read(data) : I2cStatus::nack;
  if (result == I2cStatus::ok) {
    for (std::size_t offset = 0; offset < len; offset += i2c_data_max) {
      const std::size_t n = std::min(i2c_data_max, len - offset);
      Bytes in{data_report_id(n), static_cast<std::uint8_t>(n)};
      in.insert(in.end(), data.begin() + static_cast<std::ptrdiff_t>(offset),
                data.begin() + static_cast<std::ptrdiff_t>(offset + n));
      in_queue_.push_back(std::move(in));
    }
  }
  transactions_.push_back({false, result == I2cStatus::ok ? data : Bytes{}, result});
  finish(result);
}

UsbResult EmulatedFt260::interrupt_in(std::span<std::uint8_t> report, unsigned) {
  // A real bridge would block until the timeout; nothing is coming, so say so at once.
  if (in_queue_.empty()) return {UsbStatus::timeout, 0};
  const Bytes next = std::move(in_queue_.front());
  in_queue_.pop_front();
  ++in_reports_;
  const std::size_t n = std::min(next.size(), report.size());
  std::copy_n(next.begin(), n, report.begin());
  return {UsbStatus::ok, n};
}

}  // namespace optiga::hal::ft260
