// Object metadata (spec §7): the `20 LL {tag len value}*` TLV with 1-byte lengths, and access
// condition expressions. Shared by the host (decode, print, decide e.g. whether an object is
// still writable) and the emulator (store, enforce).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/util/bytes.h"

namespace optiga::chip {

namespace tag {
inline constexpr std::uint8_t metadata = 0x20;
inline constexpr std::uint8_t lcso = 0xC0;
inline constexpr std::uint8_t version = 0xC1;
inline constexpr std::uint8_t max_size = 0xC4;
inline constexpr std::uint8_t used_size = 0xC5;
inline constexpr std::uint8_t change_ac = 0xD0;
inline constexpr std::uint8_t read_ac = 0xD1;
inline constexpr std::uint8_t execute_ac = 0xD3;
inline constexpr std::uint8_t update_descriptor = 0xD8;
inline constexpr std::uint8_t algorithm = 0xE0;
inline constexpr std::uint8_t key_usage = 0xE1;
inline constexpr std::uint8_t object_type = 0xE8;
inline constexpr std::uint8_t reset_type = 0xF0;
}  // namespace tag

// The values an access condition is evaluated against.
struct AcContext {
  std::uint8_t lcs_object = 0x07;       // absent LcsO counts as operational
  std::uint8_t lcs_application = 0x01;
  std::uint8_t lcs_global = 0x07;
  std::uint8_t security_status_global = 0x20;
  std::uint8_t security_status_application = 0x20;
  bool command_protected = false;   // Shielded Connection: command encrypted/integrity protected
  bool response_protected = false;  // response protection requested
};

// An access condition expression, kept as its bytes (`E1 FC 07`, `00`, `FF`, ...).
class AccessCondition {
 public:
  AccessCondition() = default;  // empty = absent = NEV
  explicit AccessCondition(Bytes raw) : raw_(std::move(raw)) {}
  static AccessCondition always() { return AccessCondition(Bytes{0x00}); }
  static AccessCondition never() { return AccessCondition(Bytes{0xFF}); }

  const Bytes& raw() const { return raw_; }
  bool empty() const { return raw_.empty(); }
  // Checks the grammar of §7.2 (ids, operand sizes, operators, at most 3 tokens of 7 terms,
  // ALW/NEV alone). Returns a reason if malformed.
  std::optional<std::string> validate() const;
  // Evaluates left to right: ALW true, NEV/absent false, LcsO/LcsA/LcsG comparisons, security
  // status masks, Conf/Int(E140) against the protection flags; Auto and Luc are false (not
  // achieved) unless the emulator extends this later. Malformed expressions are false.
  bool evaluate(const AcContext& ctx) const;
  // "ALW", "NEV", "LcsO < op", "LcsO < op || Conf(E140)", "Conf(E140) && Auto(F1D0)"...
  std::string to_string() const;
  bool operator==(const AccessCondition&) const = default;

 private:
  Bytes raw_;
};

// Decoded metadata of one object. Unknown tags are kept (in `other`) so a round trip is lossless.
struct Metadata {
  std::optional<std::uint8_t> lcso;
  std::optional<std::uint16_t> version;
  std::optional<std::uint16_t> max_size;
  std::optional<std::uint16_t> used_size;
  std::optional<AccessCondition> change;
  std::optional<AccessCondition> read;
  std::optional<AccessCondition> execute;
  std::optional<AccessCondition> update_descriptor;
  std::optional<std::uint8_t> algorithm;
  std::optional<std::uint8_t> key_usage;
  std::optional<std::uint8_t> object_type;
  std::optional<std::uint8_t> reset_type;
  std::map<std::uint8_t, Bytes> other;

  // Parses `20 LL ...`. Throws optiga::ParseError with the reason on malformed input
  // (wrong outer tag, lengths past the end, duplicate tags, value sizes wrong for the tag).
  static Metadata parse(ByteView tlv);
  // Encodes as the chip returns it: tags ascending, sizes in the shortest big-endian form.
  // Throws optiga::UsageError when a value or the whole does not fit the 255-byte length.
  Bytes serialize() const;
  // Applies a metadata update (the tags present in `update` replace those here).
  void merge(const Metadata& update);
  // Multi-line human-readable description, one tag per line ("LcsO: creation (0x01)").
  std::string describe() const;
  bool operator==(const Metadata&) const = default;
};

}  // namespace optiga::chip
