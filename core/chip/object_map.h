// The data objects each chip model has (spec §6.1, §6.2) with their factory-fresh metadata
// (§7.1). Pure data: the emulator creates its object store from it and the host lists objects
// and names them from it, so both agree on what a chip holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/chip/ids.h"
#include "core/chip/metadata.h"
#include "core/util/bytes.h"

namespace optiga::chip {

enum class ObjectKind {
  status,              // life cycle, security status, UID, configuration, last error (1‥27 bytes)
  data,                // arbitrary data objects 0xF1D0‥, 0xF1E0‥
  device_certificate,  // 0xE0E0‥0xE0E3
  trust_anchor,        // 0xE0E8, 0xE0E9, 0xE0EF
  ecc_key,             // 0xE0F0‥0xE0F3
  rsa_key,             // 0xE0FC, 0xE0FD
  aes_key,             // 0xE200
  session_context,     // 0xE100‥0xE103 (volatile, not addressable by Get/SetDataObject)
  counter,             // monotonic counters 0xE120‥0xE123
  platform_binding,    // 0xE140
};
std::string_view object_kind_name(ObjectKind kind);  // "device certificate", "ECC key", ...

// Key objects hold no readable data; their metadata carries algorithm and usage.
inline bool is_key_kind(ObjectKind k) {
  return k == ObjectKind::ecc_key || k == ObjectKind::rsa_key || k == ObjectKind::aes_key;
}

struct ObjectInfo {
  std::uint16_t oid = 0;
  std::string name;          // "Device certificate 2", "ECC private key 2", "Data object F1D0"
  ObjectKind kind = ObjectKind::data;
  std::uint16_t max_size = 0;  // bytes of data; 0 for key objects and session contexts
  Metadata default_metadata;   // factory-fresh, as the chip returns it (used size 0 when empty)
  Bytes default_value;         // factory content (status objects, counters); empty = nothing stored
};

// All objects of the model in ascending OID order.
const std::vector<ObjectInfo>& objects(Model model);
// nullptr when the model has no such object.
const ObjectInfo* find_object(Model model, std::uint16_t oid);

}  // namespace optiga::chip
