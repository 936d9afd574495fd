#include "emulated_i2c_kernel.h"

#include <fcntl.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>

#include "core/chip/wire.h"
#include "core/proto/frame_codec.h"
#include "hal/i2cdev/i2cdev_transport.h"

namespace optiga::testing {
namespace {

// drivers/i2c/i2c-dev.c: read() and write() silently clip larger counts to 8192 bytes.
constexpr std::size_t i2cdev_max_transfer = 8192;

std::string hex2(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v);
  return buf;
}

}  // namespace

EmulatedI2cKernel::EmulatedI2cKernel(hal::I2cTransport& chip, std::string node, std::uint8_t chip_address,
                                     std::string adapter_name)
    : chip_(chip), node_(std::move(node)), chip_address_(chip_address), adapter_name_(std::move(adapter_name)) {}

void EmulatedI2cKernel::log(std::string call, long result) {
  calls_.push_back(std::move(call) + " = " + std::to_string(result));
}

int EmulatedI2cKernel::open(const std::string& path, int flags) {
  const std::string call = "open " + path + ((flags & O_ACCMODE) == O_RDWR ? " O_RDWR" : " (not O_RDWR)");
  int result = 0;
  if (path != node_) {
    result = -ENOENT;
  } else if (open_errno != 0) {
    result = -open_errno;
  } else {
    // A node opened read-only accepts the ioctl but fails every write() with EBADF.
    if ((flags & O_ACCMODE) != O_RDWR) violation(call + ": writes would fail with EBADF");
    result = next_fd_++;
    files_[result] = OpenFile{};
  }
  log(call, result);
  return result;
}

int EmulatedI2cKernel::ioctl(int fd, unsigned long request, unsigned long arg) {
  const std::string call = "ioctl " + std::to_string(fd) + " " +
                           (request == hal::i2cdev::i2c_slave_request ? "I2C_SLAVE" : hex2(request)) + " " + hex2(arg);
  int result = 0;
  const auto file = files_.find(fd);
  if (file == files_.end()) {
    violation(call + ": not an open descriptor");
    result = -EBADF;
  } else if (request != hal::i2cdev::i2c_slave_request) {
    violation(call + ": unexpected request");
    result = -ENOTTY;
  } else if (arg > 0x7F) {
    result = -EINVAL;  // i2c-dev refuses 10-bit addresses without I2C_TENBIT
  } else {
    file->second.address = static_cast<std::uint8_t>(arg);
  }
  log(call, result);
  return result;
}

std::optional<std::uint8_t> EmulatedI2cKernel::transfer_target(int fd, std::size_t count, const char* what) {
  const auto file = files_.find(fd);
  if (file == files_.end()) {
    violation(std::string(what) + " on descriptor " + std::to_string(fd) + " that is not open");
    return std::nullopt;
  }
  if (!file->second.address) {
    violation(std::string(what) + " before ioctl(I2C_SLAVE): the kernel would address 0x00");
    return std::nullopt;
  }
  // The OPTIGA has no zero-length access, and a clipped transfer would split a frame.
  if (count == 0 || count > i2cdev_max_transfer) {
    violation(std::string(what) + " of " + std::to_string(count) + " bytes");
    return std::nullopt;
  }
  return file->second.address;
}

long EmulatedI2cKernel::result_of(hal::I2cStatus status, std::size_t count) const {
  switch (status) {
    case hal::I2cStatus::ok: return static_cast<long>(count);
    case hal::I2cStatus::nack: return -EREMOTEIO;  // what i2c-bcm2835 (Raspberry Pi) returns
    case hal::I2cStatus::bus_error: return -ETIMEDOUT;
  }
  return -EIO;
}

// A frame written to the DATA register must arrive whole, in one transaction: its LEN field
// says how long the write has to be.
void EmulatedI2cKernel::check_frame_write(ByteView data) {
  // A lone register address selects the register for the read() that follows.
  if (data[0] != chip::reg::data || data.size() == 1) return;
  if (data.size() < 1 + proto::frame_overhead) return violation("DATA write of " + std::to_string(data.size()) + " bytes");
  const std::size_t len = (std::size_t{data[2]} << 8) | data[3];
  if (data.size() != 1 + proto::frame_overhead + len) {
    violation("DATA write of " + std::to_string(data.size()) + " bytes for a frame with LEN " + std::to_string(len));
  }
}

long EmulatedI2cKernel::read(int fd, std::span<std::uint8_t> buffer) {
  long result = -EREMOTEIO;
  if (const auto address = transfer_target(fd, buffer.size(), "read")) {
    ++reads_;
    largest_read_ = std::max(largest_read_, buffer.size());
    result = *address == chip_address_ ? result_of(chip_.read(buffer), buffer.size()) : -EREMOTEIO;
  }
  log("read " + std::to_string(fd) + " [" + std::to_string(buffer.size()) + "]", result);
  return result;
}

long EmulatedI2cKernel::write(int fd, ByteView data) {
  long result = -EREMOTEIO;
  if (const auto address = transfer_target(fd, data.size(), "write")) {
    ++writes_;
    largest_write_ = std::max(largest_write_, data.size());
    check_frame_write(data);
    result = *address == chip_address_ ? result_of(chip_.write(data), data.size()) : -EREMOTEIO;
  }
  log("write " + std::to_string(fd) + " [" + std::to_string(data.size()) + "]", result);
  return result;
}

int EmulatedI2cKernel::close(int fd) {
  const int result = files_.erase(fd) == 1 ? 0 : -EBADF;
  if (result != 0) violation("close of descriptor " + std::to_string(fd) + " that is not open");
  log("close " + std::to_string(fd), result);
  return result;
}

std::vector<std::string> EmulatedI2cKernel::list_dir(const std::string& path) {
  if (path != "/dev") return {};
  return {"null", "gpiochip0", node_.substr(node_.rfind('/') + 1)};
}

std::optional<std::string> EmulatedI2cKernel::read_text(const std::string& path) {
  const std::string name = node_.substr(node_.rfind('/') + 1);
  if (path == "/sys/class/i2c-adapter/" + name + "/name") return adapter_name_ + "\n";
  return std::nullopt;
}

}  // namespace optiga::testing
