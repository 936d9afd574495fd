#include <dirent.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <memory>
#include <sstream>

#include "hal/i2cdev/sys_calls.h"

namespace optiga::hal::i2cdev {
namespace {

long result_or_errno(long r) { return r < 0 ? -errno : r; }

class LinuxSysCalls final : public SysCalls {
 public:
  int open(const std::string& path, int flags) override {
    return static_cast<int>(result_or_errno(::open(path.c_str(), flags | O_CLOEXEC)));
  }
  int ioctl(int fd, unsigned long request, unsigned long arg) override {
    return static_cast<int>(result_or_errno(::ioctl(fd, request, arg)));
  }
  long read(int fd, std::span<std::uint8_t> buffer) override {
    return result_or_errno(::read(fd, buffer.data(), buffer.size()));
  }
  long write(int fd, ByteView data) override { return result_or_errno(::write(fd, data.data(), data.size())); }
  int close(int fd) override { return static_cast<int>(result_or_errno(::close(fd))); }

  std::vector<std::string> list_dir(const std::string& path) override {
    std::vector<std::string> names;
    std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir(path.c_str()), ::closedir);
    if (!dir) return names;
    while (const dirent* entry = ::readdir(dir.get())) {
      const std::string name = entry->d_name;
      if (name != "." && name != "..") names.push_back(name);
    }
    return names;
  }

  std::optional<std::string> read_text(const std::string& path) override {
    std::ifstream in(path);
    if (!in) return std::nullopt;
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }
};

}  // namespace

SysCalls& linux_sys_calls() {
  static LinuxSysCalls instance;  // stateless: safe to share between transports and threads
  return instance;
}

}  // namespace optiga::hal::i2cdev
