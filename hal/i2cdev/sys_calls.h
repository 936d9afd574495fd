// The Linux system calls the i2c-dev transport makes, behind an interface so tests can replace
// the kernel with a scripted fake. Results follow the kernel convention: >= 0 on success,
// -errno on failure (so fakes need not touch errno).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "core/util/bytes.h"

namespace optiga::hal::i2cdev {

class SysCalls {
 public:
  virtual ~SysCalls() = default;
  virtual int open(const std::string& path, int flags) = 0;
  virtual int ioctl(int fd, unsigned long request, unsigned long arg) = 0;
  virtual long read(int fd, std::span<std::uint8_t> buffer) = 0;
  virtual long write(int fd, ByteView data) = 0;
  virtual int close(int fd) = 0;
  // Names in a directory (no "." / ".."); empty if it cannot be read. Used to list /dev/i2c-*.
  virtual std::vector<std::string> list_dir(const std::string& path) = 0;
  // A small text file (sysfs attribute), or nullopt if it cannot be read.
  virtual std::optional<std::string> read_text(const std::string& path) = 0;
};

// The real kernel. Stateless, so one shared instance is enough.
SysCalls& linux_sys_calls();

// Closes the descriptor through the same SysCalls that opened it.
class FileDescriptor {
 public:
  FileDescriptor(SysCalls& sys, int fd) : sys_(&sys), fd_(fd) {}
  FileDescriptor(FileDescriptor&& other) noexcept : sys_(other.sys_), fd_(std::exchange(other.fd_, -1)) {}
  FileDescriptor& operator=(FileDescriptor&&) = delete;
  FileDescriptor(const FileDescriptor&) = delete;
  ~FileDescriptor() {
    if (fd_ >= 0) sys_->close(fd_);
  }
  int get() const { return fd_; }

 private:
  SysCalls* sys_;
  int fd_;
};

}  // namespace optiga::hal::i2cdev
