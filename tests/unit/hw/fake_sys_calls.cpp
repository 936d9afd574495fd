#include "fake_sys_calls.h"

#include <fcntl.h>

#include <algorithm>
#include <cstdio>

namespace optiga::hal::test {

int FakeSysCalls::open(const std::string& path, int flags) {
  calls.push_back("open " + path + ((flags & O_ACCMODE) == O_RDWR ? " O_RDWR" : " ?"));
  if (auto it = open_errors.find(path); it != open_errors.end()) return -it->second;
  return fd;
}

int FakeSysCalls::ioctl(int f, unsigned long request, unsigned long arg) {
  char text[64];
  std::snprintf(text, sizeof text, "ioctl %d 0x%04lx 0x%02lx", f, request, arg);
  calls.push_back(text);
  return ioctl_error != 0 ? -ioctl_error : 0;
}

long FakeSysCalls::read(int f, std::span<std::uint8_t> buffer) {
  calls.push_back("read " + std::to_string(f) + " " + std::to_string(buffer.size()));
  if (!read_errors.empty()) {
    const long r = read_errors.front();
    read_errors.pop_front();
    return r;
  }
  const std::size_t n = std::min(buffer.size(), register_value.size());
  std::copy_n(register_value.begin(), n, buffer.begin());
  return static_cast<long>(n);
}

long FakeSysCalls::write(int f, ByteView data) {
  calls.push_back("write " + std::to_string(f) + " " + to_hex(data));
  writes.emplace_back(data.begin(), data.end());
  if (!write_results.empty()) {
    const long r = write_results.front();
    write_results.pop_front();
    return r;
  }
  return static_cast<long>(data.size());
}

int FakeSysCalls::close(int f) {
  calls.push_back("close " + std::to_string(f));
  return 0;
}

std::vector<std::string> FakeSysCalls::list_dir(const std::string& path) {
  return path == "/dev" ? dev_entries : std::vector<std::string>{};
}

std::optional<std::string> FakeSysCalls::read_text(const std::string& path) {
  if (auto it = files.find(path); it != files.end()) return it->second;
  return std::nullopt;
}

}  // namespace optiga::hal::test
