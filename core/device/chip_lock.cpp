#include "core/device/chip_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/util/error.h"

namespace optiga::device {

namespace {
constexpr std::size_t generation_size = 8;  // big-endian u64 at offset 0

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw Error(what + " " + path.string() + ": " + std::strerror(errno));
}

UniqueFd open_lock_file(const std::filesystem::path& path) {
  // 0666 (less umask): the module, the provider and tools may run as different users.
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) fail("cannot open the chip lock file", path);
  return UniqueFd(fd);
}
}  // namespace

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.release();
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

ChipLock::ChipLock(std::filesystem::path path) : path_(std::move(path)) {
  if (enabled()) fd_ = open_lock_file(path_);
}

void ChipLock::reopen() {
  if (enabled()) fd_ = open_lock_file(path_);
}

std::uint64_t ChipLock::acquire() {
  if (!enabled()) return 0;
  while (::flock(fd_.get(), LOCK_EX) != 0)
    if (errno != EINTR) fail("cannot lock", path_);
  std::uint8_t buf[generation_size] = {};
  const ssize_t n = ::pread(fd_.get(), buf, sizeof buf, 0);
  generation_ = 0;
  // A short or empty file is a fresh one: generation 0.
  if (n == static_cast<ssize_t>(sizeof buf))
    for (std::uint8_t b : buf) generation_ = (generation_ << 8) | b;
  return generation_;
}

std::uint64_t ChipLock::release() {
  if (!enabled()) return 0;
  const std::uint64_t next = generation_ + 1;
  std::uint8_t buf[generation_size];
  for (std::size_t i = 0; i < generation_size; ++i) buf[i] = static_cast<std::uint8_t>(next >> (8 * (7 - i)));
  const bool written = ::pwrite(fd_.get(), buf, sizeof buf, 0) == static_cast<ssize_t>(sizeof buf);
  ::flock(fd_.get(), LOCK_UN);
  if (!written) fail("cannot update the generation in", path_);
  return next;
}

}  // namespace optiga::device
