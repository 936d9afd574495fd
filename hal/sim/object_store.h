// The emulated chip's non-volatile memory: every persistent object's data, metadata and (for key
// objects) private key. Volatile state (application, last error, session contexts, security
// status, SEC credit) belongs to the engine instance, not here.
#pragma once

#include <cstdint>
#include <map>

#include <nlohmann/json_fwd.hpp>

#include "core/chip/ids.h"
#include "core/chip/metadata.h"
#include "core/chip/object_map.h"
#include "core/util/bytes.h"
#include "hal/sim/sim_crypto.h"

namespace optiga::sim {

struct StoredObject {
  Bytes data;          // used bytes (the used size is data.size())
  chip::Metadata metadata;
  Bytes private_der;   // key objects only; empty until a key is generated
  bool operator==(const StoredObject&) const = default;
};

class ObjectStore {
 public:
  // A chip as it leaves the factory: the object map's defaults plus the identity from
  // make_factory_identity() (UID, key 0xE0F0, certificate 0xE0E0).
  static ObjectStore factory_fresh(chip::Model model, SimCrypto& crypto);
  // Throws optiga::ParseError with the reason when the JSON is not a valid state.
  static ObjectStore from_json(const nlohmann::json& j);
  nlohmann::json to_json() const;

  chip::Model model() const { return model_; }
  // nullptr for OIDs the model has no persistent object for (including session contexts).
  StoredObject* find(std::uint16_t oid);
  const StoredObject* find(std::uint16_t oid) const;
  // Replaces an object's data and keeps its used-size tag in step.
  void set_data(std::uint16_t oid, Bytes data);

  bool operator==(const ObjectStore&) const = default;

 private:
  explicit ObjectStore(chip::Model model) : model_(model) {}
  chip::Model model_;
  std::map<std::uint16_t, StoredObject> objects_;
};

}  // namespace optiga::sim
