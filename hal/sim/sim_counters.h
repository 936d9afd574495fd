// What the emulated chip and its bus did, for tests and benchmarks: bus traffic, link-level
// events and one counter per injected fault. Plain values so a snapshot can be copied out and
// compared, and sent over the emulator socket as text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace optiga::sim {

struct SimCounters {
  // Bus (one I2C transaction = START .. STOP).
  std::uint64_t transactions = 0;
  std::uint64_t bytes_to_chip = 0;    // data bytes written, register address included, I2C address byte excluded
  std::uint64_t bytes_from_chip = 0;  // data bytes read
  std::uint64_t nacks = 0;            // transactions whose address the chip did not acknowledge
  std::uint64_t bus_time_us = 0;      // modelled time spent on the bus (see docs/emulator-timing.md)
  // Data link.
  std::uint64_t frames_to_chip = 0;    // frames written to DATA
  std::uint64_t frames_from_chip = 0;  // frames read from DATA (control and data)
  std::uint64_t crc_errors = 0;        // host frames with a bad FCS
  std::uint64_t naks_sent = 0;         // control NAK frames the chip offered
  std::uint64_t resyncs = 0;           // re-sync control frames received
  std::uint64_t retransmissions = 0;   // times the chip re-offered its last data frame
  std::uint64_t chain_errors = 0;      // 0x07 packets the chip sent
  std::uint64_t apdus = 0;             // commands handed to the engine
  std::uint64_t resets = 0;            // chip resets of any kind
  // Injected faults (FaultOptions).
  std::uint64_t fault_nack_bursts = 0;
  std::uint64_t fault_corrupt_to_chip = 0;
  std::uint64_t fault_corrupt_from_chip = 0;
  std::uint64_t fault_drop_to_chip = 0;
  std::uint64_t fault_drop_from_chip = 0;
  std::uint64_t fault_busy = 0;
  std::uint64_t fault_reset_mid_command = 0;
  std::uint64_t fault_power_loss = 0;

  bool operator==(const SimCounters&) const = default;

  // "name value" lines, every counter, in declaration order.
  std::string to_text() const;
  // Inverse of to_text(); unknown names are skipped so old clients read newer servers.
  static SimCounters from_text(std::string_view text);
};

}  // namespace optiga::sim
