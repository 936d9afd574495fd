// The chip's security monitor (spec §9.3): the Security Event Counter (SEC) rises on protected
// operations unless a credit is available, decays while the chip is quiet, and throttles key use
// once it reaches 128. SEC itself lives in the chip's NVM (object 0xE0C5); the credit is RAM-only.
#pragma once

#include <cstdint>
#include <optional>

#include "core/util/bytes.h"

namespace optiga::sim {

struct MonitorConfig {
  std::uint64_t t_max_us = 5'000'000;  // one protected operation per t_max; 0 disables the monitor
  std::uint8_t credit_max = 5;

  // From the V3 configuration object 0xE0C9: byte0 = 0 disables the monitor, byte2 = credit maximum
  // (t_max stays 5 s; see the .cpp for why).
  static MonitorConfig from_e0c9(ByteView value);
};

class SecurityMonitor {
 public:
  // Applies the quiet periods between the last observation and now_us: each full t_max decrements
  // sec or, at 0, adds a credit. Modelled time that goes backwards (another process's clock, a
  // restarted clock) is taken as no time passing. Returns whether sec changed.
  bool advance(std::uint64_t now_us, std::uint8_t& sec, const MonitorConfig& cfg);
  // A protected operation at now_us (call advance first): consumes a credit or raises sec.
  // The quiet period restarts. Returns whether sec changed.
  bool record_event(std::uint64_t now_us, std::uint8_t& sec, const MonitorConfig& cfg);
  // Delay inserted before a protected operation. The curve is only published as a figure; we use
  // a straight line from 0 below 128 to t_max at 255: t_max * (sec - 127) / 128.
  static std::uint64_t throttle_delay_us(std::uint8_t sec, const MonitorConfig& cfg);
  std::uint8_t credit() const { return credit_; }
  // Chip reset: the credit is lost.
  void reset() { credit_ = 0; }

 private:
  std::optional<std::uint64_t> last_us_;
  std::uint8_t credit_ = 0;
};

}  // namespace optiga::sim
