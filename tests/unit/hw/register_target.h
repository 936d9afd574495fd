// A minimal I2C target for the bridge tests: a register file where a write [reg, data…] stores
// data at reg and a read returns the last register selected (a register echo). It can NACK a
// number of transactions, as the OPTIGA does while busy, and records every transaction.
#pragma once

#include <map>
#include <vector>

#include "core/proto/i2c_transport.h"

namespace optiga::hal::test {

class RegisterTarget final : public I2cTransport {
 public:
  std::map<std::uint8_t, Bytes> registers;
  std::vector<Bytes> writes;
  std::vector<std::size_t> reads;
  unsigned nack_next = 0;
  unsigned resets = 0;

  I2cStatus write(ByteView data) override {
    if (nack_next > 0) { --nack_next; return I2cStatus::nack; }
    writes.emplace_back(data.begin(), data.end());
    selected_ = data[0];
    if (data.size() > 1) registers[selected_] = Bytes(data.begin() + 1, data.end());
    return I2cStatus::ok;
  }
  I2cStatus read(std::span<std::uint8_t> out) override {
    if (nack_next > 0) { --nack_next; return I2cStatus::nack; }
    reads.push_back(out.size());
    const Bytes& value = registers[selected_];
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = i < value.size() ? value[i] : 0xFF;  // spec §1.1
    return I2cStatus::ok;
  }
  bool hardware_reset() override { ++resets; return true; }
  Clock& clock() override { return clock_; }
  std::string describe() const override { return "register target"; }

 private:
  VirtualClock clock_;
  std::uint8_t selected_ = 0;
};

}  // namespace optiga::hal::test
