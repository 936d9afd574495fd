#include "core/util/error.h"
#include "hal/ft260/usb_hid_device.h"

namespace optiga::hal::ft260 {
namespace {

constexpr const char* udev_hint =
    "install the udev rule 60-optiga.rules (sudo cp udev/60-optiga.rules /etc/udev/rules.d/ && "
    "sudo udevadm control --reload && sudo udevadm trigger), add yourself to group plugdev, and replug the bridge";

[[noreturn]] void throw_permission(const Ft260Candidate& c) {
  throw TransportError("permission denied opening the FT260 at " + c.location() + ": " + udev_hint);
}

}  // namespace

std::unique_ptr<UsbHidDevice> open_ft260_bridge(UsbBus& bus, const std::string& serial) {
  const auto candidates = bus.list_ft260();
  if (candidates.empty()) {
    throw TransportError(
        "no FT260 (0403:6030) found: check the USB cable, and that the udev rule 60-optiga.rules grants access "
        "(lsusb should list 0403:6030)");
  }
  if (serial.empty()) {
    const auto& first = candidates.front();
    if (first.access_denied) throw_permission(first);
    return bus.open(first);
  }
  std::string found;
  const Ft260Candidate* unreadable = nullptr;
  for (const auto& c : candidates) {
    if (c.serial && *c.serial == serial) {
      if (c.access_denied) throw_permission(c);
      return bus.open(c);
    }
    if (!c.serial) {
      unreadable = unreadable != nullptr ? unreadable : &c;
      continue;
    }
    found += (found.empty() ? "" : ", ") + *c.serial;
  }
  if (unreadable != nullptr) {
    // The serial is a string descriptor: reading it needs the same access as using the bridge.
    throw TransportError("cannot read the serial number of the FT260 at " + unreadable->location() +
                         " (permission denied), so ft260:" + serial + " cannot be matched: " + udev_hint);
  }
  throw TransportError("no FT260 with serial number '" + serial + "'; found: " + found +
                       " (write ft260:SERIAL with one of these, or ft260: for the first)");
}

}  // namespace optiga::hal::ft260
