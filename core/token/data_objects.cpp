#include "core/token/data_objects.h"

#include <algorithm>

#include "core/chip/object_map.h"
#include "core/token/token_error.h"
#include "core/util/error.h"

namespace optiga::token {
namespace {

constexpr std::uint8_t magic[4] = {'O', 'P', 'D', '1'};
enum Flag : std::uint8_t { is_private = 0x01, read_only = 0x02, permanent = 0x04, uncopyable = 0x08 };
enum Tag : std::uint8_t { label = 1, application = 2, object_id = 3, value = 4 };

void put_field(Bytes& out, std::uint8_t tag, ByteView bytes) {
  if (bytes.empty()) return;
  out.push_back(tag);
  put_u16(out, static_cast<std::uint16_t>(std::min<std::size_t>(bytes.size(), 0xFFFF)));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

ByteView text_bytes(const std::string& s) { return ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); }

// Whether the object's change access condition allows a write now (its life cycle included).
bool writable(const chip::Metadata& m) {
  if (!m.change) return false;
  chip::AcContext ctx;
  ctx.lcs_object = m.lcso.value_or(chip::lcs::operational);
  return m.change->evaluate(ctx);
}

}  // namespace

std::vector<std::uint16_t> DataObjectStore::chip_objects(chip::Model model) {
  std::vector<std::uint16_t> out;
  for (std::uint16_t oid = 0xF1D4; oid <= 0xF1DA; ++oid) out.push_back(oid);
  if (model == chip::Model::trust_x)
    for (std::uint16_t oid = 0xF1DC; oid <= 0xF1DF; ++oid) out.push_back(oid);
  return out;
}

Bytes DataObjectStore::encode(const DataObject& o) {
  Bytes out(std::begin(magic), std::end(magic));
  std::uint8_t flags = 0;
  if (o.is_private) flags |= is_private;
  if (!o.modifiable) flags |= read_only;
  if (!o.destroyable) flags |= permanent;
  if (!o.copyable) flags |= uncopyable;
  out.push_back(flags);
  put_field(out, label, text_bytes(o.label));
  put_field(out, application, text_bytes(o.application));
  put_field(out, object_id, o.object_id);
  put_field(out, value, o.value);
  return out;
}

std::optional<DataObject> DataObjectStore::decode(ByteView stored) {
  if (stored.size() < sizeof magic + 1 || !std::equal(std::begin(magic), std::end(magic), stored.begin())) return std::nullopt;
  DataObject o;
  const std::uint8_t flags = stored[sizeof magic];
  o.is_private = flags & is_private;
  o.modifiable = !(flags & read_only);
  o.destroyable = !(flags & permanent);
  o.copyable = !(flags & uncopyable);
  std::size_t pos = sizeof magic + 1;
  while (pos < stored.size()) {
    if (pos + 3 > stored.size()) return std::nullopt;
    const std::uint8_t tag = stored[pos];
    const std::size_t len = get_u16(stored, pos + 1);
    pos += 3;
    if (pos + len > stored.size()) return std::nullopt;
    const auto first = stored.begin() + static_cast<std::ptrdiff_t>(pos);
    const auto last = first + static_cast<std::ptrdiff_t>(len);
    switch (tag) {
      case label: o.label.assign(first, last); break;
      case application: o.application.assign(first, last); break;
      case object_id: o.object_id.assign(first, last); break;
      case value: o.value.assign(first, last); break;
      default: break;  // a field of a later version: skipped
    }
    pos += len;
  }
  return o;
}

void DataObjectStore::refresh() {
  device::Device::Operation op(device_);
  if (cached_epoch_ && *cached_epoch_ == device_.epoch()) return;
  std::vector<StoredDataObject> objects;
  std::vector<std::uint16_t> free;
  for (const std::uint16_t oid : chip_objects(device_.model())) {
    const chip::Metadata m = device_.read_metadata(oid);
    if (m.used_size.value_or(0) == 0) {
      if (writable(m)) free.push_back(oid);
      continue;
    }
    if (auto o = decode(device_.read_object(oid))) objects.push_back({oid, std::move(*o)});
  }
  objects_ = std::move(objects);
  free_ = std::move(free);
  cached_epoch_ = device_.epoch();
}

std::vector<StoredDataObject> DataObjectStore::objects() {
  refresh();
  return objects_;
}

std::optional<DataObject> DataObjectStore::object(std::uint16_t oid) {
  refresh();
  for (const auto& s : objects_)
    if (s.oid == oid) return s.object;
  return std::nullopt;
}

std::size_t DataObjectStore::capacity() {
  device::Device::Operation op(device_);
  const chip::ObjectInfo* info = chip::find_object(device_.model(), chip_objects(device_.model()).front());
  return info ? info->max_size : 0;
}

void DataObjectStore::check_size(const Bytes& encoded) {
  const std::size_t max = capacity();
  if (encoded.size() > max)
    throw TokenError(Refusal::does_not_fit, "data object of " + std::to_string(encoded.size()) + " bytes (with its " +
                     "attributes) does not fit a chip data object of " + std::to_string(max) + " bytes");
}

std::uint16_t DataObjectStore::create(const DataObject& object) {
  device::Device::Operation op(device_);
  const Bytes encoded = encode(object);
  check_size(encoded);
  refresh();
  if (free_.empty())
    throw TokenError(Refusal::does_not_fit, "no free chip data object for a data object (" +
                     std::to_string(chip_objects(device_.model()).size()) + " in all; destroy one first)");
  const std::uint16_t oid = free_.front();
  device_.write_object(oid, encoded, true);
  cached_epoch_.reset();
  return oid;
}

void DataObjectStore::update(std::uint16_t oid, const DataObject& object) {
  device::Device::Operation op(device_);
  const Bytes encoded = encode(object);
  check_size(encoded);
  if (!this->object(oid)) throw UsageError("0x" + chip::oid_label(oid) + " holds no data object");
  device_.write_object(oid, encoded, true);
  cached_epoch_.reset();
}

void DataObjectStore::erase(std::uint16_t oid) {
  device::Device::Operation op(device_);
  if (!object(oid)) throw UsageError("0x" + chip::oid_label(oid) + " holds no data object");
  device_.write_object(oid, {}, true);
  cached_epoch_.reset();
}

}  // namespace optiga::token
