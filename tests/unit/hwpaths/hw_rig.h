// The full host stack over each real hardware code path, with the emulated OPTIGA where the
// chip would be:
//   i2c-dev:  I2cDevTransport → EmulatedI2cKernel (system calls) → SimTransport → chip
//   FT260:    Ft260Transport → USB cable (HID reports) → EmulatedFt260 → SimTransport → chip
// and on top of either: IfxI2cStack → Device, exactly as device::make_device() assembles them.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "core/device/device.h"
#include "core/device/device_factory.h"
#include "hal/ft260/emulated_ft260.h"
#include "hal/i2cdev/gpio_line.h"
#include "hal/sim/sim_transport.h"
#include "emulated_i2c_kernel.h"
#include "usb_cable.h"

namespace optiga::testing {

enum class HwPath {
  i2cdev,             // soft reset through the chip's register
  i2cdev_gpio_reset,  // reset= GPIO line pulsing the chip's RST pin
  ft260,              // RST on the bridge's DIO9, frames of DATA_REG_LEN 277
  ft260_frame_55,     // the Infineon libusb build's frame size
};

std::string path_name(HwPath path);

struct RigOptions {
  chip::Model model = chip::Model::trust_m_v3;
  std::uint8_t chip_address = 0x30;  // where the emulated chip answers
  std::string node = "/dev/i2c-1";
  int open_errno = 0;                // i2c-dev: errno of open() (EACCES for the group hint)
};

// A GPIO line wired to the emulated chip's RST pin: the rising edge ends the reset pulse.
class ResetWire final : public hal::i2cdev::GpioChips {
 public:
  explicit ResetWire(hal::I2cTransport& chip) : chip_(chip) {}
  std::unique_ptr<hal::i2cdev::OutputLine> request_output(const config::GpioLine& line, bool initial_high,
                                                          const std::string& consumer) override;
  unsigned pulses = 0;
  std::optional<config::GpioLine> requested;

 private:
  hal::I2cTransport& chip_;
};

class HwRig {
 public:
  // Builds the path and opens the device (reset, link negotiation, OpenApplication); throws what
  // the transport or the stack throws.
  HwRig(HwPath path, const RigOptions& options = {});
  ~HwRig();

  device::Device& device() { return *device_; }
  proto::IfxI2cStack& stack() { return channel_->stack(); }
  std::string describe() const { return channel_->transport().describe(); }
  sim::SimTransport& chip() { return chip_; }
  // Set for the i2c-dev paths.
  EmulatedI2cKernel* kernel() { return kernel_.get(); }
  ResetWire& reset_wire() { return reset_wire_; }
  // Set for the FT260 paths.
  hal::ft260::EmulatedFt260* bridge() { return bridge_.get(); }
  UsbCable* cable() { return cable_; }

 private:
  // Declaration order is destruction order reversed: the device (and the transport it owns)
  // goes first, then the kernel or bridge it talks to, then the chip.
  sim::SimTransport chip_;
  ResetWire reset_wire_;
  std::unique_ptr<EmulatedI2cKernel> kernel_;
  std::unique_ptr<hal::ft260::EmulatedFt260> bridge_;
  UsbCable* cable_ = nullptr;                 // owned by the transport
  device::TransportChannel* channel_ = nullptr;  // owned by device_
  std::unique_ptr<device::Device> device_;
};

}  // namespace optiga::testing
