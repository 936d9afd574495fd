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

}  // namespace optiga
