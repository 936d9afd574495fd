// A scripted kernel for the i2c-dev transport: records every call as text and answers from a
// script, so tests check the exact system-call sequence without an adapter.
#pragma once

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "core/util/bytes.h"
#include "hal/i2cdev/sys_calls.h"

namespace optiga::hal::test {

class FakeSysCalls final : public i2cdev::SysCalls {
 public:
  static constexpr int fd = 7;

  std::vector<std::string> calls;
  std::map<std::string, int> open_errors;  // path -> errno
  int ioctl_error = 0;                     // errno for I2C_SLAVE
  std::deque<long> write_results;          // next write() results; empty: all bytes written
  std::deque<long> read_errors;            // next read() results when negative
  Bytes register_value;                    // what read() returns
  std::vector<Bytes> writes;
  std::vector<std::string> dev_entries;    // names in /dev
  std::map<std::string, std::string> files;

  int open(const std::string& path, int flags) override;
  int ioctl(int fd, unsigned long request, unsigned long arg) override;
  long read(int fd, std::span<std::uint8_t> buffer) override;
  long write(int fd, ByteView data) override;
  int close(int fd) override;
  std::vector<std::string> list_dir(const std::string& path) override;
  std::optional<std::string> read_text(const std::string& path) override;
};

}  // namespace optiga::hal::test
