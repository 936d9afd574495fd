// Device: key generation, signatures (normalised and verified), verification, ECDH, and the
// public keys the chip does not keep.
#include <algorithm>

#include "core/chip/chip_error.h"
#include "core/chip/der.h"
#include "core/chip/object_map.h"
#include "core/cmd/commands.h"
#include "core/device/device.h"
#include "core/device/key_slots.h"
#include "core/util/error.h"

namespace optiga::device {

namespace {
constexpr std::size_t min_digest = 10;  // CalcSign accepts 10 bytes up to the key size (§5.6)

bool is_rsa(chip::Algorithm a) { return a == chip::Algorithm::rsa_1024 || a == chip::Algorithm::rsa_2048; }

unsigned field_bytes(chip::Algorithm curve) {
  const auto info = chip::curve_info(curve);
  if (!info) throw UsageError("not an ECC curve: " + std::string(chip::algorithm_name(static_cast<std::uint8_t>(curve))));
  return info->field_bytes;
}
}  // namespace

void Device::check_key_slot(std::uint16_t oid, bool ecc_only, const char* what) {
  const auto* info = chip::find_object(session_.model(), oid);
  const bool ok = info && (info->kind == chip::ObjectKind::ecc_key || (!ecc_only && info->kind == chip::ObjectKind::rsa_key));
  if (!ok)
    throw UsageError(std::string(what) + " " + chip::oid_text(oid) + ": not " + (ecc_only ? "an ECC" : "a") +
                     " key object of " + std::string(chip::model_name(session_.model())));
}

KeyGenResult Device::generate_key(std::uint16_t oid, chip::Algorithm algorithm, std::uint8_t usage) {
  Operation op(*this);
  check_key_slot(oid, false, "GenKeyPair into");
  const auto* info = chip::find_object(session_.model(), oid);
  if (is_rsa(algorithm) != (info->kind == chip::ObjectKind::rsa_key) ||
      (!is_rsa(algorithm) && !chip::curve_info(algorithm)))
    throw UsageError("GenKeyPair into " + chip::oid_text(oid) + ": " +
                     std::string(chip::algorithm_name(static_cast<std::uint8_t>(algorithm))) + " does not fit a " +
                     std::string(chip::object_kind_name(info->kind)));
  if (!chip::model_supports(session_.model(), algorithm))
    throw UsageError("GenKeyPair into " + chip::oid_text(oid) + ": " + std::string(chip::model_name(session_.model())) +
                     " does not support " + std::string(chip::algorithm_name(static_cast<std::uint8_t>(algorithm))));

  KeyGenResult result;
  note_write(oid);
  result.public_key = cmd::parse_gen_key_pair(run(cmd::gen_key_pair(algorithm, oid, usage)));
  if (!is_rsa(algorithm)) public_keys_[oid] = PublicKey{algorithm, result.public_key, "generated", {}};
  if (const auto store = public_key_object(oid)) {
    try {
      write_object(*store, result.public_key, true);
      result.public_key_object = store;
    } catch (const Error& e) {
      // The key exists now whatever happens here; the caller decides how to keep its public key.
      result.store_error = e.what();
    }
  }
  return result;
}

void Device::set_public_key(std::uint16_t oid, ByteView bit_string, std::optional<chip::Algorithm> curve) {
  Operation op(*this);
  if (!curve) curve = detect_curve(crypto_, bit_string);
  if (!curve || !is_point_on(crypto_, *curve, bit_string))
    throw UsageError("public key for " + chip::oid_text(oid) + " is not a point on a curve the chip knows");
  public_keys_[oid] = PublicKey{*curve, Bytes(bit_string.begin(), bit_string.end()), "caller", {}};
}

PublicKey Device::public_key(std::uint16_t oid) {
  Operation op(*this);
  check_key_slot(oid, true, "public key of");
  if (auto it = public_keys_.find(oid); it != public_keys_.end()) return it->second;
  // A store that cannot be read (access condition) or holds garbage is not fatal: the
  // certificate may still tell.
  if (const auto store = public_key_object(oid)) {
    try {
      if (auto key = parse_stored_public_key(crypto_, read_object(*store))) {
        key->source = chip::oid_text(*store);
        return public_keys_[oid] = *key;
      }
    } catch (const chip::ChipError&) {
    }
  }
  if (const auto cert = paired_certificate(oid)) {
    try {
      if (auto key = public_key_from_certificate_object(crypto_, read_object(*cert))) {
        key->source = "certificate " + chip::oid_text(*cert);
        return public_keys_[oid] = *key;
      }
    } catch (const chip::ChipError&) {
    }
  }
  throw UsageError("no public key known for " + chip::oid_text(oid) +
                   ": neither its public-key object nor its certificate holds one");
}

Signature Device::sign_digest(std::uint16_t oid, ByteView digest) {
  PublicKey key;
  Bytes chip_sig;
  {
    // Only the chip's part holds the chip: decoding and verifying run while another process signs.
    Operation op(*this);
    check_key_slot(oid, true, "sign with");
    key = public_key(oid);
    const unsigned width = field_bytes(key.curve);
    if (digest.size() < min_digest || digest.size() > width)
      throw UsageError("sign with " + chip::oid_text(oid) + ": digest of " + std::to_string(digest.size()) +
                       " bytes; the chip takes " + std::to_string(min_digest) + ".." + std::to_string(width));
    chip_sig = run(cmd::calc_sign(oid, digest));
  }
  const unsigned width = field_bytes(key.curve);
  Signature sig;
  try {
    sig.der = chip::ecdsa_chip_to_der(chip_sig);
    sig.raw = chip::ecdsa_chip_to_raw(chip_sig, width);
  } catch (const ParseError& e) {
    throw ProtocolError("sign with " + chip::oid_text(oid) + ": malformed signature from the chip: " + e.what());
  }
  // A bus fault must never turn into a bad signature handed to a peer (architecture "Signatures").
  if (!verify_ecdsa(crypto_, key, digest, sig.der))
    throw ProtocolError("sign with " + chip::oid_text(oid) + ": the chip's signature does not verify with the public key from " +
                        key.source + "; not returned");
  return sig;
}

bool Device::verify(chip::Algorithm curve, ByteView public_key, ByteView digest, ByteView der_signature) {
  Operation op(*this);
  field_bytes(curve);  // throws UsageError for a non-ECC id
  if (!is_point_on(crypto_, curve, public_key)) throw UsageError("verify: public key is not a point on the given curve");
  Bytes chip_sig;
  try {
    chip_sig = chip::ecdsa_der_to_chip(der_signature);
  } catch (const ParseError& e) {
    throw UsageError(std::string("verify: malformed DER signature: ") + e.what());
  }
  try {
    run(cmd::verify_sign(digest, chip_sig, curve, public_key));
    return true;
  } catch (const chip::ChipError& e) {
    if (e.code() == chip::err::signature_verification) return false;
    throw;
  }
}

bool Device::verify_with_certificate(std::uint16_t cert_oid, ByteView digest, ByteView der_signature) {
  Operation op(*this);
  Bytes chip_sig;
  try {
    chip_sig = chip::ecdsa_der_to_chip(der_signature);
  } catch (const ParseError& e) {
    throw UsageError(std::string("verify: malformed DER signature: ") + e.what());
  }
  try {
    run(cmd::verify_sign_with_cert(digest, chip_sig, cert_oid));
    return true;
  } catch (const chip::ChipError& e) {
    if (e.code() == chip::err::signature_verification) return false;
    throw;
  }
}

Bytes Device::ecdh(std::uint16_t oid, ByteView peer_bit_string) {
  Operation op(*this);
  check_key_slot(oid, true, "ECDH with");
  std::optional<chip::Algorithm> curve;
  if (auto it = public_keys_.find(oid); it != public_keys_.end()) curve = it->second.curve;
  else curve = detect_curve(crypto_, peer_bit_string);
  // The chip would refuse an off-curve point too, but only after a round trip and as a bare 0x05.
  if (!curve || !is_point_on(crypto_, *curve, peer_bit_string))
    throw UsageError("ECDH with " + chip::oid_text(oid) + ": peer key is not a point on the key's curve");
  Bytes secret = run(cmd::calc_ssec(oid, *curve, peer_bit_string));
  if (secret.size() != field_bytes(*curve))
    throw ProtocolError("ECDH with " + chip::oid_text(oid) + ": shared secret of " + std::to_string(secret.size()) + " bytes");
  return secret;
}

}  // namespace optiga::device
