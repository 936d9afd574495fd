#include "hal/i2cdev/i2cdev_transport.h"

#include <fcntl.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/util/error.h"
#include "hal/i2cdev/adapters.h"

namespace optiga::hal::i2cdev {
namespace {

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

[[noreturn]] void throw_open_error(SysCalls& sys, const std::string& path, int err) {
  if (err == ENOENT || err == ENODEV || err == ENXIO) {
    throw TransportError(path + " does not exist: enable I2C (raspi-config, or dtparam=i2c_arm=on in config.txt) "
                         "and load i2c-dev (sudo modprobe i2c-dev); buses present: " +
                         describe_adapters(list_i2c_adapters(sys)));
  }
  if (err == EACCES || err == EPERM) {
    throw TransportError("permission denied opening " + path +
                         ": add yourself to group i2c (sudo usermod -aG i2c $USER, then log in again), "
                         "or install udev/60-optiga.rules");
  }
  throw TransportError("cannot open " + path + ": " + std::strerror(err));
}

[[noreturn]] void throw_bind_error(const std::string& path, std::uint8_t address, int err) {
  if (err == EBUSY) {
    throw TransportError("address " + hex2(address) + " on " + path +
                         " is claimed by a kernel driver: unbind that driver or use another address");
  }
  if (err == ENOTTY || err == EINVAL) {
    throw TransportError(path + " is not an I2C adapter (I2C_SLAVE: " + std::strerror(err) +
                         "): use a /dev/i2c-N node, e.g. i2c:/dev/i2c-1");
  }
  throw TransportError("cannot select address " + hex2(address) + " on " + path + ": " + std::strerror(err));
}

FileDescriptor open_and_bind(SysCalls& sys, const I2cDevOptions& options) {
  const int fd = sys.open(options.path, O_RDWR);
  if (fd < 0) throw_open_error(sys, options.path, -fd);
  FileDescriptor node(sys, fd);  // closes the node again if binding fails
  const int r = sys.ioctl(fd, i2c_slave_request, options.address);
  if (r < 0) throw_bind_error(options.path, options.address, -r);
  return node;
}

// The config parser checks this too; the transport can also be built directly.
const I2cDevOptions& validated(const I2cDevOptions& options) {
  if (options.address > 0x7F) {
    throw UsageError("address " + hex2(options.address) +
                     " is not a 7-bit I2C address: use 0x08…0x77 (the OPTIGA default is 0x30)");
  }
  return options;
}

// Requested before the bus is opened and held (high = chip running), so a wiring error shows at
// open, not at the first recovery.
std::unique_ptr<OutputLine> request_reset_line(GpioChips& gpio, const I2cDevOptions& options) {
  if (!options.reset) return nullptr;
  return gpio.request_output(*options.reset, true, "optiga");
}

}  // namespace

I2cDevTransport::I2cDevTransport(const I2cDevOptions& options, SysCalls& sys, GpioChips& gpio, Clock* clock)
    : options_(validated(options)),
      sys_(sys),
      reset_line_(request_reset_line(gpio, options)),
      fd_(open_and_bind(sys, options)),
      clock_(clock != nullptr ? clock : &steady_clock_) {}

I2cStatus I2cDevTransport::status_from(long result, std::size_t expected) const {
  if (result >= 0) return static_cast<std::size_t>(result) == expected ? I2cStatus::ok : I2cStatus::bus_error;
  switch (-result) {
    // Adapters report an address NACK differently (i2c-bcm2835: EREMOTEIO, hid-ft260: EIO,
    // others ENXIO); the chip NACKs while busy or asleep, and the stack retries.
    case ENXIO:
    case EREMOTEIO:
    case EIO:
      return I2cStatus::nack;
    default:
      return I2cStatus::bus_error;
  }
}

I2cStatus I2cDevTransport::write(ByteView data) { return status_from(sys_.write(fd_.get(), data), data.size()); }

I2cStatus I2cDevTransport::read(std::span<std::uint8_t> out) { return status_from(sys_.read(fd_.get(), out), out.size()); }

bool I2cDevTransport::hardware_reset() {
  if (!reset_line_) return false;
  reset_line_->set(false);
  clock_->sleep_us(reset_low_us);
  reset_line_->set(true);
  clock_->sleep_us(reset_startup_us);
  return true;
}

// Reads as part of a sentence: "no OPTIGA answers at 0x30 on /dev/i2c-1".
std::string I2cDevTransport::describe() const { return hex2(options_.address) + " on " + options_.path; }

}  // namespace optiga::hal::i2cdev
