// The fair chip lock across real processes: ticket order, a dead holder's lock released, a
// stopped holder named in the time-out error, and the lock file's mode whatever the umask.
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "core/device/chip_lock.h"

using namespace optiga;
using device::ChipLock;

namespace {
std::filesystem::path temp_lock(const char* name) {
  auto p = std::filesystem::temp_directory_path() / (std::string("optiga-lock-") + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove(p);
  return p;
}

int wait_exit(pid_t pid) {
  int status = -1;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

// A child that takes the lock, reports through the pipe, and then does `after`.
template <class F>
pid_t holder(const std::filesystem::path& path, int pipe_w, F after) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    ChipLock lock(path);
    lock.acquire();
    const char c = 'x';
    if (::write(pipe_w, &c, 1) != 1) ::_exit(3);
    after();
    ::_exit(0);
  }
  return pid;
}

void wait_for_pipe(int pipe_r) {
  char c = 0;
  ASSERT_EQ(::read(pipe_r, &c, 1), 1);
}
}  // namespace

TEST(ChipLock, FileIsCreatedGroupReadWriteWhateverTheUmask) {
  const auto path = temp_lock("mode");
  const mode_t old = ::umask(077);
  { ChipLock lock(path); }
  ::umask(old);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0660u);
  std::filesystem::remove(path);
}

TEST(ChipLock, ADeadHoldersLockPassesToTheNextWaiter) {
  const auto path = temp_lock("dead");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = holder(path, fds[1], [] { ::pause(); });
  wait_for_pipe(fds[0]);
  ::kill(child, SIGKILL);  // dies holding the lock
  EXPECT_EQ(wait_exit(child), 100 + SIGKILL);
  ChipLock lock(path, std::chrono::milliseconds(3000));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_NE(lock.acquire(), nullptr);
  lock.release();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  ::close(fds[0]);
  ::close(fds[1]);
  std::filesystem::remove(path);
}

TEST(ChipLock, AStoppedHolderMakesWaitersFailNamingItsPid) {
  const auto path = temp_lock("stopped");
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const pid_t child = holder(path, fds[1], [] { ::raise(SIGSTOP); });
  wait_for_pipe(fds[0]);
  ChipLock lock(path, std::chrono::milliseconds(300));
  const auto start = std::chrono::steady_clock::now();
  try {
    lock.acquire();
    ADD_FAILURE() << "acquired a lock held by a stopped process";
  } catch (const device::ChipBusyError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("process " + std::to_string(child)), std::string::npos) << msg;
    EXPECT_NE(msg.find("300 ms"), std::string::npos) << msg;
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_GE(waited, std::chrono::milliseconds(300));
  EXPECT_LT(waited, std::chrono::seconds(2));
  // Once the holder goes away, the abandoned ticket does not block anyone.
  ::kill(child, SIGKILL);
  wait_exit(child);
  ChipLock again(path, std::chrono::milliseconds(2000));
  EXPECT_NE(again.acquire(), nullptr);
  again.release();
  ::close(fds[0]);
  ::close(fds[1]);
  std::filesystem::remove(path);
}

TEST(ChipLock, EqualClientsGetEqualShares) {
  const auto path = temp_lock("fair");
  constexpr int clients = 4;
  // Per-client counts, and a start flag, in memory shared with the children.
  auto* shared = static_cast<std::atomic<int>*>(
      ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(shared, MAP_FAILED);
  auto* start = &shared[clients];
  { ChipLock create(path); }
  pid_t pids[clients];
  for (int k = 0; k < clients; ++k) {
    pids[k] = ::fork();
    ASSERT_GE(pids[k], 0);
    if (pids[k] == 0) {
      ChipLock lock(path);
      while (start->load() == 0) std::this_thread::sleep_for(std::chrono::microseconds(100));
      const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
      while (std::chrono::steady_clock::now() < end) {
        lock.acquire();
        shared[k].fetch_add(1);
        // Busy for a while holding it, then straight back into the queue: with flock the
        // releasing process usually wins again.
        const auto busy_until = std::chrono::steady_clock::now() + std::chrono::microseconds(500);
        while (std::chrono::steady_clock::now() < busy_until) {
        }
        lock.release();
      }
      ::_exit(0);
    }
  }
  start->store(1);
  for (pid_t p : pids) EXPECT_EQ(wait_exit(p), 0);
  int fewest = shared[0].load(), most = shared[0].load();
  for (int k = 1; k < clients; ++k) {
    fewest = std::min(fewest, shared[k].load());
    most = std::max(most, shared[k].load());
  }
  std::printf("acquisitions per client: fewest %d, most %d\n", fewest, most);
  EXPECT_GT(fewest, 50);
  EXPECT_GE(fewest * 10, most * 8);  // fewest >= 80 % of most
  ::munmap(shared, 4096);
  std::filesystem::remove(path);
}

TEST(ChipLock, AFreshWaiterGoesBeforeBackToBackHolders) {
  // Four processes hold the lock back to back (30 ms each, straight back into the queue). A
  // process that had not held it for a while waits for the operation in progress, not for the
  // whole queue (FIFO: 3-4 holds, 90-120 ms).
  const auto path = temp_lock("fresh");
  { ChipLock create(path); }
  constexpr int busy_clients = 4;
  constexpr auto hold = std::chrono::milliseconds(30);
  auto* stop = static_cast<std::atomic<int>*>(
      ::mmap(nullptr, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0));
  ASSERT_NE(stop, MAP_FAILED);
  pid_t pids[busy_clients];
  for (auto& pid : pids) {
    pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ChipLock lock(path);
      while (stop->load() == 0) {
        lock.acquire();
        std::this_thread::sleep_for(hold);
        lock.release();
      }
      ::_exit(0);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // the queue is full
  std::vector<double> waits;
  for (int i = 0; i < 5; ++i) {
    ChipLock fresh(path);  // never held: fresh
    const auto t0 = std::chrono::steady_clock::now();
    fresh.acquire();
    waits.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    fresh.release();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  stop->store(1);
  for (pid_t p : pids) EXPECT_EQ(wait_exit(p), 0);
  std::sort(waits.begin(), waits.end());
  std::printf("fresh waiter: median wait %.1f ms, longest %.1f ms (one hold: 30 ms)\n", waits[2], waits[4]);
  EXPECT_LT(waits[2], 75.0);
  ::munmap(stop, 4096);
  std::filesystem::remove(path);
}

TEST(ChipLock, ForkedChildExcludesItsParentAfterReopen) {
  const auto path = temp_lock("fork");
  ChipLock lock(path, std::chrono::milliseconds(200));
  lock.acquire();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    lock.reopen();
    int status = 0;
    try {
      lock.acquire();
      status = 2;  // the parent still holds it
    } catch (const device::ChipBusyError&) {
    }
    ::_exit(status);
  }
  EXPECT_EQ(wait_exit(pid), 0);
  lock.release();
  std::filesystem::remove(path);
}
