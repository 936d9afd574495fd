#include "hw_rig.h"

#include "hal/ft260/ft260_transport.h"
#include "hal/i2cdev/i2cdev_transport.h"
#include "hal/sim/chip_engine.h"

namespace optiga::testing {
namespace {

sim::SimOptions sim_options(const RigOptions& options) {
  sim::SimOptions o;
  o.model = options.model;
  return o;
}

class WiredLine final : public hal::i2cdev::OutputLine {
 public:
  WiredLine(hal::I2cTransport& chip, unsigned& pulses, bool high) : chip_(chip), pulses_(pulses), high_(high) {}
  void set(bool high) override {
    // The chip leaves reset on the rising edge of RST.
    if (!high_ && high) {
      ++pulses_;
      chip_.hardware_reset();
    }
    high_ = high;
  }

 private:
  hal::I2cTransport& chip_;
  unsigned& pulses_;
  bool high_;
};

}  // namespace

std::string path_name(HwPath path) {
  switch (path) {
    case HwPath::i2cdev: return "I2cDev";
    case HwPath::i2cdev_gpio_reset: return "I2cDevGpioReset";
    case HwPath::ft260: return "Ft260";
    case HwPath::ft260_frame_55: return "Ft260Frame55";
  }
  return "unknown";
}

std::unique_ptr<hal::i2cdev::OutputLine> ResetWire::request_output(const config::GpioLine& line, bool initial_high,
                                                                   const std::string&) {
  requested = line;
  return std::make_unique<WiredLine>(chip_, pulses, initial_high);
}

HwRig::HwRig(HwPath path, const RigOptions& options)
    : chip_(sim::make_chip_engine(sim_options(options)), sim_options(options)), reset_wire_(chip_) {
  std::unique_ptr<hal::I2cTransport> transport;
  proto::IfxI2cOptions stack_options;  // make_device()'s defaults: DATA_REG_LEN 277, 400 kHz
  switch (path) {
    case HwPath::i2cdev:
    case HwPath::i2cdev_gpio_reset: {
      kernel_ = std::make_unique<EmulatedI2cKernel>(chip_, options.node, options.chip_address);
      kernel_->open_errno = options.open_errno;
      hal::i2cdev::I2cDevOptions o;
      o.path = options.node;
      if (path == HwPath::i2cdev_gpio_reset) o.reset = config::GpioLine{"gpiochip0", 17};
      transport = std::make_unique<hal::i2cdev::I2cDevTransport>(o, *kernel_, reset_wire_, &chip_.virtual_clock());
      break;
    }
    case HwPath::ft260:
    case HwPath::ft260_frame_55: {
      bridge_ = std::make_unique<hal::ft260::EmulatedFt260>(chip_, options.chip_address, "FT4XK1PA");
      auto cable = std::make_unique<UsbCable>(*bridge_);
      cable_ = cable.get();
      transport = std::make_unique<hal::ft260::Ft260Transport>(std::move(cable), hal::ft260::Ft260Options{},
                                                               &chip_.virtual_clock());
      if (path == HwPath::ft260_frame_55) stack_options.frame_size = 55;
      break;
    }
  }
  auto channel = std::make_unique<device::TransportChannel>(std::move(transport), stack_options);
  channel_ = channel.get();
  device_ = std::make_unique<device::Device>(std::move(channel));
  device_->open();
}

HwRig::~HwRig() = default;

}  // namespace optiga::testing
