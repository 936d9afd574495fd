#include "core/util/clock.h"

#include <chrono>
#include <thread>

namespace optiga {

std::uint64_t SteadyClock::now_us() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(duration_cast<microseconds>(steady_clock::now().time_since_epoch()).count());
}

void SteadyClock::sleep_us(std::uint64_t us) { std::this_thread::sleep_for(std::chrono::microseconds(us)); }

void VirtualClock::sleep_us(std::uint64_t us) {
  advance_us(us);
  if (real_sleep_) std::this_thread::sleep_for(std::chrono::microseconds(us));
}

}  // namespace optiga
