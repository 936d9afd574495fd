// Pseudo-random fault decisions for the emulated chip, reproducible from FaultOptions::seed.
// A probability of 0 never draws from the generator, so a fault that is off does not shift the
// pattern of the faults that are on.
#pragma once

#include <cstdint>
#include <random>

#include "core/util/bytes.h"
#include "hal/sim/sim_options.h"

namespace optiga::sim {

class FaultInjector {
 public:
  explicit FaultInjector(const FaultOptions& options) : options_(options), rng_(options.seed) {}

  // Called once per transaction: true while a NACK burst lasts. started is set when this call
  // began a new burst (for the counter).
  bool nack_transaction(bool& started);
  bool corrupt_to_chip() { return chance(options_.corrupt_to_chip); }
  bool corrupt_from_chip() { return chance(options_.corrupt_from_chip); }
  bool drop_to_chip() { return chance(options_.drop_to_chip); }
  bool drop_from_chip() { return chance(options_.drop_from_chip); }
  bool extra_busy() { return chance(options_.busy); }
  bool reset_mid_command() { return chance(options_.reset_mid_command); }
  bool power_loss() { return chance(options_.power_loss_on_write); }
  std::uint64_t busy_us() const { return options_.busy_us; }

  // Flips one random bit (a single-bit error, which the CRC-16 always detects).
  void flip_bit(Bytes& data);
  void end_burst() { burst_left_ = 0; }

 private:
  bool chance(double p);

  FaultOptions options_;
  std::mt19937_64 rng_;
  unsigned burst_left_ = 0;
};

}  // namespace optiga::sim
