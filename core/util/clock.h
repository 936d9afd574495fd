// Time as the protocol stack sees it. Real hardware uses SteadyClock; the emulator hands the
// stack a VirtualClock, so the stack's polling and guard times advance modelled time instead of
// sleeping, and tests of a 65 ms signature take microseconds.
#pragma once

#include <atomic>
#include <cstdint>

namespace optiga {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::uint64_t now_us() = 0;
  virtual void sleep_us(std::uint64_t us) = 0;
};

class SteadyClock final : public Clock {
 public:
  std::uint64_t now_us() override;
  void sleep_us(std::uint64_t us) override;
};

// Modelled time. sleep_us() advances it; with real_sleep it also sleeps, so a user can watch the
// emulator run at the chip's real pace.
class VirtualClock final : public Clock {
 public:
  explicit VirtualClock(bool real_sleep = false) : real_sleep_(real_sleep) {}
  std::uint64_t now_us() override { return now_.load(std::memory_order_relaxed); }
  void sleep_us(std::uint64_t us) override;
  void advance_us(std::uint64_t us) { now_.fetch_add(us, std::memory_order_relaxed); }
  void set_real_sleep(bool on) { real_sleep_ = on; }
  bool real_sleep() const { return real_sleep_; }

 private:
  std::atomic<std::uint64_t> now_{0};
  bool real_sleep_;
};

}  // namespace optiga
