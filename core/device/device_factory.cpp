#include "core/device/device_factory.h"

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>
#include <system_error>

#include "core/util/error.h"

namespace optiga::device {

TransportChannel::TransportChannel(std::unique_ptr<hal::I2cTransport> transport, proto::IfxI2cOptions options)
    : transport_(std::move(transport)), stack_(*transport_, options) {}

namespace {
std::filesystem::path lock_dir() {
  // The chip users' directory (setgid, their group: docs/hardware.md) keeps lock files usable by
  // every member whoever created them.
  const std::filesystem::path shared_dir{"/run/lock/optiga"};
  if (::access(shared_dir.c_str(), W_OK) == 0) return shared_dir;
  const std::filesystem::path run_lock{"/run/lock"};
  if (::access(run_lock.c_str(), W_OK) == 0) return run_lock;
  std::error_code ec;
  auto tmp = std::filesystem::temp_directory_path(ec);
  return ec ? std::filesystem::path("/tmp") : tmp;
}

std::string sanitize(std::string s) {
  for (char& c : s)
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  return s;
}

// $OPTIGA_LOCK_TIMEOUT: seconds (fractions allowed) a process waits for the chip before it fails
// naming the holder; unset or empty = ChipLock::default_timeout.
std::chrono::milliseconds lock_timeout_from_environment() {
  const char* text = std::getenv("OPTIGA_LOCK_TIMEOUT");
  if (text == nullptr || *text == '\0') return ChipLock::default_timeout;
  char* end = nullptr;
  const double seconds = std::strtod(text, &end);
  if (end == text || *end != '\0' || !std::isfinite(seconds) || seconds <= 0 || seconds > 86400)
    throw UsageError(std::string("OPTIGA_LOCK_TIMEOUT '") + text + "': give seconds, e.g. 30 or 0.5");
  return std::chrono::milliseconds(static_cast<long long>(std::ceil(seconds * 1000)));
}

std::string hex2(unsigned v) {
  static constexpr char d[] = "0123456789abcdef";
  return {d[(v >> 4) & 0xF], d[v & 0xF]};
}
}  // namespace

std::filesystem::path default_lock_path(const config::DeviceSpec& spec) {
  switch (spec.kind) {
    // The emulator locks "<state>.lock" around each command it executes; the host's per-operation
    // lock must be a different file, or a process would wait for itself.
    case config::DeviceKind::sim:
      return spec.path.empty() ? std::filesystem::path() : std::filesystem::path(spec.path + ".bus.lock");
    case config::DeviceKind::sim_unix:
      return spec.path + ".bus.lock";
    case config::DeviceKind::i2c:
      return lock_dir() / ("optiga-" + sanitize(spec.path) + "-" + hex2(spec.address) + ".lock");
    case config::DeviceKind::ft260:
      return lock_dir() / ("optiga-ft260-" + sanitize(spec.serial.empty() ? "first" : spec.serial) + "-" +
                           hex2(spec.address) + ".lock");
  }
  return {};
}

std::unique_ptr<Device> make_device(const config::DeviceSpec& spec,
                                    std::unique_ptr<hal::I2cTransport> transport) {
  auto channel = std::make_unique<TransportChannel>(std::move(transport));
  DeviceOptions options;
  options.lock_file = default_lock_path(spec);
  options.lock_timeout = lock_timeout_from_environment();
  // Each process runs its own emulated chip over the shared state file: only objects are shared.
  options.private_link = spec.kind == config::DeviceKind::sim;
  return std::make_unique<Device>(std::move(channel), options);
}

}  // namespace optiga::device
