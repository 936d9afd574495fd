// Which chip objects are token slots, and how they pair (architecture "The chip as a token").
#include <string>

#include "core/chip/object_map.h"
#include "core/token/token.h"
#include "core/token/token_error.h"
#include "core/util/error.h"

namespace optiga::token {

std::optional<SlotKind> slot_kind(std::uint16_t oid, chip::Model model) {
  const chip::ObjectInfo* info = chip::find_object(model, oid);
  if (!info) return std::nullopt;
  switch (info->kind) {
    case chip::ObjectKind::ecc_key: return SlotKind::ecc_key;
    case chip::ObjectKind::rsa_key: return SlotKind::rsa_key;
    case chip::ObjectKind::device_certificate: return SlotKind::certificate;
    case chip::ObjectKind::trust_anchor: return SlotKind::trust_anchor;
    default: return std::nullopt;
  }
}

namespace {
std::string slot_list(chip::Model model) {
  std::string keys, certs, anchors;
  for (const auto& o : chip::objects(model)) {
    auto kind = slot_kind(o.oid, model);
    if (!kind) continue;
    std::string& list = (*kind == SlotKind::certificate) ? certs : (*kind == SlotKind::trust_anchor) ? anchors : keys;
    list += (list.empty() ? "" : " ") + ("0x" + oid_label(o.oid));
  }
  return "key slots " + keys + "; certificate slots " + certs + "; trust anchors " + anchors;
}
}  // namespace

SlotRef parse_slot(std::string_view text, chip::Model model) {
  std::string_view t = text;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t.remove_prefix(2);
  if (t.size() != 4 || t.find_first_not_of("0123456789abcdefABCDEF") != std::string_view::npos)
    throw TokenError(Refusal::not_a_slot, "'" + std::string(text) + "' is not a slot: write a chip object id such as 0xE0F1");
  const auto oid = static_cast<std::uint16_t>(std::stoul(std::string(t), nullptr, 16));
  auto kind = slot_kind(oid, model);
  if (!kind)
    throw TokenError(Refusal::not_a_slot, "0x" + oid_label(oid) + " is not a key or certificate slot of " +
                     std::string(chip::model_name(model)) + " (it has " + slot_list(model) + ")");
  return SlotRef{oid, *kind};
}

std::optional<std::uint16_t> paired_certificate_slot(std::uint16_t key_oid) {
  if (key_oid >= 0xE0F0 && key_oid <= 0xE0F3) return static_cast<std::uint16_t>(key_oid - 0x10);
  return std::nullopt;
}

std::optional<std::uint16_t> paired_key_slot(std::uint16_t certificate_oid) {
  if (certificate_oid >= 0xE0E0 && certificate_oid <= 0xE0E3) return static_cast<std::uint16_t>(certificate_oid + 0x10);
  return std::nullopt;
}

Bytes oid_id(std::uint16_t oid) { return Bytes{static_cast<std::uint8_t>(oid >> 8), static_cast<std::uint8_t>(oid)}; }

}  // namespace optiga::token
