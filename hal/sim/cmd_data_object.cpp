// GetDataObject / SetDataObject (spec §5.6) with access conditions, life cycle and the per-tag
// metadata change rules (§7.1).
#include <algorithm>

#include "core/util/error.h"
#include "hal/sim/chip_engine.h"

namespace optiga::sim {

namespace err = chip::err;
namespace oid = chip::oid;
using chip::ObjectKind;

namespace {

// Objects Get/SetDataObject cannot address at all (spec §5.6: session contexts).
void require_addressable(const chip::ObjectInfo& info) {
  if (info.kind == ObjectKind::session_context) fail(err::invalid_oid);
}

bool valid_lcs(std::uint8_t v) {
  return v == chip::lcs::creation || v == chip::lcs::initialization || v == chip::lcs::operational ||
         v == chip::lcs::termination;
}

bool known_type(std::uint8_t t) {
  switch (static_cast<chip::ObjectType>(t)) {
    case chip::ObjectType::bstr:
    case chip::ObjectType::upctr:
    case chip::ObjectType::trust_anchor:
    case chip::ObjectType::device_cert:
    case chip::ObjectType::pre_shared_secret:
    case chip::ObjectType::platform_binding:
    case chip::ObjectType::update_secret:
    case chip::ObjectType::authorization_ref: return true;
  }
  return false;
}

constexpr std::size_t max_metadata_body = 44;  // spec §7.1: metadata is at most 44 bytes

}  // namespace

Bytes ChipEngine::read_value(std::uint16_t id, const StoredObject& o) const {
  // Volatile status lives in the engine, not in the NVM image.
  switch (id) {
    case oid::security_status_global: return {security_status_global_};
    case oid::security_status_application: return {security_status_application_};
    case oid::last_error: return {last_error_};
    default: return o.data;
  }
}

ChipEngine::Reply ChipEngine::get_data_object(const Apdu& a) {
  if (a.param == chip::param::read_metadata) {
    if (a.data.size() != 2) fail(err::invalid_length);
    return get_metadata(get_u16(a.data, 0));
  }
  if (a.param != chip::param::read_data) fail(err::invalid_param);
  if (a.data.size() != 2 && a.data.size() != 6) fail(err::invalid_length);
  const std::uint16_t id = get_u16(a.data, 0);
  const std::size_t offset = a.data.size() == 6 ? get_u16(a.data, 2) : 0;
  const std::size_t length = a.data.size() == 6 ? get_u16(a.data, 4) : 0xFFFF;

  const chip::ObjectInfo& info = object_info(id);
  require_addressable(info);
  // Key material is never readable, whatever the metadata says.
  if (chip::is_key_kind(info.kind)) fail(err::access_conditions);
  const StoredObject& o = stored(id);
  require(o.metadata.read, o.metadata);
  const Bytes value = read_value(id, o);
  // Reading at or after the end of the used data is 0x08 (spec §5.2), except that an empty
  // object read from 0 returns no data rather than failing.
  if (offset > value.size() || (offset == value.size() && offset != 0)) fail(err::boundary_exceeded);
  const std::size_t n = std::min(length, value.size() - offset);
  Bytes out(value.begin() + static_cast<std::ptrdiff_t>(offset),
            value.begin() + static_cast<std::ptrdiff_t>(offset + n));
  return {std::move(out), latency_.get_data(n)};
}

ChipEngine::Reply ChipEngine::get_metadata(std::uint16_t id) {
  require_addressable(object_info(id));
  Bytes tlv = stored(id).metadata.serialize();
  const std::size_t n = tlv.size();
  return {std::move(tlv), latency_.get_data(n)};
}

ChipEngine::Reply ChipEngine::set_data_object(const Apdu& a) {
  if (a.data.size() < 4) fail(err::invalid_length);
  const std::uint16_t id = get_u16(a.data, 0);
  const std::uint16_t offset = get_u16(a.data, 2);
  const ByteView payload = a.data.subspan(4);
  if (a.param == chip::param::write_metadata) return set_metadata(id, offset, payload);
  if (a.param == chip::param::count) return count(id, payload);
  if (a.param != chip::param::write_data && a.param != chip::param::erase_and_write) fail(err::invalid_param);
  const bool erase = a.param == chip::param::erase_and_write;

  const chip::ObjectInfo& info = object_info(id);
  require_addressable(info);
  if (chip::is_key_kind(info.kind)) fail(err::access_conditions);  // keys only via GenKeyPair
  StoredObject& o = stored(id);
  require(o.metadata.change, o.metadata);
  if (std::size_t{offset} + payload.size() > info.max_size) fail(err::boundary_exceeded);
  if (info.kind == ObjectKind::status) {
    write_status(id, o, erase, offset, payload);
  } else {
    // Erase & write: object cleared, used size = offset + n (spec §5.6, Linux tool behaviour).
    // Write: bytes replaced, used size = max(used, offset + n); a gap reads as zeros.
    Bytes data = erase ? Bytes() : o.data;
    if (data.size() < offset + payload.size()) data.resize(offset + payload.size(), 0x00);
    std::copy(payload.begin(), payload.end(), data.begin() + offset);
    // A counter is always value(4) ‖ threshold(4).
    if (info.kind == ObjectKind::counter) data.resize(8, 0x00);
    nvm_->set_data(id, std::move(data));
    nvm_dirty_ = true;
  }
  return {{}, latency_.set_data(payload.size())};
}

void ChipEngine::write_status(std::uint16_t id, StoredObject& o, bool erase, std::uint16_t offset, ByteView data) {
  if (data.empty()) return;
  Bytes value = erase ? Bytes(o.data.size(), 0x00) : read_value(id, o);
  const std::uint8_t before = value.at(0);
  std::copy(data.begin(), data.end(), value.begin() + offset);
  switch (id) {
    case oid::security_status_global:
    case oid::security_status_application: {
      // Only achieved bits can be reset: a write clears the bits that are 0 in the data.
      const std::uint8_t v = erase ? 0 : static_cast<std::uint8_t>(before & value[0]);
      (id == oid::security_status_global ? security_status_global_ : security_status_application_) = v;
      return;
    }
    case oid::lcs_global:
    case oid::lcs_application:
      if (!valid_lcs(value[0]) || (id == oid::lcs_application && value[0] == chip::lcs::termination))
        fail(err::invalid_parameter_in_data);
      // Life cycles only move forward; a backward step is refused like any denied access.
      if (value[0] < o.data.at(0)) fail(err::access_conditions);
      break;
    case oid::sleep_delay:
      if (value[0] < 20) fail(err::invalid_parameter_in_data);
      break;
    case oid::current_limit:
      if (value[0] < 6 || value[0] > 15) fail(err::invalid_parameter_in_data);
      break;
    default: break;
  }
  nvm_->set_data(id, std::move(value));
  nvm_dirty_ = true;
}

ChipEngine::Reply ChipEngine::set_metadata(std::uint16_t id, std::uint16_t offset, ByteView tlv) {
  require_addressable(object_info(id));
  StoredObject& o = stored(id);
  if (offset != 0) fail(err::invalid_parameter_in_data);
  chip::Metadata u;
  try {
    u = chip::Metadata::parse(tlv);
  } catch (const ParseError&) {
    fail(err::invalid_parameter_in_data);
  }
  if (!u.other.empty()) fail(err::invalid_parameter_in_data);
  const bool v3 = model_ == chip::Model::trust_m_v3;
  if (!v3 && (u.version || u.update_descriptor || u.reset_type)) fail(err::invalid_parameter_in_data);
  // Sizes and the algorithm are maintained by the chip itself.
  if (u.max_size || u.used_size || u.algorithm) fail(err::access_conditions);
  for (const auto* ac : {&u.change, &u.read, &u.execute, &u.update_descriptor})
    if (*ac && (*ac)->validate()) fail(err::invalid_parameter_in_data);
  if (u.object_type && !known_type(*u.object_type)) fail(err::invalid_parameter_in_data);
  if (u.key_usage && (*u.key_usage == 0 || (*u.key_usage & ~chip::key_usage::defined_bits))) fail(err::invalid_parameter_in_data);

  // Every tag except LcsO may change only while LcsO < op; an absent LcsO counts as operational.
  const std::uint8_t current = o.metadata.lcso.value_or(chip::lcs::operational);
  const bool others = u.version || u.change || u.read || u.execute || u.update_descriptor || u.key_usage ||
                      u.object_type || u.reset_type;
  if (others && current >= chip::lcs::operational) fail(err::access_conditions);
  if (u.lcso) {
    if (!valid_lcs(*u.lcso)) fail(err::invalid_parameter_in_data);
    // Forward only; we answer a backward step with "access conditions not satisfied" (the real
    // code is unverified, spec §14.4).
    if (*u.lcso < current) fail(err::access_conditions);
  }
  chip::Metadata merged = o.metadata;
  merged.merge(u);
  if (merged.serialize().size() - 2 > max_metadata_body) fail(err::metadata_truncation);
  o.metadata = std::move(merged);
  nvm_dirty_ = true;
  return {{}, latency_.set_data(tlv.size())};
}

ChipEngine::Reply ChipEngine::count(std::uint16_t id, ByteView data) {
  const chip::ObjectInfo& info = object_info(id);
  require_addressable(info);
  if (chip::is_key_kind(info.kind)) fail(err::access_conditions);
  StoredObject& o = stored(id);
  // Counting needs an up-counter; any other type forbids the operation.
  if (o.metadata.object_type != static_cast<std::uint8_t>(chip::ObjectType::upctr) || o.data.size() != 8)
    fail(err::access_conditions);
  require(o.metadata.execute, o.metadata);
  if (data.size() != 1 || data[0] == 0) fail(err::invalid_parameter_in_data);
  const std::uint32_t value = get_u32(o.data, 0);
  const std::uint32_t threshold = get_u32(o.data, 4);
  if (value >= threshold) fail(err::counter_threshold);
  Bytes next;
  put_u32(next, static_cast<std::uint32_t>(std::min<std::uint64_t>(std::uint64_t{value} + data[0], threshold)));
  put_u32(next, threshold);
  nvm_->set_data(id, std::move(next));
  nvm_dirty_ = true;
  return {{}, latency_.set_data(1)};
}

}  // namespace optiga::sim
