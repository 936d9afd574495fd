// The cross-process chip lock (architecture "Sharing the chip"): a fair queue (ticket order)
// across every process using one chip, plus an flock that the kernel releases when a holder dies,
// both in one lock file that also holds the shared record (core/device/shared_state.h). A waiter
// that waits longer than its time-out fails with ChipBusyError naming the holder.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>

#include "core/device/shared_state.h"
#include "core/util/error.h"

namespace optiga::device {

// Another process has held the chip for longer than this one was willing to wait.
class ChipBusyError : public TransportError {
 public:
  using TransportError::TransportError;
};

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
  static constexpr std::chrono::milliseconds default_timeout{30'000};

  // An empty path disables locking: acquire() then returns nullptr. The file is created with mode
  // 0660 (set with fchmod, whatever the umask) and keeps the group it gets from its directory.
  explicit ChipLock(std::filesystem::path path, std::chrono::milliseconds timeout = default_timeout);
  ~ChipLock();
  ChipLock(const ChipLock&) = delete;
  ChipLock& operator=(const ChipLock&) = delete;

  bool enabled() const { return !path_.empty(); }
  // Waits for this process's turn, then holds the lock; returns the shared record (nullptr when
  // disabled). Throws ChipBusyError after the time-out.
  shared::Record* acquire();
  // Releases the lock and wakes the next ticket.
  void release() noexcept;
  // flock belongs to the open file description, which a forked child shares with its parent; a
  // child must open the file again or parent and child would not exclude each other.
  void reopen();
  const std::filesystem::path& path() const { return path_; }

 private:
  struct Unmap {
    void operator()(shared::Record* r) const noexcept;
  };
  void open_file();
  // true: our turn; false: our ticket was skipped (we looked dead), take a new one.
  bool wait_turn(std::chrono::steady_clock::time_point deadline);
  std::uint32_t draw_ticket(bool fresh);
  // A fresh waiter (alive, not given up) holds a ticket after ours.
  bool fresh_waiter_behind() const;
  void give_up(std::uint32_t ticket) noexcept;
  [[noreturn]] void busy(std::uint32_t holder_pid) const;

  std::filesystem::path path_;
  std::chrono::milliseconds timeout_;
  UniqueFd fd_;
  std::unique_ptr<shared::Record, Unmap> record_;
  std::uint32_t ticket_ = 0;
  bool held_ = false;
  std::optional<std::chrono::steady_clock::time_point> last_release_;
};

}  // namespace optiga::device
