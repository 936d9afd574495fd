#include "hal/sim/sim_transport.h"

#include "hal/sim/bus_timing.h"

namespace optiga::sim {

SimTransport::SimTransport(std::unique_ptr<ApduEngine> engine, const SimOptions& opts)
    : options_(opts),
      clock_(opts.timing.real_sleep),
      chip_(std::move(engine), opts, counters_),
      scl_khz_(opts.timing.scl_khz == 0 ? 400 : opts.timing.scl_khz) {}

void SimTransport::spend_bus_time(std::size_t data_bytes) {
  const std::uint64_t t = bus_time_us(data_bytes, scl_khz_);
  counters_.bus_time_us += t;
  clock_.sleep_us(t);  // with real_sleep the bus really takes this long
}

bool SimTransport::start(std::size_t data_bytes) {
  ++counters_.transactions;
  if (!chip_.address_ack(clock_.now_us())) {
    ++counters_.nacks;
    spend_bus_time(0);
    return false;
  }
  // The chip acts at STOP, when the whole transaction is on the bus.
  spend_bus_time(data_bytes);
  return true;
}

hal::I2cStatus SimTransport::write(ByteView data) {
  if (!start(data.size())) return hal::I2cStatus::nack;
  counters_.bytes_to_chip += data.size();
  chip_.write(data, clock_.now_us());
  return hal::I2cStatus::ok;
}

hal::I2cStatus SimTransport::read(std::span<std::uint8_t> out) {
  if (!start(out.size())) return hal::I2cStatus::nack;
  counters_.bytes_from_chip += out.size();
  chip_.read(out, clock_.now_us());
  return hal::I2cStatus::ok;
}

bool SimTransport::hardware_reset() {
  chip_.hardware_reset(clock_.now_us());
  return true;
}

bool SimTransport::set_bitrate_khz(unsigned khz) {
  if (khz == 0 || khz > 1000) return false;
  scl_khz_ = khz;
  return true;
}

std::string SimTransport::describe() const {
  const std::string where = options_.state_path.empty() ? "memory" : options_.state_path;
  return "emulated " + std::string(chip::model_name(options_.model)) + " (sim:" + where + ")";
}

}  // namespace optiga::sim
