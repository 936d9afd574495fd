#include "hal/sim/object_store.h"

#include <nlohmann/json.hpp>

#include "core/util/error.h"
#include "hal/sim/factory.h"

namespace optiga::sim {

namespace {

constexpr const char* format_name = "optiga-sim-state";
constexpr int format_version = 1;

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
    objs[chip::oid_label(oid)] = std::move(e);
  }
  return {{"format", format_name},
          {"version", format_version},
          {"model", std::string(chip::model_token(model_))},
          {"objects", std::move(objs)}};
}

ObjectStore ObjectStore::from_json(const nlohmann::json& j) {
  try {
    if (!j.is_object() || j.value("format", "") != format_name) throw ParseError("not an emulator state");
    if (j.at("version").get<int>() != format_version)
      throw ParseError("unsupported state version " + j.at("version").dump());
    const auto model = chip::model_from_token(j.at("model").get<std::string>());
    if (!model) throw ParseError("unknown model " + j.at("model").dump());
    ObjectStore s(*model);
    const auto& objs = j.at("objects");
    for (const auto& info : chip::objects(*model)) {
      if (!has_store(info)) continue;
      const std::string key = chip::oid_label(info.oid);
      if (!objs.contains(key)) throw ParseError("object " + key + " missing");
      const auto& e = objs.at(key);
      StoredObject o;
      o.data = from_hex(e.at("data").get<std::string>());
      o.metadata = chip::Metadata::parse(from_hex(e.at("metadata").get<std::string>()));
      if (e.contains("key")) o.private_der = from_hex(e.at("key").get<std::string>());
      if (o.data.size() > info.max_size) throw ParseError("object " + key + " larger than its maximum");
      s.objects_[info.oid] = std::move(o);
    }
    if (objs.size() != s.objects_.size()) throw ParseError("objects the model does not have");
    return s;
  } catch (const nlohmann::json::exception& e) {
    throw ParseError(e.what());
  }
}

}  // namespace optiga::sim
