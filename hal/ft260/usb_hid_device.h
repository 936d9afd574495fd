// USB access for the FT260 transport, behind interfaces so tests can put an emulated bridge
// (emulated_ft260.h) where libusb would talk to the real one.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/util/bytes.h"

namespace optiga::hal::ft260 {

enum class UsbStatus { ok, timeout, no_device, access_denied, busy, pipe, io_error };

struct UsbResult {
  UsbStatus status = UsbStatus::ok;
  std::size_t length = 0;  // bytes transferred
};

// One opened FT260 I2C interface (interface 0) with its interrupt endpoints.
class UsbHidDevice {
 public:
  virtual ~UsbHidDevice() = default;
  // A control transfer; `data` is sent (request_type bit 7 clear) or filled (bit 7 set).
  virtual UsbResult control_transfer(std::uint8_t request_type, std::uint8_t request, std::uint16_t value,
                                     std::uint16_t index, std::span<std::uint8_t> data, unsigned timeout_ms) = 0;
  virtual UsbResult interrupt_out(ByteView report, unsigned timeout_ms) = 0;
  virtual UsbResult interrupt_in(std::span<std::uint8_t> report, unsigned timeout_ms) = 0;
  // "FT260 FT4XK1PA (bus 1 device 5)"
  virtual std::string describe() const = 0;
};

// An FT260 seen on the bus, before opening it.
struct Ft260Candidate {
  int bus_number = 0;
  int device_address = 0;
  std::optional<std::string> serial;  // nullopt when it could not be read (no permission)
  bool access_denied = false;
  std::string location() const {
    return "bus " + std::to_string(bus_number) + " device " + std::to_string(device_address);
  }
};

class UsbBus {
 public:
  virtual ~UsbBus() = default;
  virtual std::vector<Ft260Candidate> list_ft260() = 0;
  // Opens, detaches the hid-ft260 kernel driver if bound, claims interface 0.
  // Throws optiga::TransportError naming the cause and the fix.
  virtual std::unique_ptr<UsbHidDevice> open(const Ft260Candidate& candidate) = 0;
};

// libusb-1.0 on this machine; owns its libusb context.
std::unique_ptr<UsbBus> make_libusb_bus();

// Picks the bridge with `serial` (empty: the first one) and opens it. Throws
// optiga::TransportError: no bridge, permission denied, serial not found (listing those found).
std::unique_ptr<UsbHidDevice> open_ft260_bridge(UsbBus& bus, const std::string& serial);

}  // namespace optiga::hal::ft260
