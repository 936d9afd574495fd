// The USB link between Ft260Transport and the emulated bridge: forwards every transfer and checks
// what a real FT260 enforces on its endpoints (64-byte interrupt reports, HID feature requests on
// interface 0), so the transport cannot pass here with reports a real bridge would refuse.
#pragma once

#include <string>
#include <vector>

#include "hal/ft260/usb_hid_device.h"

namespace optiga::testing {

class UsbCable final : public hal::ft260::UsbHidDevice {
 public:
  explicit UsbCable(hal::ft260::UsbHidDevice& bridge) : bridge_(bridge) {}

  hal::ft260::UsbResult control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                                         std::uint16_t index, std::span<std::uint8_t> data,
                                         unsigned timeout_ms) override;
  hal::ft260::UsbResult interrupt_out(ByteView report, unsigned timeout_ms) override;
  hal::ft260::UsbResult interrupt_in(std::span<std::uint8_t> report, unsigned timeout_ms) override;
  std::string describe() const override { return bridge_.describe(); }

  unsigned control_transfers = 0;
  unsigned out_reports = 0;
  unsigned in_reports = 0;
  std::vector<std::string> violations;

 private:
  hal::ft260::UsbHidDevice& bridge_;
};

}  // namespace optiga::testing
