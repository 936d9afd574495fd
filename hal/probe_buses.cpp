#include "hal/probe_buses.h"

#include <cstdio>
#include <optional>

#include "core/util/error.h"
#include "hal/ft260/ft260_transport.h"
#include "hal/i2cdev/adapters.h"
#include "hal/i2cdev/i2cdev_transport.h"

namespace optiga::hal {
namespace {

// A sleeping chip NACKs until it has woken up (spec §1.1: up to 100 ms in the extreme case).
constexpr int max_attempts = 100;
constexpr std::uint64_t retry_us = 1000;
constexpr std::uint64_t guard_us = 50;

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

template <typename Op>
I2cStatus with_retries(Clock& clock, Op op) {
  I2cStatus status = I2cStatus::nack;
  for (int i = 0; i < max_attempts && status != I2cStatus::ok; ++i) {
    if (i > 0) clock.sleep_us(retry_us);
    status = op();
  }
  return status;
}

void read_state(I2cTransport& bus, Clock& clock, ProbeResult& result, std::uint8_t address) {
  const Bytes reg{0x82};
  Bytes state(4);
  if (with_retries(clock, [&] { return bus.write(reg); }) != I2cStatus::ok) {
    result.detail = "no answer at " + hex2(address);
    return;
  }
  clock.sleep_us(guard_us);  // the chip needs its guard time between the two transactions
  if (with_retries(clock, [&] { return bus.read(state); }) != I2cStatus::ok) {
    result.detail = "selected I2C_STATE at " + hex2(address) + " but the read was not answered";
    return;
  }
  result.found = true;
  result.i2c_state = state;
}

// No reset line is ever requested while probing.
class NoGpio final : public i2cdev::GpioChips {
 public:
  std::unique_ptr<i2cdev::OutputLine> request_output(const config::GpioLine&, bool, const std::string&) override {
    throw UsageError("probing uses no GPIO");
  }
};

}  // namespace

std::vector<ProbeResult> probe_buses(i2cdev::SysCalls& sys, ft260::UsbBus* usb, Clock& clock, std::uint8_t address) {
  std::vector<ProbeResult> results;
  NoGpio no_gpio;
  for (const auto& adapter : i2cdev::list_i2c_adapters(sys)) {
    ProbeResult r;
    r.device = "i2c:" + adapter.path + "?addr=" + hex2(address);
    r.adapter = adapter.name;
    try {
      i2cdev::I2cDevTransport bus({adapter.path, address, {}}, sys, no_gpio, &clock);
      read_state(bus, clock, r, address);
    } catch (const Error& e) {
      r.detail = e.what();
    }
    results.push_back(std::move(r));
  }
  if (usb == nullptr) return results;
  for (const auto& candidate : usb->list_ft260()) {
    ProbeResult r;
    r.device = "ft260:" + candidate.serial.value_or("") + "?addr=" + hex2(address);
    r.adapter = "FT260 " + candidate.serial.value_or("(serial unreadable)") + " (" + candidate.location() + ")";
    try {
      if (candidate.access_denied) {
        throw TransportError("permission denied: install the udev rule 60-optiga.rules and join group plugdev");
      }
      ft260::Ft260Options options;
      options.address = address;
      ft260::Ft260Transport bus(usb->open(candidate), options, &clock);
      read_state(bus, clock, r, address);
    } catch (const Error& e) {
      r.detail = e.what();
    }
    results.push_back(std::move(r));
  }
  return results;
}

std::vector<ProbeResult> probe_buses(std::uint8_t address) {
  SteadyClock clock;
  std::unique_ptr<ft260::UsbBus> usb;
  try {
    usb = ft260::make_libusb_bus();
  } catch (const Error&) {
    // No USB stack available (container, no libusb access): probe i2c-dev only.
  }
  return probe_buses(i2cdev::linux_sys_calls(), usb.get(), clock, address);
}

}  // namespace optiga::hal
