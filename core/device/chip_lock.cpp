// The fair chip lock. Queue: next_ticket/now_serving in the shared mapping, waiters sleep on a
// non-private futex on now_serving (keyed by file and offset, so it works across processes) and
// wake every 100 ms to check that the ticket being served still has a live owner: a dead holder
// or a waiter that gave up is skipped. The flock taken once it is our turn is the guard the kernel
// releases if a holder dies, and keeps the record consistent even if a live holder were skipped.
#include "core/device/chip_lock.h"

#include <fcntl.h>
#include <linux/futex.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <signal.h>
#include <string>
#include <thread>

namespace optiga::device {

namespace {
using Clock = std::chrono::steady_clock;
constexpr mode_t file_mode = 0660;
// How often a waiter checks that the ticket being served has a live owner.
constexpr auto liveness_check = std::chrono::milliseconds(100);
// A process that has not held the chip for this long is "fresh" (a one-shot tool, a client that
// signs now and then): back-to-back holders let it go first, so its wait is the current
// operation, not the whole queue. Back-to-back clients come back within a few ms.
constexpr auto fresh_after = std::chrono::milliseconds(20);
// How often one acquire lets fresh waiters go first: a stream of fresh waiters cannot starve a
// back-to-back client.
constexpr int max_deferrals = 3;
// A ticket drawn but not yet recorded (or overwritten by a queue longer than the ring) is given
// this long before it is treated as abandoned.
constexpr auto unrecorded_grace = std::chrono::seconds(1);

static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free);
static_assert(std::atomic_ref<std::uint32_t>::is_always_lock_free);

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
  throw TransportError(what + " " + path.string() + ": " + std::strerror(errno));
}

shared::QueueEntry make_entry(std::uint32_t ticket, std::uint32_t pid, bool fresh = false) {
  return (static_cast<std::uint64_t>(ticket) << 32) | pid | (fresh && pid ? shared::fresh_flag : 0u);
}
std::uint32_t entry_ticket(shared::QueueEntry e) { return static_cast<std::uint32_t>(e >> 32); }
std::uint32_t entry_pid(shared::QueueEntry e) { return static_cast<std::uint32_t>(e) & ~shared::fresh_flag; }
bool entry_fresh(shared::QueueEntry e) { return (static_cast<std::uint32_t>(e) & shared::fresh_flag) != 0; }

bool alive(std::uint32_t pid) { return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM; }

std::string process_name(std::uint32_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/comm");
  std::string name;
  std::getline(in, name);
  return name;
}

void futex_wait(std::uint32_t* word, std::uint32_t expected, Clock::duration max) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(max).count();
  timespec ts{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  ::syscall(SYS_futex, word, FUTEX_WAIT, expected, &ts, nullptr, 0);
}

void futex_wake_all(std::uint32_t* word) { ::syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0); }
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

void ChipLock::Unmap::operator()(shared::Record* r) const noexcept { ::munmap(r, sizeof(shared::Record)); }

ChipLock::ChipLock(std::filesystem::path path, std::chrono::milliseconds timeout)
    : path_(std::move(path)), timeout_(timeout) {
  if (enabled()) open_file();
}

ChipLock::~ChipLock() {
  if (held_) release();
}

void ChipLock::reopen() {
  held_ = false;
  record_.reset();
  fd_ = UniqueFd();
  if (enabled()) open_file();
}

void ChipLock::open_file() {
  UniqueFd fd(::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, file_mode));
  if (fd.get() < 0) fail("cannot open the chip lock file", path_);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail("cannot stat the chip lock file", path_);
  // The umask must not decide who may share the chip (docs/configuration.md): the owner sets the
  // mode; others cannot and need not.
  if (st.st_uid == ::geteuid() && (st.st_mode & 07777) != file_mode) ::fchmod(fd.get(), file_mode);

  // Growing the file is idempotent, so it needs no lock; a holder (maybe stopped) must not keep
  // anyone from opening the file.
  if (static_cast<std::size_t>(st.st_size) < sizeof(shared::Record) &&
      ::ftruncate(fd.get(), sizeof(shared::Record)) != 0)
    fail("cannot size the chip lock file", path_);
  void* p = ::mmap(nullptr, sizeof(shared::Record), PROT_READ | PROT_WRITE, MAP_SHARED, fd.get(), 0);
  if (p == MAP_FAILED) fail("cannot map the chip lock file", path_);
  std::unique_ptr<shared::Record, Unmap> record(static_cast<shared::Record*>(p));
  auto valid = [&] {
    return std::atomic_ref(record->magic).load() == shared::magic && record->version == shared::version;
  };
  if (!valid()) {
    // A new file, or one an older host wrote (a bare generation counter): initialise it under the
    // flock. Nobody can be queued on a record without our magic.
    const auto deadline = Clock::now() + timeout_;
    for (;;) {
      if (::flock(fd.get(), LOCK_EX | LOCK_NB) == 0) break;
      if (errno == EINTR) continue;
      if (errno != EWOULDBLOCK) fail("cannot lock", path_);
      if (Clock::now() >= deadline) busy(0);
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    if (!valid()) {
      std::memset(record.get(), 0, sizeof(shared::Record));
      record->version = shared::version;
      std::atomic_ref(record->magic).store(shared::magic);
    }
    ::flock(fd.get(), LOCK_UN);
  }
  fd_ = std::move(fd);
  record_ = std::move(record);
}

shared::Record* ChipLock::acquire() {
  if (!enabled()) return nullptr;
  shared::Record& r = *record_;
  const auto pid = static_cast<std::uint32_t>(::getpid());
  const auto now = Clock::now();
  const auto deadline = now + timeout_;
  const bool fresh = !last_release_ || now - *last_release_ >= fresh_after;
  for (;;) {
    ticket_ = draw_ticket(fresh);
    if (wait_turn(deadline)) break;
  }
  // Our turn: the previous holder released the flock before advancing the queue, so this only
  // waits for a process outside the queue (a dead holder's lock is released by the kernel).
  for (;;) {
    if (::flock(fd_.get(), LOCK_EX | LOCK_NB) == 0) break;
    if (errno == EINTR) continue;
    if (errno != EWOULDBLOCK) {
      give_up(ticket_);
      fail("cannot lock", path_);
    }
    if (Clock::now() >= deadline) {
      const std::uint32_t holder = r.holder_pid;
      give_up(ticket_);
      busy(holder);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  r.holder_pid = pid;
  held_ = true;
  return &r;
}

std::uint32_t ChipLock::draw_ticket(bool fresh) {
  shared::Record& r = *record_;
  const std::uint32_t ticket = std::atomic_ref(r.next_ticket).fetch_add(1);
  std::atomic_ref(r.queue[ticket % shared::queue_slots])
      .store(make_entry(ticket, static_cast<std::uint32_t>(::getpid()), fresh));
  return ticket;
}

bool ChipLock::fresh_waiter_behind() const {
  shared::Record& r = *record_;
  const std::uint32_t end = std::atomic_ref(r.next_ticket).load();
  for (std::uint32_t t = ticket_ + 1; t != end && t - ticket_ < shared::queue_slots; ++t) {
    const shared::QueueEntry e = std::atomic_ref(r.queue[t % shared::queue_slots]).load();
    if (entry_ticket(e) == t && entry_fresh(e) && entry_pid(e) != 0 && alive(entry_pid(e))) return true;
  }
  return false;
}

bool ChipLock::wait_turn(Clock::time_point deadline) {
  shared::Record& r = *record_;
  std::atomic_ref serving(r.now_serving);
  std::uint32_t unrecorded = ticket_;  // the served ticket we found without an owner, and since when
  Clock::time_point unrecorded_since{};
  int deferrals = 0;
  for (;;) {
    const std::uint32_t s = serving.load();
    if (s == ticket_) {
      // Our turn. A back-to-back holder lets fresh waiters go first: it moves to the back of the
      // queue (behind them, still ahead of anyone who comes later) and passes the turn on.
      const shared::QueueEntry mine = std::atomic_ref(r.queue[ticket_ % shared::queue_slots]).load();
      if (entry_fresh(mine) || deferrals == max_deferrals || !fresh_waiter_behind()) return true;
      ++deferrals;
      const std::uint32_t old = ticket_;
      ticket_ = draw_ticket(false);
      std::atomic_ref(r.queue[old % shared::queue_slots]).store(make_entry(old, 0));
      std::uint32_t expected = old;
      if (serving.compare_exchange_strong(expected, old + 1)) futex_wake_all(&r.now_serving);
      continue;
    }
    if (static_cast<std::int32_t>(s - ticket_) > 0) return false;  // skipped
    const auto now = Clock::now();
    const shared::QueueEntry e = std::atomic_ref(r.queue[s % shared::queue_slots]).load();
    bool gone = false;
    if (entry_ticket(e) == s) {
      const auto owner = entry_pid(e);
      gone = owner == 0 || !alive(owner);
    } else if (unrecorded != s) {
      unrecorded = s;
      unrecorded_since = now;
    } else {
      gone = now - unrecorded_since > unrecorded_grace;
    }
    if (gone) {
      std::uint32_t expected = s;
      if (serving.compare_exchange_strong(expected, s + 1)) futex_wake_all(&r.now_serving);
      continue;
    }
    if (now >= deadline) {
      give_up(ticket_);
      busy(entry_ticket(e) == s ? entry_pid(e) : r.holder_pid);
    }
    futex_wait(&r.now_serving, s, std::min<Clock::duration>(deadline - now, liveness_check));
  }
}

void ChipLock::give_up(std::uint32_t ticket) noexcept {
  shared::Record& r = *record_;
  std::atomic_ref(r.queue[ticket % shared::queue_slots]).store(make_entry(ticket, 0));
  std::uint32_t expected = ticket;
  if (std::atomic_ref(r.now_serving).compare_exchange_strong(expected, ticket + 1)) futex_wake_all(&r.now_serving);
}

void ChipLock::busy(std::uint32_t holder_pid) const {
  std::string who = "another process";
  if (holder_pid) {
    who = "process " + std::to_string(holder_pid);
    if (const std::string name = process_name(holder_pid); !name.empty()) who += " (" + name + ")";
  }
  const auto ms = timeout_.count();
  throw ChipBusyError("the OPTIGA chip is busy: " + who + " has held it for more than " +
                      (ms % 1000 ? std::to_string(ms) + " ms" : std::to_string(ms / 1000) + " s") +
                      " (lock file " + path_.string() + ")");
}

void ChipLock::release() noexcept {
  if (!enabled() || !held_) return;
  held_ = false;
  shared::Record& r = *record_;
  r.holder_pid = 0;
  last_release_ = Clock::now();
  ::flock(fd_.get(), LOCK_UN);
  std::uint32_t expected = ticket_;
  std::atomic_ref(r.now_serving).compare_exchange_strong(expected, ticket_ + 1);
  futex_wake_all(&r.now_serving);
}

}  // namespace optiga::device
