// Modelled execution time of each command (spec §9.2), in microseconds. Trust X has no published
// table; it uses the Trust M V1 figures. Curves other than P-256 scale with the square of the
// field size (the published table has P-256 only; this is our estimate, see docs/emulated-chip.md).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/chip/ids.h"

namespace optiga::sim {

class LatencyModel {
 public:
  explicit LatencyModel(chip::Model model) : model_(model) {}
  std::uint64_t open_application() const { return 1'000; }
  std::uint64_t close_application() const { return 2'000; }
  std::uint64_t get_random(std::size_t n) const { return 3'000 + n * 20; }
  // ~30 ms per 256 B read, ~55 ms per 256 B written, with a small fixed part so 1-byte status
  // reads stay cheap.
  std::uint64_t get_data(std::size_t n) const { return 2'000 + n * 28'000 / 256; }
  std::uint64_t set_data(std::size_t n) const { return 5'000 + n * 50'000 / 256; }
  std::uint64_t sign(chip::Algorithm alg) const { return scaled(v1_like() ? 60'000 : 65'000, alg); }
  std::uint64_t verify(chip::Algorithm alg) const { return scaled(85'000, alg); }
  std::uint64_t ecdh(chip::Algorithm alg) const { return scaled(60'000, alg); }
  std::uint64_t keygen(chip::Algorithm alg) const { return scaled(v1_like() ? 75'000 : 55'000, alg); }

 private:
  bool v1_like() const { return model_ != chip::Model::trust_m_v3; }
  static std::uint64_t scaled(std::uint64_t p256_us, chip::Algorithm alg);
  chip::Model model_;
};

}  // namespace optiga::sim
