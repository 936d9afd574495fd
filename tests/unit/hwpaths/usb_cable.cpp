#include "usb_cable.h"

#include "hal/ft260/ft260_reports.h"

namespace optiga::testing {

using hal::ft260::UsbResult;

UsbResult UsbCable::control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                                     std::uint16_t index, std::span<std::uint8_t> data, unsigned timeout_ms) {
  ++control_transfers;
  // Feature reports are at most 64 bytes; the I2C interface is interface 0.
  if (data.size() > hal::ft260::report_size || index != 0) {
    violations.push_back("control transfer of " + std::to_string(data.size()) + " bytes to interface " +
                         std::to_string(index));
  }
  return bridge_.control_transfer(request_type, request, value, index, data, timeout_ms);
}

UsbResult UsbCable::interrupt_out(ByteView report, unsigned timeout_ms) {
  ++out_reports;
  if (report.empty() || report.size() > hal::ft260::report_size) {
    violations.push_back("OUT report of " + std::to_string(report.size()) + " bytes");
  }
  return bridge_.interrupt_out(report, timeout_ms);
}

UsbResult UsbCable::interrupt_in(std::span<std::uint8_t> report, unsigned timeout_ms) {
  // The host must offer room for a whole 64-byte report, or libusb reports an overflow.
  if (report.size() < hal::ft260::report_size) {
    violations.push_back("IN transfer with room for " + std::to_string(report.size()) + " bytes");
  }
  const auto r = bridge_.interrupt_in(report, timeout_ms);
  if (r.status == hal::ft260::UsbStatus::ok) ++in_reports;
  return r;
}

}  // namespace optiga::testing
