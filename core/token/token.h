// The chip as a token (architecture "The chip as a token"): which objects a chip presents to
// PKCS#11 and OpenSSL, with their ids, labels, public keys and certificates, and the writes both
// front ends need. pkcs11/ and ossl_provider/ are thin adapters over this; neither knows the
// chip's object map, certificate formats or pairing rules.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/chip/ids.h"
#include "core/device/device.h"
#include "core/token/token_info.h"

namespace optiga::token {

// The value types of the token API, defined with the device layer that produces them.
using PublicKey = device::PublicKey;  // a chip key's public key (curve and the chip's BIT STRING)
using Signature = device::Signature;  // one ECDSA signature: DER and raw r‖s

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
  bool other_key_allowed = false;      // store it even when it certifies another key than the
                                       // paired slot's (the caller warns instead: optigactl write)
};

// The chip usage for what a key is asked to do (PKCS#11 CKA_SIGN / CKA_DERIVE): signing gets
// chip::signing_key_usage (Auth|Sign), key agreement KeyAgree. At least one must be asked for.
std::uint8_t key_usage_for(bool sign, bool derive);

// The chip API of the front ends: they reach the chip only through a Token (architecture "The
// chip as a token"), never through the Device below it.
class Token {
 public:
  explicit Token(device::Device& device);

  // The chip: model, UID-derived serial, firmware (opens the application on first use).
  chip::Model model();
  TokenInfo info();

  // Slots of this chip's model (see the free functions above).
  SlotRef parse_slot(std::string_view text);
  std::optional<SlotKind> slot_kind(std::uint16_t oid);
  // The ECC key slot a CKA_ID (2 bytes, E0 F1) or a label naming a slot ("E0F1", "0xE0F1")
  // names; nullopt when it names no ECC key slot of this model.
  std::optional<std::uint16_t> key_slot_of_id(ByteView id);
  std::optional<std::uint16_t> key_slot_of_label(std::string_view label);
  // The first general-purpose key slot (0xE0F1..0xE0F3) without a key, where a key goes when the
  // caller names no slot; nullopt when all hold one.
  std::optional<std::uint16_t> free_key_slot();
  // The curves this model can generate keys on, in the curve table's order.
  std::vector<chip::Algorithm> curves();

  // Reads: cached until something changes (our own writes, or the device's epoch). keys() and
  // certificates() read every slot; key() and certificates_in() read only the slot asked for
  // (and what it pairs with), so a process that signs once reads one key's metadata and public
  // key, nothing else.
  std::vector<KeyObject> keys();                  // key slots that hold a key
  // Every stored certificate, chains expanded; a slot torn by an interrupted write is left out
  // (and logged as a warning).
  std::vector<CertificateObject> certificates();
  std::optional<KeyObject> key(std::uint16_t oid);
  // Throws TornCertificate (token_error.h) for a slot torn by an interrupted write.
  std::vector<CertificateObject> certificates_in(std::uint16_t oid);
  // What a certificate or trust-anchor slot holds when it is neither empty nor a certificate in
  // a stored format ("612 bytes of PEM text"), so readers say what is wrong instead of "empty";
  // nullopt for an empty slot or one holding certificates.
  std::optional<std::string> non_certificate_content(std::uint16_t oid);

  // Generates a key pair in a key slot, with the given chip key usage or, when none is given,
  // chip::default_key_usage (the one default of every front end). Refuses (TokenError, saying
  // why) an occupied slot or the factory key 0xE0F0 unless `replace` is set, and a slot whose
  // change AC forbids it.
  KeyObject generate_key(std::uint16_t oid, chip::Algorithm curve, std::optional<std::uint8_t> usage = std::nullopt,
                         bool replace = false);

  // ECDSA with the slot's key over a digest of any length (cut or padded for the chip as
  // ecdsa_digest.h says). The signature comes in both forms (DER for OpenSSL, r‖s of fixed width
  // for PKCS#11) and was verified with the key's public key before it is returned.
  Signature sign(std::uint16_t oid, ByteView digest);
  // ECDH with the slot's key: the shared secret (the x-coordinate, field size). The peer comes
  // from parse_peer_key() (key_encoding.h); UsageError when it is not on the key's curve.
  Bytes derive(std::uint16_t oid, const PublicKey& peer);
  // n bytes from the chip's TRNG (any n: requested in the chunks the chip allows).
  Bytes random(std::size_t n);

  // Stores one DER certificate (checked: parses as X.509, fits the slot) as bare DER. The slot
  // comes from target (id/label) or, when neither names one, from the key on the chip whose
  // public key matches the certificate. Returns the slot written. The old content stays when
  // anything fails before the write; a write interrupted between its commands leaves the old
  // certificate or a slot every reader reports torn (certificate_write.h).
  std::uint16_t store_certificate(ByteView der, const CertificateTarget& target);
  // Erases a certificate or trust-anchor slot (erase & write of nothing: used size 0).
  void erase_certificate(std::uint16_t oid);

 private:
  void refresh();
  void invalidate();
  // One slot read from the chip: its key (nullopt: none offered) or its certificates.
  std::optional<KeyObject> load_key(std::uint16_t oid);
  std::vector<CertificateObject> load_certificates(std::uint16_t oid, SlotKind kind);
  // Whether what was read of `oid` at device epoch `at` is still what the chip holds.
  bool still_valid(std::uint16_t oid, std::uint64_t at) const;

  template <class T>
  struct Cached {
    std::uint64_t epoch = 0;
    T value;
  };
  device::Device& device_;
  std::optional<std::uint64_t> cached_epoch_;  // keys_ and certificates_ hold every slot
  std::vector<KeyObject> keys_;
  std::vector<CertificateObject> certificates_;
  std::map<std::uint16_t, Cached<std::optional<KeyObject>>> key_slots_;           // read one by one
  std::map<std::uint16_t, Cached<std::vector<CertificateObject>>> certificate_slots_;
  std::map<std::uint16_t, std::string> torn_;  // slot → what every reader is told (set by load_certificates)
  bool torn_reported_ = false;                  // certificates() logged torn_ already
};

}  // namespace optiga::token
