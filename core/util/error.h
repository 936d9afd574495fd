// The error types the core throws. Front ends translate them once, at their API boundary
// (CKR_* codes, the OpenSSL error stack, CLI messages with exit codes).
#pragma once

#include <stdexcept>
#include <string>

namespace optiga {

// Base of every error the project raises on purpose.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The bus or device cannot be used at all: no device node, permission denied, no chip answers.
class TransportError : public Error {
 public:
  using Error::Error;
};

// The chip answered but the IFX I2C link failed: time-out, repeated CRC errors, broken chain.
class ProtocolError : public Error {
 public:
  using Error::Error;
};

// The caller asked for something invalid before anything reached the chip (bad slot, bad size).
class UsageError : public Error {
 public:
  using Error::Error;
};

// Bytes or text that do not follow their format (DER, metadata TLVs, certificate objects, hex
// digits). The parsers cannot tell where the bytes came from; a caller that can says so by
// translating: chip data that fails to parse becomes a ProtocolError, caller input a UsageError.
class ParseError : public Error {
 public:
  using Error::Error;
};

// A library the project relies on failed for a reason that is neither the caller's input nor the
// chip (OpenSSL out of memory, an unexpected internal state).
class InternalError : public Error {
 public:
  using Error::Error;
};

}  // namespace optiga
