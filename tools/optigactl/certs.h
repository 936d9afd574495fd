// What the certificate commands share: a slot argument resolved to its certificate slot and
// paired key slot (the pairing is core/token's answer), and the host-side certificate encodings
// (PEM in and out, whether a certificate certifies a key).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/device/public_key.h"
#include "core/util/bytes.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

struct SlotPair {
  std::uint16_t certificate_slot = 0;
  std::optional<std::uint16_t> key_slot;  // none for trust anchors
  bool trust_anchor = false;
};

// "0xE0F1" (a key slot: its paired certificate slot), "0xE0E1" (a certificate slot: its paired
// key slot) or "0xE0E8" (a trust anchor). Refuses (usage) anything else, naming what it is.
SlotPair resolve_slot_pair(Context& ctx, const std::string& text);

// The DER of a certificate file in PEM or DER form (DER is passed on as it is: the token checks
// it). Throws UsageError for a PEM file that holds no certificate.
Bytes certificate_file_der(ByteView file);
std::string certificate_pem(ByteView der);
// Whether the bytes are exactly one DER X.509 certificate.
bool is_certificate_der(ByteView der);
// Whether the certificate's SubjectPublicKeyInfo is the key's.
bool certifies(ByteView certificate_der, const device::PublicKey& key);
// The JSON null-or-"0xE0F1" form of an optional slot.
nlohmann::json slot_json(std::optional<std::uint16_t> oid);

}  // namespace optiga::cli
