// How long the chip is expected to work on a command before its response can be ready (spec
// §9.2, the figures the emulator's timing model uses too: hal/sim/engine_latency.h). The stack
// sleeps through that time and only then polls I2C_STATE, briskly, instead of polling every 5 ms
// from the start. P-256 figures: the chip's smallest curves, so a lower bound for the others.
#pragma once

#include <cstdint>

#include "core/chip/ids.h"
#include "core/util/bytes.h"

namespace optiga::proto {

// Microseconds from the end of the command's last frame to when its response is expected;
// 0 when nothing is known (the stack then polls from the start).
std::uint64_t expected_latency_us(chip::Model model, ByteView apdu);

}  // namespace optiga::proto
