// The emulated chip as an in-process I2C bus: every transaction advances a VirtualClock by its
// modelled bus time (bus_timing.h), so the host stack's guard times and polling run on modelled
// time and a test of a 65 ms signature takes microseconds.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "core/proto/i2c_transport.h"
#include "hal/sim/apdu_engine.h"
#include "hal/sim/sim_chip.h"
#include "hal/sim/sim_counters.h"
#include "hal/sim/sim_options.h"

namespace optiga::sim {

class SimTransport final : public hal::I2cTransport {
 public:
  SimTransport(std::unique_ptr<ApduEngine> engine, const SimOptions& opts);
  SimTransport(const SimTransport&) = delete;
  SimTransport& operator=(const SimTransport&) = delete;

  hal::I2cStatus write(ByteView data) override;
  hal::I2cStatus read(std::span<std::uint8_t> out) override;
  // Pulses the emulated reset line: link reset and engine->reset(). The chip then NACKs for its
  // start-up time (SimChip::startup_us()).
  bool hardware_reset() override;
  // Any speed from 1 to 1000 kHz; only the modelled bus time changes.
  bool set_bitrate_khz(unsigned khz) override;
  Clock& clock() override { return clock_; }
  std::string describe() const override;

  VirtualClock& virtual_clock() { return clock_; }
  unsigned bitrate_khz() const { return scl_khz_; }
  SimCounters counters() const { return counters_; }
  void reset_counters() { counters_ = SimCounters{}; }

 private:
  // Address phase shared by reads and writes; on NACK only the address byte costs bus time.
  bool start(std::size_t data_bytes);
  void spend_bus_time(std::size_t data_bytes);

  SimOptions options_;
  VirtualClock clock_;
  SimCounters counters_;
  SimChip chip_;
  unsigned scl_khz_;
};

}  // namespace optiga::sim
