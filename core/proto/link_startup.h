// Chip reset and start-up negotiation of the IFX I2C physical layer (spec §1.4, §1.5).
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/proto/register_bus.h"

namespace optiga::proto {

enum class ResetKind {
  hardware,  // the transport pulsed the reset line / power
  soft,      // SOFT_RESET register written
  none,      // neither available: the caller must re-synchronise the link instead
};

// Resets the chip (hardware line if the transport has one, else the SOFT_RESET register when
// I2C_STATE advertises it) and waits the start-up time.
ResetKind reset_chip(RegisterBus& bus, std::uint64_t startup_us);

// Sets the bus speed and the frame size. Returns the frame size both sides will use.
// Throws ProtocolError when the chip cannot run at wanted_khz or wants a larger frame.
std::size_t negotiate_link(RegisterBus& bus, std::size_t wanted_frame_size, unsigned wanted_khz);

}  // namespace optiga::proto
