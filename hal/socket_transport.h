// Client of the standalone emulator (tools/optiga-emulator, `sim+unix:/path/sim.sock`).
//
// Clock: the client keeps its own VirtualClock, so the host stack's polling and guard times cost
// no real time. Each transaction advances it by the same modelled bus time the server charges
// (hal/sim/bus_timing.h). Time the client sleeps is sent to the server ('T' request) before its
// next transaction, so the chip sees command latencies elapse exactly as in-process. With several
// clients, every client's sleeps advance the one chip clock.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "core/util/clock.h"
#include "core/proto/i2c_transport.h"
#include "hal/sim/sim_counters.h"
#include "hal/sim/socket_protocol.h"
#include "hal/sim/unique_fd.h"

namespace optiga::hal {

class SocketTransport final : public I2cTransport {
 public:
  // Connects to the emulator's socket; throws optiga::TransportError if nothing listens there.
  explicit SocketTransport(std::string socket_path, unsigned scl_khz = 400);

  // Throw optiga::TransportError when the connection breaks.
  I2cStatus write(ByteView data) override;
  I2cStatus read(std::span<std::uint8_t> out) override;
  bool hardware_reset() override;
  bool set_bitrate_khz(unsigned khz) override;
  Clock& clock() override { return clock_; }
  std::string describe() const override { return "sim+unix:" + path_; }

  // The emulator's counters (shared by all its clients) and its own description.
  sim::SimCounters counters();
  void reset_counters();
  std::string server_description();

 private:
  sim::wire::Message call(std::uint8_t op, ByteView data = {});
  // Sends the time slept since the last transaction.
  void sync_clock();
  void charge_bus(I2cStatus status, std::size_t data_bytes);

  std::string path_;
  sim::UniqueFd fd_;
  VirtualClock clock_;
  std::uint64_t synced_us_ = 0;
  unsigned scl_khz_;
};

}  // namespace optiga::hal
