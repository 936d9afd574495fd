// Token: the chip operations the front ends use (sign, derive, random) and the slot questions
// they ask, answered for the chip's model.
#include "core/chip/key_usage.h"
#include "core/token/ecdsa_digest.h"
#include "core/token/token.h"
#include "core/util/error.h"

namespace optiga::token {

std::uint8_t key_usage_for(bool sign, bool derive) {
  if (!sign && !derive) throw UsageError("a key must be for signing, key agreement or both");
  return static_cast<std::uint8_t>((sign ? chip::signing_key_usage : 0) | (derive ? chip::key_usage::key_agreement : 0));
}

SlotRef Token::parse_slot(std::string_view text) { return token::parse_slot(text, model()); }

std::optional<SlotKind> Token::slot_kind(std::uint16_t oid) { return token::slot_kind(oid, model()); }

std::optional<std::uint16_t> Token::key_slot_of_id(ByteView id) {
  if (id.size() != 2) return std::nullopt;
  const std::uint16_t oid = get_u16(id, 0);
  if (slot_kind(oid) != SlotKind::ecc_key) return std::nullopt;
  return oid;
}

std::optional<std::uint16_t> Token::key_slot_of_label(std::string_view label) {
  try {
    const SlotRef ref = parse_slot(label);
    if (ref.kind == SlotKind::ecc_key) return ref.oid;
  } catch (const UsageError&) {
    // A free-text label names no slot.
  }
  return std::nullopt;
}

std::optional<std::uint16_t> Token::free_key_slot() {
  // 0xE0F0 holds the factory key and is never chosen for the caller.
  for (const std::uint16_t oid : {0xE0F1, 0xE0F2, 0xE0F3})
    if (!key(oid)) return oid;
  return std::nullopt;
}

std::vector<chip::Algorithm> Token::curves() {
  const chip::Model m = model();
  std::vector<chip::Algorithm> out;
  for (const auto& c : chip::curves())
    if (chip::model_supports(m, c.algorithm)) out.push_back(c.algorithm);
  return out;
}

Signature Token::sign(std::uint16_t oid, ByteView digest) {
  device::Device::Operation op(device_);
  const device::PublicKey key = device_.public_key(oid);
  return device_.sign_digest(oid, ecdsa_digest_for_chip(digest, key.curve));
}

Bytes Token::derive(std::uint16_t oid, const PublicKey& peer) { return device_.ecdh(oid, peer.bit_string); }

Bytes Token::random(std::size_t n) { return device_.random(n); }

}  // namespace optiga::token
