// Test doubles for the link-side emulator tests: a scripted ApduEngine and a hand-driven host
// that writes raw register transactions (the real host stack is tested elsewhere).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "core/chip/crc16.h"
#include "core/util/bytes.h"
#include "hal/sim/apdu_engine.h"
#include "hal/sim/sim_transport.h"

namespace optiga::sim::test {

// What the fake engine saw; shared with the test because the transport owns the engine.
struct EngineLog {
  std::vector<Bytes> apdus;
  std::vector<std::uint64_t> times;
  int resets = 0;
  // Default: "success, no data" after 1 ms.
  std::function<ApduResult(ByteView)> respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 1000}; };
};

class FakeEngine final : public ApduEngine {
 public:
  explicit FakeEngine(std::shared_ptr<EngineLog> log) : log_(std::move(log)) {}
  ApduResult execute(ByteView apdu, std::uint64_t now_us) override {
    log_->apdus.emplace_back(apdu.begin(), apdu.end());
    log_->times.push_back(now_us);
    return log_->respond(apdu);
  }
  void reset() override { ++log_->resets; }

 private:
  std::shared_ptr<EngineLog> log_;
};

struct Rig {
  std::shared_ptr<EngineLog> log = std::make_shared<EngineLog>();
  std::unique_ptr<SimTransport> bus;

  explicit Rig(SimOptions opts = {}) { bus = std::make_unique<SimTransport>(std::make_unique<FakeEngine>(log), opts); }
  static SimOptions model(chip::Model m) {
    SimOptions o;
    o.model = m;
    return o;
  }

  void sleep(std::uint64_t us) { bus->clock().sleep_us(us); }

  Bytes read_register(std::uint8_t reg, std::size_t n) {
    const Bytes addr{reg};
    EXPECT_EQ(bus->write(addr), hal::I2cStatus::ok);
    Bytes out(n);
    EXPECT_EQ(bus->read(out), hal::I2cStatus::ok);
    return out;
  }
  Bytes state() { return read_register(0x82, 4); }
  void write_register(std::uint8_t reg, ByteView value) {
    Bytes data{reg};
    append(data, value);
    EXPECT_EQ(bus->write(data), hal::I2cStatus::ok);
  }
  void write_frame(ByteView frame) { write_register(0x80, frame); }
  // Polls I2C_STATE and reads the frame it announces (empty if none is ready).
  Bytes read_frame() {
    const Bytes s = state();
    const std::size_t len = get_u16(s, 2);
    if ((s[0] & 0x40) == 0 || len == 0) return {};
    return read_register(0x80, len);
  }
};

// A frame as a host builds it, FCS high byte first (spec §2.3).
inline Bytes host_frame(std::uint8_t fctr, ByteView packet = {}) {
  Bytes f{fctr};
  put_u16(f, static_cast<std::uint16_t>(packet.size()));
  append(f, packet);
  put_u16(f, chip::crc16(f));
  return f;
}

inline Bytes cat(Bytes a, ByteView b) {
  append(a, b);
  return a;
}

}  // namespace optiga::sim::test
