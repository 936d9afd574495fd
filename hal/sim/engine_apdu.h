// APDU framing inside the emulated chip (spec §5.1): the command header, command-data TLVs and
// the response encodings. A handler refuses a command by throwing CommandError; the engine turns
// it into Sta 0xFF and the Last Error Code in one place.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>

#include "core/util/bytes.h"

namespace optiga::sim {

struct CommandError {
  std::uint8_t code;
};
[[noreturn]] inline void fail(std::uint8_t code) { throw CommandError{code}; }

// Comms buffer 0x0615 = 1557 bytes including the 4-byte header (spec §5.1).
inline constexpr std::size_t comms_buffer = 1557;
inline constexpr std::size_t max_apdu_data = comms_buffer - 4;

struct Apdu {
  std::uint8_t cmd = 0;  // without the clear-error bit
  bool clear_error = false;
  std::uint8_t param = 0;
  ByteView data;
};

// Parses the header; CommandError 0x04 when the APDU is shorter than its header, InLen disagrees
// with the bytes received, or InData exceeds the comms buffer.
Apdu parse_apdu(ByteView apdu);

// Command TLVs `Tag(1) ‖ Length(2, BE) ‖ Value`, accepted in any order (spec §5.1 notes the two
// host libraries order DeriveKey differently). Malformed or duplicate tags → 0x05.
class CommandTlvs {
 public:
  static CommandTlvs parse(ByteView data);
  bool has(std::uint8_t tag) const { return values_.count(tag) != 0; }
  // The value; CommandError 0x05 when absent.
  const Bytes& get(std::uint8_t tag) const;
  // A 2-byte OID value; 0x05 when absent or not 2 bytes.
  std::uint16_t oid(std::uint8_t tag) const;
  // A 1-byte value; 0x05 when absent or not 1 byte.
  std::uint8_t byte(std::uint8_t tag) const;
  // Tags other than the allowed ones → 0x05.
  void allow_only(std::initializer_list<std::uint8_t> tags) const;

 private:
  std::map<std::uint8_t, Bytes> values_;
};

// `Tag ‖ Length(2) ‖ Value` for response data.
void put_tlv(Bytes& out, std::uint8_t tag, ByteView value);

Bytes success_response(ByteView out_data);
Bytes error_response();

}  // namespace optiga::sim
