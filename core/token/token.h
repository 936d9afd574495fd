// The chip as a token (architecture "The chip as a token"): which objects a chip presents to
// PKCS#11 and OpenSSL, with their ids, labels, public keys and certificates, and the writes both
// front ends need. pkcs11/ and ossl_provider/ are thin adapters over this; neither knows the
// chip's object map, certificate formats or pairing rules.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/chip/ids.h"
#include "core/device/device.h"

namespace optiga::token {

enum class SlotKind { ecc_key, rsa_key, certificate, trust_anchor };

struct SlotRef {
  std::uint16_t oid = 0;
  SlotKind kind = SlotKind::ecc_key;
};

// "0xE0F1", "E0F1", "e0f1" → the slot, if the model has it as a key, certificate or trust-anchor
// slot. Throws UsageError naming the slot and what the model has instead.
SlotRef parse_slot(std::string_view text, chip::Model model);
std::optional<SlotKind> slot_kind(std::uint16_t oid, chip::Model model);
// Key slot ↔ certificate slot pairing: 0xE0F0‥3 ↔ 0xE0E0‥3.
std::optional<std::uint16_t> paired_certificate_slot(std::uint16_t key_oid);
std::optional<std::uint16_t> paired_key_slot(std::uint16_t certificate_oid);
// "E0F1": the default label (one formatter for every front end: core/chip/ids.h).
using chip::oid_label;
// CKA_ID bytes of a chip object id (big-endian, 2 bytes).
Bytes oid_id(std::uint16_t oid);

struct KeyObject {
  std::uint16_t oid = 0;
  chip::Algorithm curve = chip::Algorithm::nist_p256;
  std::uint8_t usage = 0;      // chip key usage bits (metadata 0xE1)
  device::PublicKey public_key;
  Bytes id;                    // CKA_ID = oid_id(oid)
  std::string label;           // default oid_label(oid)
  bool modifiable = false;     // change AC allows GenKeyPair now (from metadata and life cycle)
  bool can_sign() const { return usage & (chip::key_usage::sign | chip::key_usage::auth); }
  bool can_derive() const { return usage & chip::key_usage::key_agreement; }
};

struct CertificateObject {
  std::uint16_t oid = 0;       // the certificate or trust-anchor slot it is stored in
  std::size_t chain_index = 0; // 0 = the slot's own certificate; 1.. = the rest of a stored chain
  Bytes der;                   // one X.509 certificate
  Bytes id;                    // paired key's oid_id for certificate slots; own oid_id for anchors
  std::string label;           // default oid_label(oid) (chain members: "E0E0.1", ...)
  bool trusted = false;        // trust anchors
  bool modifiable = false;     // change AC allows writing now
};

// Where a certificate write goes (C_CreateObject, or a tool writing a certificate).
struct CertificateTarget {
  std::optional<Bytes> id;             // CKA_ID: a key oid (→ paired slot) or a certificate/anchor oid
  std::optional<std::string> label;    // CKA_LABEL naming a slot ("E0E1")
  bool trusted = false;                // wants a trust-anchor slot
};

class Token {
 public:
  explicit Token(device::Device& device);
  device::Device& device() { return device_; }

  // Reads: cached until something changes (our own writes, or device().epoch()).
  std::vector<KeyObject> keys();                  // key slots that hold a key
  std::vector<CertificateObject> certificates();  // every stored certificate, chains expanded
  std::optional<KeyObject> key(std::uint16_t oid);
  std::vector<CertificateObject> certificates_in(std::uint16_t oid);

  // Generates a key pair in a key slot. Refuses (UsageError, saying why) an occupied slot or
  // the factory key 0xE0F0 unless `replace` is set, and a slot whose change AC forbids it.
  KeyObject generate_key(std::uint16_t oid, chip::Algorithm curve, std::uint8_t usage, bool replace = false);
  // Stores one DER certificate (checked: parses as X.509, fits the slot) as bare DER. The slot
  // comes from target (id/label) or, when neither names one, from the key on the chip whose
  // public key matches the certificate. Returns the slot written. The old content stays when
  // anything fails before the write.
  std::uint16_t store_certificate(ByteView der, const CertificateTarget& target);
  // Erases a certificate or trust-anchor slot (erase & write of nothing: used size 0).
  void erase_certificate(std::uint16_t oid);

 private:
  void refresh();
  device::Device& device_;
  std::optional<std::uint64_t> cached_epoch_;
  std::vector<KeyObject> keys_;
  std::vector<CertificateObject> certificates_;
};

}  // namespace optiga::token
