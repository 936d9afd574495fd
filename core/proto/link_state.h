// The host's half of an IFX I2C link, as one process hands it to the next one using the same
// chip (architecture "Sharing the chip"): the chip keeps its half (frame counters, negotiated
// frame size, open application) across a change of host process, so the next process continues
// the link instead of resetting the chip.
#pragma once

#include <cstdint>

namespace optiga::proto {

struct LinkState {
  std::uint16_t frame_size = 0;     // negotiated DATA_REG_LEN
  std::uint16_t scl_khz = 0;        // bus speed the chip was switched to (Fm+ above 400 kHz)
  std::uint8_t last_sent = 0;       // frame counters (spec §2.3)
  std::uint8_t last_received = 0;
  bool presentation = false;        // the Trust M presentation layer is in use (§3.3)
  // No exchange was left half-way: the counters above are what the chip holds. When false the
  // next process re-synchronises the link (§2.5) before its first frame.
  bool clean = false;

  bool operator==(const LinkState&) const = default;
};

}  // namespace optiga::proto
