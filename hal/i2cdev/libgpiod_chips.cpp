#include <cerrno>
#include <cstring>

#include "core/util/error.h"
#include "hal/i2cdev/gpio_line.h"

#ifdef OPTIGA_HAVE_LIBGPIOD
#include <gpiod.h>
#endif

namespace optiga::hal::i2cdev {
namespace {

std::string line_name(const config::GpioLine& line) { return line.chip + ":" + std::to_string(line.line); }

#ifdef OPTIGA_HAVE_LIBGPIOD

struct ChipCloser {
  void operator()(gpiod_chip* chip) const { gpiod_chip_close(chip); }
};
using ChipHandle = std::unique_ptr<gpiod_chip, ChipCloser>;

// Holding the chip keeps the line requested; closing the chip releases it (libgpiod v1).
class GpiodOutputLine final : public OutputLine {
 public:
  GpiodOutputLine(ChipHandle chip, gpiod_line* line, std::string name)
      : chip_(std::move(chip)), line_(line), name_(std::move(name)) {}
  void set(bool high) override {
    if (gpiod_line_set_value(line_, high ? 1 : 0) < 0) {
      throw TransportError("cannot drive reset line " + name_ + ": " + std::strerror(errno));
    }
  }

 private:
  ChipHandle chip_;
  gpiod_line* line_;  // owned by chip_
  std::string name_;
};

class LibgpiodChips final : public GpioChips {
 public:
  std::unique_ptr<OutputLine> request_output(const config::GpioLine& spec, bool initial_high,
                                             const std::string& consumer) override {
    const std::string name = line_name(spec);
    ChipHandle chip(gpiod_chip_open_lookup(spec.chip.c_str()));
    if (!chip) {
      const int err = errno;
      if (err == EACCES || err == EPERM) {
        throw TransportError("permission denied opening GPIO chip " + spec.chip +
                             ": add yourself to group gpio (sudo usermod -aG gpio $USER) or grant it with a udev rule");
      }
      throw TransportError("GPIO chip " + spec.chip + " not found (" + std::strerror(err) +
                           "): list chips with gpiodetect and write reset=gpiochipN:LINE");
    }
    gpiod_line* line = gpiod_chip_get_line(chip.get(), spec.line);
    if (line == nullptr) {
      throw TransportError("GPIO chip " + spec.chip + " has no line " + std::to_string(spec.line) +
                           ": list lines with gpioinfo " + spec.chip);
    }
    if (gpiod_line_request_output(line, consumer.c_str(), initial_high ? 1 : 0) < 0) {
      const int err = errno;
      throw TransportError("cannot request reset line " + name + " as output (" + std::strerror(err) +
                           (err == EBUSY ? "): another program or driver holds it; see gpioinfo" : ")"));
    }
    return std::make_unique<GpiodOutputLine>(std::move(chip), line, name);
  }
};

#else

class LibgpiodChips final : public GpioChips {
 public:
  std::unique_ptr<OutputLine> request_output(const config::GpioLine& spec, bool, const std::string&) override {
    throw TransportError("reset line " + line_name(spec) +
                         " needs GPIO support, but this build has no libgpiod: install libgpiod-dev and rebuild, "
                         "or drop reset= (the soft reset is used instead)");
  }
};

#endif

}  // namespace

GpioChips& system_gpio_chips() {
  static LibgpiodChips instance;  // stateless
  return instance;
}

}  // namespace optiga::hal::i2cdev
