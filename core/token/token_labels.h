// User-chosen object labels (CKA_LABEL, C_SetAttributeValue). The chip has no label field, so
// labels live on the chip itself, in data object 0xF1DB (140 bytes, the last "type 3" object
// on every model): they travel with the chip, survive a host reinstall and are seen by every
// process and front end. Objects without a stored label keep their default label ("E0F1").
//
// Layout of 0xF1DB: "OLB1" ‖ { oid (2 bytes) ‖ length (1 byte) ‖ UTF-8 label }*. An object that
// holds anything else belongs to someone else: labels then read as defaults and writes are refused.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "core/device/device.h"

namespace optiga::token {

inline constexpr std::uint16_t label_object = 0xF1DB;
inline constexpr std::size_t max_label_length = 32;

class LabelStore {
 public:
  explicit LabelStore(device::Device& device) : device_(device) {}

  // The stored label of a chip object, if one was set.
  std::optional<std::string> label(std::uint16_t oid);
  // Stores (or, with the default label or an empty one, removes) the label of a chip object.
  // UsageError when the label is too long, is another object's default name, or when 0xF1DB
  // holds foreign data or does not have room; the object's old label stays then.
  void set_label(std::uint16_t oid, std::string_view label);
  // Forgets the label of an object (e.g. after its certificate was erased).
  void clear(std::uint16_t oid);

  static Bytes encode(const std::map<std::uint16_t, std::string>& labels);
  // nullopt when the bytes are not ours (foreign content); empty map for an empty object.
  static std::optional<std::map<std::uint16_t, std::string>> decode(ByteView stored);

 private:
  const std::map<std::uint16_t, std::string>& load();
  void store(std::map<std::uint16_t, std::string> labels);
  device::Device& device_;
  std::optional<std::uint64_t> cached_epoch_;
  std::map<std::uint16_t, std::string> labels_;
  bool foreign_ = false;
};

}  // namespace optiga::token
