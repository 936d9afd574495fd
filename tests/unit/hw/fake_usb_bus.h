// A USB bus with scripted FT260s; opening one yields an emulated bridge (named by its serial) in
// front of a register target.
#pragma once

#include <string>
#include <vector>

#include "hal/ft260/emulated_ft260.h"
#include "hal/ft260/usb_hid_device.h"
#include "register_target.h"

namespace optiga::hal::test {

struct FakeUsbBus final : ft260::UsbBus {
  std::vector<ft260::Ft260Candidate> candidates;
  RegisterTarget chip;
  std::uint8_t chip_address = 0x30;
  std::vector<std::string> opened;

  std::vector<ft260::Ft260Candidate> list_ft260() override { return candidates; }
  std::unique_ptr<ft260::UsbHidDevice> open(const ft260::Ft260Candidate& c) override {
    opened.push_back(c.location());
    return std::make_unique<ft260::EmulatedFt260>(chip, chip_address, c.serial.value_or("?"));
  }

  static ft260::Ft260Candidate bridge(int address, std::optional<std::string> serial, bool denied = false) {
    ft260::Ft260Candidate c;
    c.bus_number = 1;
    c.device_address = address;
    c.serial = std::move(serial);
    c.access_denied = denied;
    return c;
  }
};

}  // namespace optiga::hal::test
