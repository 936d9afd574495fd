// The cross-process chip lock (architecture "Sharing the chip"): an flock on a lock file, held
// for one operation at a time, plus a generation counter in that file that every process bumps
// after its operation, so a process can tell that someone else used the chip in between.
#pragma once

#include <cstdint>
#include <filesystem>

namespace optiga::device {

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  int get() const { return fd_; }
  int release() {
    const int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_ = -1;
};

class ChipLock {
 public:
  // An empty path disables locking: acquire/release then only report generation 0.
  explicit ChipLock(std::filesystem::path path);

  bool enabled() const { return !path_.empty(); }
  // Blocks until the lock is held; returns the generation stored in the file (0 for a new file).
  std::uint64_t acquire();
  // Stores generation + 1, releases the lock and returns the stored value.
  std::uint64_t release();
  // flock belongs to the open file description, which a forked child shares with its parent; a
  // child must open the file again or parent and child would not exclude each other.
  void reopen();

 private:
  std::filesystem::path path_;
  UniqueFd fd_;
  std::uint64_t generation_ = 0;
};

}  // namespace optiga::device
