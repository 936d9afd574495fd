// Register addresses, I2C_STATE bits and timing constants of the IFX I2C register interface
// (spec §1.2–§1.5, §2.4). One place so the physical and data-link layers agree on the numbers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/util/bytes.h"
#include "core/chip/wire.h"

namespace optiga::proto {

namespace reg = chip::reg;

namespace i2c_mode = chip::i2c_mode;

// The four bytes of I2C_STATE (§1.3), decoded.
struct I2cState {
  bool busy = false;
  bool response_ready = false;
  bool soft_reset_supported = false;
  bool presentation_layer = false;
  std::uint16_t length = 0;

  // Callers pass exactly 4 bytes (the register size).
  static I2cState parse(ByteView raw) {
    I2cState s;
    s.busy = (raw[0] & chip::i2c_state::busy) != 0;
    s.response_ready = (raw[0] & chip::i2c_state::resp_rdy) != 0;
    s.soft_reset_supported = (raw[0] & chip::i2c_state::soft_reset) != 0;
    s.presentation_layer = (raw[1] & chip::i2c_state::present_layer) != 0;
    s.length = get_u16(raw, 2);
    return s;
  }
};

namespace timing {
inline constexpr std::uint64_t nack_retry_us = 1'000;       // PL_POLLING_INVERVAL_US
inline constexpr unsigned max_i2c_attempts = 200;           // PL_POLLING_MAX_CNT
inline constexpr std::uint64_t guard_time_us = 50;          // PL_GUARD_TIME_INTERVAL_US
inline constexpr std::uint64_t state_poll_us = 5'000;       // PL_DATA_POLLING_INVERVAL_US
inline constexpr std::uint64_t trans_timeout_us = 10'000;   // PL_TRANS_TIMEOUT_MS
inline constexpr unsigned trans_repeat = 3;                 // DL_TRANS_REPEAT
inline constexpr unsigned start_khz = 100;                  // master clock before negotiation
inline constexpr unsigned fast_mode_max_khz = 400;
// Trust M needs 15 ms after reset (the Infineon library waits only 12 ms and relies on NACK
// retries); waiting the datasheet value avoids a burst of NACKs on every open.
inline constexpr std::uint64_t startup_us = 15'000;
inline constexpr std::uint64_t trust_m_deadline_us = 180'000'000;  // TL_MAX_EXIT_TIMEOUT (M)
inline constexpr std::uint64_t trust_x_deadline_us = 6'000'000;    // TL_MAX_EXIT_TIMEOUT (X)
}  // namespace timing

inline constexpr std::size_t default_frame_size = 277;  // DATA_REG_LEN 0x0115
inline constexpr std::size_t min_frame_size = 16;       // smallest DATA_REG_LEN the chip allows

}  // namespace optiga::proto
