#include "hal/sim/fault_injector.h"

namespace optiga::sim {

bool FaultInjector::chance(double p) {
  if (p <= 0) return false;
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p;
}

bool FaultInjector::nack_transaction(bool& started) {
  started = false;
  if (burst_left_ > 0) {
    --burst_left_;
    return true;
  }
  if (options_.nack_burst_length == 0 || !chance(options_.nack_burst)) return false;
  started = true;
  burst_left_ = options_.nack_burst_length - 1;
  return true;
}

void FaultInjector::flip_bit(Bytes& data) {
  if (data.empty()) return;
  const auto bit = std::uniform_int_distribution<std::size_t>(0, data.size() * 8 - 1)(rng_);
  data[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
}

}  // namespace optiga::sim
