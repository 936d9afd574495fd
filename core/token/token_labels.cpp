#include "core/token/token_labels.h"
#include "core/token/token_error.h"

#include <algorithm>

#include "core/token/token.h"
#include "core/util/error.h"

namespace optiga::token {
namespace {
constexpr std::uint8_t magic[4] = {'O', 'L', 'B', '1'};
constexpr std::size_t object_size = 140;
}  // namespace

Bytes LabelStore::encode(const std::map<std::uint16_t, std::string>& labels) {
  Bytes out(std::begin(magic), std::end(magic));
  for (const auto& [oid, text] : labels) {
    put_u16(out, oid);
    out.push_back(static_cast<std::uint8_t>(text.size()));
    out.insert(out.end(), text.begin(), text.end());
  }
  return out;
}

std::optional<std::map<std::uint16_t, std::string>> LabelStore::decode(ByteView stored) {
  std::map<std::uint16_t, std::string> labels;
  if (stored.empty()) return labels;
  if (stored.size() < sizeof magic || !std::equal(std::begin(magic), std::end(magic), stored.begin())) return std::nullopt;
  std::size_t pos = sizeof magic;
  while (pos < stored.size()) {
    if (pos + 3 > stored.size()) return std::nullopt;
    const std::uint16_t oid = get_u16(stored, pos);
    const std::size_t len = stored[pos + 2];
    pos += 3;
    if (pos + len > stored.size()) return std::nullopt;
    labels[oid] = std::string(stored.begin() + static_cast<std::ptrdiff_t>(pos),
                              stored.begin() + static_cast<std::ptrdiff_t>(pos + len));
    pos += len;
  }
  return labels;
}

const std::map<std::uint16_t, std::string>& LabelStore::load() {
  if (cached_epoch_ && *cached_epoch_ == device_.epoch()) return labels_;
  device::Device::Operation op(device_);
  Bytes stored;
  try {
    stored = device_.read_object(label_object);
  } catch (const Error&) {
    stored.clear();  // unreadable or absent on this chip: only default labels
  }
  const auto decoded = decode(stored);
  foreign_ = !decoded.has_value();
  labels_ = decoded.value_or(std::map<std::uint16_t, std::string>{});
  cached_epoch_ = device_.epoch();
  return labels_;
}

std::optional<std::string> LabelStore::label(std::uint16_t oid) {
  const auto& labels = load();
  const auto it = labels.find(oid);
  if (it == labels.end()) return std::nullopt;
  return it->second;
}

void LabelStore::store(std::map<std::uint16_t, std::string> labels) {
  const Bytes encoded = encode(labels);
  if (encoded.size() > object_size)
    throw TokenError(Refusal::label_invalid, "no room for this label: the labels of 0x" + oid_label(label_object) + " take at most " +
                     std::to_string(object_size) + " bytes");
  device::Device::Operation op(device_);
  device_.write_object(label_object, encoded, true);
  labels_ = std::move(labels);
  cached_epoch_ = device_.epoch();
}

void LabelStore::set_label(std::uint16_t oid, std::string_view label) {
  if (label.size() > max_label_length)
    throw TokenError(Refusal::label_invalid, "label of " + std::to_string(label.size()) + " bytes; at most " +
                     std::to_string(max_label_length));
  device::Device::Operation op(device_);
  auto labels = load();
  if (foreign_)
    throw TokenError(Refusal::label_invalid, "0x" + oid_label(label_object) + " holds other data; labels cannot be stored");
  // A label naming another chip object would make "object=E0F2" ambiguous.
  const std::string text(label);
  if (text.size() == 4 && text != oid_label(oid)) {
    try {
      const auto other = static_cast<std::uint16_t>(std::stoul(text, nullptr, 16));
      if (other != oid && other >= 0xE000) throw TokenError(Refusal::label_invalid, "label '" + text + "' is the name of object 0x" + text);
    } catch (const std::logic_error&) {
    }
  }
  if (text.empty() || text == oid_label(oid))
    labels.erase(oid);
  else
    labels[oid] = text;
  store(std::move(labels));
}

void LabelStore::clear(std::uint16_t oid) {
  device::Device::Operation op(device_);
  auto labels = load();
  if (foreign_ || !labels.contains(oid)) return;
  labels.erase(oid);
  store(std::move(labels));
}

}  // namespace optiga::token
