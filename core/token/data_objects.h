// Application data on the chip (PKCS#11 CKO_DATA token objects): each data object lives in one
// of the chip's general-purpose data objects that the project uses for nothing else, with its
// attributes in a small header, so it travels with the chip and every process sees it.
//
// Chip objects: 0xF1D4–0xF1DA on every model (140 bytes on Trust M, 100 on Trust X), and on
// Trust X also 0xF1DC–0xF1DF. 0xF1D0–0xF1D3 hold the key slots' public keys, 0xF1DB the labels
// (token_labels.h), 0xF1E0/0xF1E1 the RSA public keys.
//
// Encoding: "OPD1" ‖ flags (1 byte) ‖ { tag (1) ‖ length (2, big-endian) ‖ bytes }*, fields in
// tag order, empty fields left out. Flags: bit 0 private, bit 1 not modifiable, bit 2 not
// destroyable, bit 3 not copyable. Tags: 1 label, 2 application, 3 object id (DER), 4 value.
// A chip object that is empty is free; one holding anything else belongs to someone else and is
// neither shown nor overwritten.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/chip/ids.h"
#include "core/device/device.h"

namespace optiga::token {

struct DataObject {
  std::string label;        // CKA_LABEL
  std::string application;  // CKA_APPLICATION
  Bytes object_id;          // CKA_OBJECT_ID (DER of an OBJECT IDENTIFIER, not checked)
  Bytes value;              // CKA_VALUE
  bool is_private = false;  // CKA_PRIVATE: shown only to a logged-in user (not secret on the chip)
  bool modifiable = true;
  bool destroyable = true;
  bool copyable = true;
  bool operator==(const DataObject&) const = default;
};

struct StoredDataObject {
  std::uint16_t oid = 0;  // the chip object holding it
  DataObject object;
};

class DataObjectStore {
 public:
  explicit DataObjectStore(device::Device& device) : device_(device) {}

  // The chip objects data objects may use on a model, in the order they are filled.
  static std::vector<std::uint16_t> chip_objects(chip::Model model);
  static Bytes encode(const DataObject& object);
  // nullopt when the bytes are not a data object of ours (foreign content, or empty).
  static std::optional<DataObject> decode(ByteView stored);

  // Every data object on the chip (cached until the device's epoch changes).
  std::vector<StoredDataObject> objects();
  std::optional<DataObject> object(std::uint16_t oid);
  // The largest encoding one chip object takes (140 bytes on Trust M, 100 on Trust X).
  std::size_t capacity();

  // Stores a new data object in a free chip object; returns that object. TokenError
  // (does_not_fit) when the encoding is larger than a chip object or no chip object is free.
  std::uint16_t create(const DataObject& object);
  // Rewrites one (does_not_fit when the new encoding is too large; the old one stays then).
  void update(std::uint16_t oid, const DataObject& object);
  // Erases one (its chip object becomes free).
  void erase(std::uint16_t oid);

 private:
  void refresh();
  void check_size(const Bytes& encoded);
  device::Device& device_;
  std::optional<std::uint64_t> cached_epoch_;
  std::vector<StoredDataObject> objects_;
  std::vector<std::uint16_t> free_;  // empty chip objects whose change access condition allows writing
};

}  // namespace optiga::token
