// What the trace log (log_level = trace) shows of each APDU the command layer exchanges: the
// command's name, the object it addresses, and the bytes in hex — except what may be secret,
// which shows as "<n bytes redacted>". The command layer sees plaintext even when the link is
// shielded, so this is the one place that decides what a trace may reveal:
//
//   - data of objects that hold or may hold a secret, written (SetDataObject) or read
//     (GetDataObject): 0xE140 (platform binding secret), key objects and session contexts, and
//     the arbitrary data objects 0xF1D0‥0xF1DB, 0xF1E0‥0xF1E1, which a chip may have typed as
//     an authorization reference, pre-shared or update secret (AUTOREF, PRESSEC, UPDATSEC): the
//     host cannot tell from the OID, so it never shows them;
//   - the whole InData of SetObjectProtected, encryption, decryption, hashing and unknown
//     commands; the whole OutData of GetRandom (callers make keys from it), CalcSSec and
//     DeriveKey (shared secrets), encryption, decryption, hashing and unknown commands, and of
//     GenKeyPair unless it is the public key alone.
//
// Headers (command, param, lengths), OIDs and offsets are always shown. PINs never reach the
// chip (the token checks them), so they cannot appear here.
#pragma once

#include <cstdint>
#include <string>

#include "core/util/bytes.h"

namespace optiga::cmd {

// "GetDataObject", "CalcSign", ...; "command 0x5A" for an unknown code. The clear-error bit is
// ignored.
std::string command_name(std::uint8_t code);

// Whether the data of this object is kept out of traces (see above).
bool object_data_secret(std::uint16_t oid);

// "SetDataObject 0xE140: 82 40 00 44 e1 40 00 00 <64 bytes redacted>" for an encoded command.
std::string trace_command(ByteView command_apdu);
// "SetDataObject 0xE140: 00 00 00 00" for the response to `command_apdu`.
std::string trace_response(ByteView command_apdu, ByteView response_apdu);

}  // namespace optiga::cmd
