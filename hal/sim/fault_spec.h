// Fault configuration from text, for the device string (`sim:...?faults=...`), the emulator's
// --faults option and the OPTIGA_SIM_FAULTS environment variable. Names are documented in
// docs/emulator-socket.md ("Fault injection").
#pragma once

#include <string_view>

#include "hal/sim/sim_options.h"

namespace optiga::sim {

// Parses "corrupt=0.01,drop=0.01,nack=0.01,busy=0.001,reset=0,powerloss=0,seed=7" into options,
// changing only the keys present. Keys:
//   corrupt, corrupt_in, corrupt_out   bit flips in frames (both / host->chip / chip->host)
//   drop, drop_in, drop_out            lost frames (both / host->chip / chip->host)
//   nack, nack_len                     probability a transaction starts a NACK burst; its length
//   busy, busy_us                      probability of an extra busy period; its length in us
//   reset                              probability the chip resets while executing a command
//   powerloss                          probability power fails during SetDataObject/GenKeyPair
//   sec                                initial security event counter (engine option)
//   seed                               seed of the fault generator
// Probabilities must be within [0, 1]. Throws std::invalid_argument naming the bad key.
void parse_fault_spec(std::string_view spec, FaultOptions& options);

// Applies OPTIGA_SIM_FAULTS if it is set and not empty; returns whether it was.
bool apply_env_faults(FaultOptions& options);

}  // namespace optiga::sim
