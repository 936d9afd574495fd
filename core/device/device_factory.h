// Assembling a Device on an opened transport: transport → IFX I2C stack → Device, with the
// chip's lock file. Choosing and opening the transport for a device string is the runtime's job
// (runtime/open_chip.h), so core knows only the transport interface, never hal or the emulator.
#pragma once

#include <filesystem>
#include <memory>

#include "core/config/device_spec.h"
#include "core/device/device.h"
#include "core/proto/i2c_transport.h"
#include "core/proto/ifx_i2c_stack.h"

namespace optiga::device {

// Owns the transport and the stack that runs on it (the stack keeps a reference to the transport,
// so both live and die together).
class TransportChannel final : public proto::ApduChannel {
 public:
  explicit TransportChannel(std::unique_ptr<hal::I2cTransport> transport, proto::IfxI2cOptions options = {});
  Bytes transceive(ByteView apdu) override { return stack_.transceive(apdu); }
  void reset() override { stack_.reset(); }
  void resynchronise() override { stack_.resynchronise(); }
  std::optional<proto::LinkState> export_link_state() const override { return stack_.export_link_state(); }
  void adopt_link_state(const proto::LinkState& state) override { stack_.adopt_link_state(state); }
  void set_model(chip::Model model) override { stack_.set_model(model); }
  hal::I2cTransport& transport() { return *transport_; }
  proto::IfxI2cStack& stack() { return stack_; }

 private:
  std::unique_ptr<hal::I2cTransport> transport_;
  proto::IfxI2cStack stack_;
};

// The per-chip lock file shared by every process using that chip: next to an emulator's state
// file or socket ("<path>.bus.lock"), under /run/lock (else the temp dir) for hardware. Empty for an in-memory chip,
// which no other process can see.
std::filesystem::path default_lock_path(const config::DeviceSpec& spec);

// A Device on `transport`, which reaches the chip `spec` names (the spec gives the lock file).
std::unique_ptr<Device> make_device(const config::DeviceSpec& spec,
                                    std::unique_ptr<hal::I2cTransport> transport);

}  // namespace optiga::device
