// Why the token refused a request, as a type front ends can map (PKCS#11 CKR_* codes, OpenSSL
// reasons, CLI exit codes) without reading message text. The message still says it for people.
#pragma once

#include <cstdint>
#include <string>

#include "core/util/error.h"

namespace optiga::token {

enum class Refusal {
  not_a_slot,         // the id names no key, certificate or trust-anchor slot of this model
  wrong_slot_kind,    // a slot of another kind (a certificate slot where a key slot is needed)
  slot_locked,        // change access condition / life cycle forbid the write
  slot_occupied,      // a key is there already and replacing it was not asked for
  factory_key,        // 0xE0F0, the chip's factory identity
  unsupported_curve,  // the model cannot generate this curve
  does_not_fit,       // larger than the object
  not_a_certificate,  // the bytes are not one DER X.509 certificate
  wrong_key,          // the certificate's public key is not the slot's key
  no_matching_slot,   // nothing names a slot and no key on the chip matches
  label_invalid,      // a label that cannot be stored (too long, no room, names another object)
};

class TokenError : public UsageError {
 public:
  TokenError(Refusal refusal, const std::string& message) : UsageError(message), refusal_(refusal) {}
  Refusal refusal() const { return refusal_; }

 private:
  Refusal refusal_;
};

// A certificate or trust-anchor slot holds what an interrupted write left (reset or power loss
// between its commands): every reader says so, with "torn" and "rewrite" in the message, instead
// of "empty" or the torn bytes. Chip data that does not parse, hence a ProtocolError (PKCS#11
// CKR_DEVICE_ERROR); optigactl exits 1 (docs/protocol-notes.md "Certificate writes and power loss").
class TornCertificate : public ProtocolError {
 public:
  TornCertificate(std::uint16_t slot, const std::string& message) : ProtocolError(message), slot_(slot) {}
  std::uint16_t slot() const { return slot_; }

 private:
  std::uint16_t slot_;
};

}  // namespace optiga::token
