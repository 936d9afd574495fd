#include "hal/sim/object_store.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "hal/sim/factory.h"

namespace optiga::sim {

namespace {

constexpr const char* format_name = "optiga-sim-state";
constexpr int format_version = 1;

std::string oid_key(std::uint16_t oid) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", oid);
  return buf;
}

bool has_store(const chip::ObjectInfo& info) { return info.kind != chip::ObjectKind::session_context; }

}  // namespace

ObjectStore ObjectStore::factory_fresh(chip::Model model, SimCrypto& crypto) {
  ObjectStore s(model);
  for (const auto& info : chip::objects(model)) {
    if (!has_store(info)) continue;
    StoredObject o;
    o.metadata = info.default_metadata;
    s.objects_[info.oid] = std::move(o);
    s.set_data(info.oid, info.default_value);
  }
  FactoryIdentity id = make_factory_identity(model, crypto);
  s.set_data(chip::oid::coprocessor_uid, id.uid);
  s.set_data(chip::oid::device_cert_1, id.certificate_object);
  StoredObject& key = s.objects_.at(chip::oid::ecc_key_1);
  key.private_der = std::move(id.key.private_der);
  key.metadata.algorithm = static_cast<std::uint8_t>(chip::Algorithm::nist_p256);
  key.metadata.key_usage = chip::key_usage::auth;
  return s;
}

StoredObject* ObjectStore::find(std::uint16_t oid) {
  auto it = objects_.find(oid);
  return it == objects_.end() ? nullptr : &it->second;
}

const StoredObject* ObjectStore::find(std::uint16_t oid) const {
  auto it = objects_.find(oid);
  return it == objects_.end() ? nullptr : &it->second;
}

void ObjectStore::set_data(std::uint16_t oid, Bytes data) {
  StoredObject& o = objects_.at(oid);
  o.data = std::move(data);
  // Key objects carry no size tags; everything else reports its used size.
  if (o.metadata.used_size || o.metadata.max_size) o.metadata.used_size = static_cast<std::uint16_t>(o.data.size());
}

nlohmann::json ObjectStore::to_json() const {
  nlohmann::json objs = nlohmann::json::object();
  for (const auto& [oid, o] : objects_) {
    nlohmann::json e = {{"data", to_hex(o.data)}, {"metadata", to_hex(o.metadata.serialize())}};
    if (!o.private_der.empty()) e["key"] = to_hex(o.private_der);
    objs[oid_key(oid)] = std::move(e);
  }
  return {{"format", format_name},
          {"version", format_version},
          {"model", std::string(chip::model_token(model_))},
          {"objects", std::move(objs)}};
}

ObjectStore ObjectStore::from_json(const nlohmann::json& j) {
  try {
    if (!j.is_object() || j.value("format", "") != format_name) throw std::invalid_argument("not an emulator state");
    if (j.at("version").get<int>() != format_version)
      throw std::invalid_argument("unsupported state version " + j.at("version").dump());
    const auto model = chip::model_from_token(j.at("model").get<std::string>());
    if (!model) throw std::invalid_argument("unknown model " + j.at("model").dump());
    ObjectStore s(*model);
    const auto& objs = j.at("objects");
    for (const auto& info : chip::objects(*model)) {
      if (!has_store(info)) continue;
      const std::string key = oid_key(info.oid);
      if (!objs.contains(key)) throw std::invalid_argument("object " + key + " missing");
      const auto& e = objs.at(key);
      StoredObject o;
      o.data = from_hex(e.at("data").get<std::string>());
      o.metadata = chip::Metadata::parse(from_hex(e.at("metadata").get<std::string>()));
      if (e.contains("key")) o.private_der = from_hex(e.at("key").get<std::string>());
      if (o.data.size() > info.max_size) throw std::invalid_argument("object " + key + " larger than its maximum");
      s.objects_[info.oid] = std::move(o);
    }
    if (objs.size() != s.objects_.size()) throw std::invalid_argument("objects the model does not have");
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw std::invalid_argument(e.what());
  }
}

}  // namespace optiga::sim
