// Factory provisioning of a new emulated chip: what Infineon's production line puts on a real one
// (spec §6.3, §8), made with the emulator-only CA in hal/sim/ca/.
#pragma once

#include <map>
#include <string>

#include "core/chip/ids.h"
#include "hal/sim/sim_crypto.h"

namespace optiga::sim {

struct FactoryIdentity {
  Bytes uid;                 // 27 bytes, real layout, random batch/position, the model's real build number
  GeneratedKey key;          // P-256, goes into 0xE0F0
  Bytes certificate_object;  // content of 0xE0E0: the device certificate in the 0xC0 TLS-identity format
};

FactoryIdentity make_factory_identity(chip::Model model, SimCrypto& crypto);

// The shipped PEM files by name ("root-cert.pem", "intermediate-cert.pem", ...), compiled in.
const std::map<std::string, std::string>& embedded_ca_files();
// Root and intermediate certificates, PEM, for verifying emulated device certificates.
std::string emulator_ca_chain_pem();

}  // namespace optiga::sim
