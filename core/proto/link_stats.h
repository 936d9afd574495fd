// Counters of everything the IFX I2C stack did on the bus, for tests, benchmarks and diagnostics.
#pragma once

#include <cstdint>

namespace optiga::proto {

struct LinkStats {
  std::uint64_t apdus = 0;            // completed transceive() calls
  std::uint64_t frames_sent = 0;      // every frame written to DATA (data, control, re-sync)
  std::uint64_t frames_received = 0;  // every frame read from DATA, valid or not
  std::uint64_t bytes_sent = 0;       // frame bytes written (without the register byte)
  std::uint64_t bytes_received = 0;   // frame bytes read
  std::uint64_t retransmissions = 0;  // data frames written again (time-out, NAK, bad control frame)
  std::uint64_t resyncs = 0;          // re-sync control frames sent
  std::uint64_t naks_sent = 0;
  std::uint64_t naks_received = 0;
  std::uint64_t i2c_nacks = 0;        // transactions NACKed or failed on the bus, each retried after 1 ms
  std::uint64_t crc_errors = 0;       // received frames with a bad FCS
  std::uint64_t malformed_frames = 0; // received frames rejected for anything else (length, FCTR, ...)
  std::uint64_t chain_errors_sent = 0;      // 0x07 packets we sent for a broken response chain
  std::uint64_t chain_errors_received = 0;  // 0x07 packets the chip sent for our command chain
  std::uint64_t resets = 0;           // chip resets (hardware or soft) done by open()/reset()
};

}  // namespace optiga::proto
