// How an emulated chip is created and how it misbehaves. Filled from the device string
// (`sim:/path/chip.state?model=trust-x&scl=1000&faults=...`) and the OPTIGA_SIM_* environment.
#pragma once

#include <cstdint>
#include <string>

#include "core/chip/ids.h"

namespace optiga::sim {

struct FaultOptions {
  double corrupt_to_chip = 0;    // probability a frame written by the host arrives with a bit flipped
  double corrupt_from_chip = 0;  // probability a frame read by the host has a bit flipped
  double drop_to_chip = 0;       // probability a written frame never reaches the chip's link layer
  double drop_from_chip = 0;     // probability the chip's frame is lost (host reads an empty FIFO)
  double nack_burst = 0;         // probability a transaction starts a burst of address NACKs
  unsigned nack_burst_length = 8;
  double busy = 0;               // probability a command takes an extra busy period
  std::uint64_t busy_us = 50'000;
  double reset_mid_command = 0;  // probability the chip resets while executing a command
  double power_loss_on_write = 0;  // probability power fails during a SetDataObject/GenKeyPair:
                                   // the NVM update does not happen (tearing-safe) and the chip resets
  int security_event_counter = -1;  // >= 0: start with this SEC (>= 128 throttles key use)
  std::uint64_t seed = 1;           // faults are pseudo-random but reproducible
};

struct TimingOptions {
  unsigned scl_khz = 400;      // bus speed the modelled bus time is computed at
  bool chip_latency = true;    // model per-command execution time (spec §9.2)
  bool real_sleep = false;     // also sleep for real (to watch the chip's pace)
};

struct SimOptions {
  chip::Model model = chip::Model::trust_m_v3;
  std::string state_path;  // empty: state lives in memory only
  FaultOptions faults;
  TimingOptions timing;
};

}  // namespace optiga::sim
