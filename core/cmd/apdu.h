// The command-layer frame formats (spec §5.1): command APDU `Cmd|Param|InLen|InData` and response
// APDU `Sta|UnDef|OutLen|OutData`, plus which commands carry the "clear last error" bit.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

#include "core/chip/ids.h"
#include "core/util/bytes.h"

namespace optiga::cmd {

// One command before encoding. `code` is the command without the clear-error bit; the session
// adds the bit according to the chip model. `context` names what is attempted
// ("GenKeyPair into 0xE0F1") so a refusal can say so.
struct Command {
  std::uint8_t code = 0;
  std::uint8_t param = 0;
  Bytes data;
  std::string context;
};

// Cmd|Param|InLen|InData. Throws UsageError when InData exceeds the 16-bit length field.
Bytes encode_command(const Command& command, bool clear_error);

// Whether the host sets Cmd bit 7 for this command (spec §0 table, §5.1): Trust M hosts set it on
// every command except the last-error read (which would otherwise clear what it reads); Trust X
// hosts only on OpenApplication.
bool uses_clear_error_bit(chip::Model model, std::uint8_t code, bool is_error_read);

struct Response {
  std::uint8_t status = chip::status_ok;
  Bytes data;
  bool ok() const { return status == chip::status_ok; }
};

// Why a response could not be decoded; the session turns it into a ProtocolError.
struct MalformedResponse {
  std::string reason;
};

// Pure and bounds-checked so it can be fuzzed: accepts exactly 4 header bytes plus OutLen bytes,
// Sta 0x00 or 0xFF. Anything else (short, OutLen past the end, trailing bytes, other Sta values)
// is reported, never read past.
std::variant<Response, MalformedResponse> parse_response(ByteView apdu);

// parse_response that throws ProtocolError with the reason.
Response decode_response(ByteView apdu);

}  // namespace optiga::cmd
