#include "hal/sim/security_monitor.h"

#include <algorithm>

namespace optiga::sim {

MonitorConfig MonitorConfig::from_e0c9(ByteView value) {
  MonitorConfig c;
  // The spec gives the factory bytes as `50 00 05 01 ...` and also says byte0 defaults to 50 =
  // 5 s; 0x50 read as 100 ms units would be 8 s. The object is never writable on a factory chip
  // (change AC `LcsO < op` with LcsO = op), so we keep the documented 5 s and use byte0 only for
  // its one unambiguous meaning: 0 disables the monitor.
  if (value.size() >= 3) {
    if (value[0] == 0) c.t_max_us = 0;
    c.credit_max = value[2];
  }
  return c;
}

bool SecurityMonitor::advance(std::uint64_t now_us, std::uint8_t& sec, const MonitorConfig& cfg) {
  if (!last_us_ || now_us < *last_us_ || cfg.t_max_us == 0) {
    last_us_ = now_us;
    return false;
  }
  const std::uint8_t before = sec;
  std::uint64_t periods = (now_us - *last_us_) / cfg.t_max_us;
  *last_us_ += periods * cfg.t_max_us;
  // Only up to 255 + credit_max periods can change anything; cap the loop for huge gaps.
  periods = std::min<std::uint64_t>(periods, 512);
  for (std::uint64_t i = 0; i < periods; ++i) {
    if (sec > 0)
      --sec;
    else if (credit_ < cfg.credit_max)
      ++credit_;
  }
  return sec != before;
}

bool SecurityMonitor::record_event(std::uint64_t now_us, std::uint8_t& sec, const MonitorConfig& cfg) {
  if (cfg.t_max_us == 0) return false;
  last_us_ = now_us;
  if (credit_ > 0) {
    --credit_;
    return false;
  }
  if (sec == 255) return false;
  ++sec;
  return true;
}

std::uint64_t SecurityMonitor::throttle_delay_us(std::uint8_t sec, const MonitorConfig& cfg) {
  if (sec < 128 || cfg.t_max_us == 0) return 0;
  return cfg.t_max_us * (sec - 127u) / 128u;
}

}  // namespace optiga::sim
