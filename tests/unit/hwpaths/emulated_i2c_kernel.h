// A Linux kernel in software for the i2c-dev transport: it answers the exact open / ioctl /
// read / write / close calls I2cDevTransport makes, forwards each read() and write() as one I2C
// transaction to a chip behind it (the emulated OPTIGA), and records every call that a real
// kernel would reject or that would behave differently on a real adapter, so a passing test
// means the transport drives /dev/i2c-N the way the kernel expects.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/proto/i2c_transport.h"
#include "hal/i2cdev/sys_calls.h"

namespace optiga::testing {

class EmulatedI2cKernel final : public hal::i2cdev::SysCalls {
 public:
  // The adapter is `node` (e.g. /dev/i2c-1, named `adapter_name` in sysfs); `chip` answers at
  // `chip_address` on it, and every other address NACKs.
  EmulatedI2cKernel(hal::I2cTransport& chip, std::string node, std::uint8_t chip_address,
                    std::string adapter_name = "bcm2835 (i2c@7e804000)");

  int open(const std::string& path, int flags) override;
  int ioctl(int fd, unsigned long request, unsigned long arg) override;
  long read(int fd, std::span<std::uint8_t> buffer) override;
  long write(int fd, ByteView data) override;
  int close(int fd) override;
  std::vector<std::string> list_dir(const std::string& path) override;
  std::optional<std::string> read_text(const std::string& path) override;

  // errno for open() of the node (EACCES: the user is not in the node's group).
  int open_errno = 0;

  // Calls in order, e.g. "open /dev/i2c-1 O_RDWR = 3", "ioctl 3 I2C_SLAVE 0x30 = 0",
  // "write 3 [278] = 278"; register transfers are summarised to keep the log small.
  const std::vector<std::string>& calls() const { return calls_; }
  // Calls a real kernel would reject or execute differently; empty when the transport is right.
  const std::vector<std::string>& violations() const { return violations_; }
  std::size_t open_files() const { return files_.size(); }
  unsigned reads() const { return reads_; }
  unsigned writes() const { return writes_; }
  std::size_t largest_read() const { return largest_read_; }
  std::size_t largest_write() const { return largest_write_; }

 private:
  struct OpenFile {
    std::optional<std::uint8_t> address;  // set by ioctl(I2C_SLAVE)
  };
  // The file's bound address, or nullopt (after recording why) when the transfer cannot start.
  std::optional<std::uint8_t> transfer_target(int fd, std::size_t count, const char* what);
  long result_of(hal::I2cStatus status, std::size_t count) const;
  void check_frame_write(ByteView data);
  void log(std::string call, long result);
  void violation(std::string what) { violations_.push_back(std::move(what)); }

  hal::I2cTransport& chip_;
  std::string node_;
  std::uint8_t chip_address_;
  std::string adapter_name_;
  std::map<int, OpenFile> files_;
  int next_fd_ = 3;  // 0..2 are the process's standard streams
  std::vector<std::string> calls_;
  std::vector<std::string> violations_;
  unsigned reads_ = 0;
  unsigned writes_ = 0;
  std::size_t largest_read_ = 0;
  std::size_t largest_write_ = 0;
};

}  // namespace optiga::testing
