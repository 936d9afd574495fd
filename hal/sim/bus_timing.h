// Modelled duration of I2C transactions (spec §9.1). Used by the in-process transport to advance
// its VirtualClock and by the socket client to advance its own, so both agree byte for byte.
//
//   bits(n)  = 9 * (n + 1) + 2       n data bytes + the address byte, 8 bits + ACK each,
//                                    plus one bit time for START and one for STOP
//   time_us  = ceil(bits * 1000 / scl_khz)
//
// A transaction whose address is NACKed costs bits(0) = 11 bit times.
#pragma once

#include <cstddef>
#include <cstdint>

namespace optiga::sim {

inline constexpr std::uint64_t bus_bits(std::size_t data_bytes) { return 9 * (std::uint64_t{data_bytes} + 1) + 2; }

inline constexpr std::uint64_t bus_time_us(std::size_t data_bytes, unsigned scl_khz) {
  const std::uint64_t khz = scl_khz == 0 ? 1 : scl_khz;
  return (bus_bits(data_bytes) * 1000 + khz - 1) / khz;
}

static_assert(bus_time_us(1, 400) == 50);     // write [0x82]: 20 bits of 2.5 us
static_assert(bus_time_us(4, 1000) == 47);    // read of I2C_STATE at Fm+
static_assert(bus_time_us(0, 400) == 28);     // NACKed address: 27.5 us rounded up

}  // namespace optiga::sim
