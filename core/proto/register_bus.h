// Physical layer of IFX I2C (spec §1.1, §1.4): register reads and writes over one
// hal::I2cTransport, with NACK retries and the guard time after every successful transaction.
// All waiting goes through the transport's clock so the emulator can model time.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/proto/ifx_i2c_constants.h"
#include "core/proto/link_stats.h"
#include "core/util/bytes.h"
#include "core/proto/i2c_transport.h"

namespace optiga::proto {

class RegisterBus {
 public:
  RegisterBus(hal::I2cTransport& transport, LinkStats& stats) : transport_(transport), stats_(stats) {}

  // Register read: write [reg], guard time, read n bytes. Throws TransportError after 200
  // failed attempts of one transaction.
  Bytes read_register(std::uint8_t reg, std::size_t n);
  // Register write: one transaction [reg, data...].
  void write_register(std::uint8_t reg, ByteView data);

  I2cState read_state();

  Clock& clock() { return transport_.clock(); }
  std::uint64_t now_us() { return transport_.clock().now_us(); }
  void sleep_us(std::uint64_t us) { transport_.clock().sleep_us(us); }
  hal::I2cTransport& transport() { return transport_; }

 private:
  template <typename Op>
  void with_retries(Op op);

  hal::I2cTransport& transport_;
  LinkStats& stats_;
};

}  // namespace optiga::proto
