#include "hal/sim/engine_latency.h"

namespace optiga::sim {

std::uint64_t LatencyModel::scaled(std::uint64_t p256_us, chip::Algorithm alg) {
  const auto info = chip::curve_info(alg);
  const std::uint64_t bytes = info ? info->field_bytes : 32;
  return p256_us * bytes * bytes / (32 * 32);
}

}  // namespace optiga::sim
