#include "core/chip/object_map.h"

#include <algorithm>

namespace optiga::chip {

std::string_view object_kind_name(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::status: return "status";
    case ObjectKind::data: return "data";
    case ObjectKind::device_certificate: return "device certificate";
    case ObjectKind::trust_anchor: return "trust anchor";
    case ObjectKind::ecc_key: return "ECC key";
    case ObjectKind::rsa_key: return "RSA key";
    case ObjectKind::aes_key: return "AES key";
    case ObjectKind::session_context: return "session context";
    case ObjectKind::counter: return "monotonic counter";
    case ObjectKind::platform_binding: return "platform binding secret";
  }
  return "unknown";
}

namespace {

// Access conditions used by the default tables.
const Bytes alw{0x00};
const Bytes nev{0xFF};
const Bytes lcso_lt_op{0xE1, 0xFC, 0x07};
// LcsO < op || Conf(E140): the binding secret can be rewritten later only over a Shielded Connection.
const Bytes lcso_lt_op_or_conf_e140{0xE1, 0xFC, 0x07, 0xFE, 0x20, 0xE1, 0x40};

AccessCondition ac(const Bytes& raw) { return AccessCondition(raw); }

std::string numbered(const char* base, int n) { return std::string(base) + " " + std::to_string(n); }

std::string data_name(std::uint16_t oid) { return "Data object " + oid_label(oid); }

// Status objects (§6.1): LcsO op, size fixed at the value's size, read ALW, execute absent (NEV).
ObjectInfo status(std::uint16_t oid, std::string name, const Bytes& change, Bytes value) {
  ObjectInfo o;
  o.oid = oid;
  o.name = std::move(name);
  o.kind = ObjectKind::status;
  o.max_size = static_cast<std::uint16_t>(value.size());
  o.default_metadata.lcso = lcs::operational;
  o.default_metadata.max_size = o.max_size;
  o.default_metadata.used_size = o.max_size;
  o.default_metadata.change = ac(change);
  o.default_metadata.read = ac(alw);
  o.default_value = std::move(value);
  return o;
}

// Data-bearing objects in creation state, empty (used size 0) when fresh.
ObjectInfo stored(std::uint16_t oid, std::string name, ObjectKind kind, std::uint16_t max_size,
                  const Bytes& change, const Bytes& read, const Bytes* execute,
                  std::optional<ObjectType> type) {
  ObjectInfo o;
  o.oid = oid;
  o.name = std::move(name);
  o.kind = kind;
  o.max_size = max_size;
  o.default_metadata.lcso = lcs::creation;
  o.default_metadata.max_size = max_size;
  o.default_metadata.used_size = 0;
  o.default_metadata.change = ac(change);
  o.default_metadata.read = ac(read);
  if (execute) o.default_metadata.execute = ac(*execute);
  if (type) o.default_metadata.object_type = static_cast<std::uint8_t>(*type);
  return o;
}

// Key objects: no size tags; algorithm and usage appear once a key is generated.
ObjectInfo key(std::uint16_t oid, std::string name, ObjectKind kind, const Bytes& change) {
  ObjectInfo o;
  o.oid = oid;
  o.name = std::move(name);
  o.kind = kind;
  o.default_metadata.lcso = lcs::creation;
  o.default_metadata.change = ac(change);
  o.default_metadata.execute = ac(alw);
  return o;
}

ObjectInfo session(std::uint16_t oid, int n) {
  ObjectInfo o;
  o.oid = oid;
  o.name = numbered("Session context", n);
  o.kind = ObjectKind::session_context;
  return o;
}

std::vector<ObjectInfo> build(Model model) {
  const bool m = model != Model::trust_x;
  const bool v3 = model == Model::trust_m_v3;
  std::vector<ObjectInfo> v;

  v.push_back(status(oid::lcs_global, "Global life-cycle state", alw, {lcs::operational}));
  v.push_back(status(oid::security_status_global, "Global security status", alw, {0x20}));
  v.push_back(status(oid::coprocessor_uid, "Coprocessor UID", nev, Bytes(27, 0x00)));
  v.push_back(status(oid::sleep_delay, "Sleep mode activation delay", alw, {0x14}));
  v.push_back(status(oid::current_limit, "Current limitation", alw, {0x06}));
  v.push_back(status(oid::security_event_counter, "Security event counter", nev, {0x00}));
  // Trust X: the host reads 0xE0C6 to size its chunks; its real value is unverified (spec §5.7),
  // so the emulated Trust X reports the Trust M value 0x0615 (1557), which its library accepts.
  v.push_back(status(oid::max_comms_buffer, "Maximum comms buffer size", nev, {0x06, 0x15}));
  if (v3)
    v.push_back(status(oid::security_monitor_config, "Security monitor configuration", lcso_lt_op,
                       {0x50, 0x00, 0x05, 0x01, 0x00, 0x00, 0x00, 0x00}));

  // Device certificate 1 holds the factory identity: locked (change NEV) from the start.
  v.push_back(stored(oid::device_cert_1, "Device certificate 1", ObjectKind::device_certificate, 1728, nev,
                     alw, &alw, ObjectType::device_cert));
  for (int i = 1; i < 4; ++i)
    v.push_back(stored(static_cast<std::uint16_t>(oid::device_cert_1 + i), numbered("Device certificate", i + 1),
                       ObjectKind::device_certificate, 1728, lcso_lt_op, alw, &alw, ObjectType::device_cert));
  v.push_back(stored(oid::trust_anchor_1, "Trust anchor 1", ObjectKind::trust_anchor, 1200, lcso_lt_op, alw,
                     &alw, ObjectType::trust_anchor));
  if (m)
    v.push_back(stored(oid::trust_anchor_2, "Trust anchor 2", ObjectKind::trust_anchor, 1200, lcso_lt_op, alw,
                       &alw, ObjectType::trust_anchor));
  // Trust X calls 0xE0EF its second trust anchor; Trust M reserves it for protected update.
  v.push_back(stored(oid::trust_anchor_update, m ? "Trust anchor for protected update" : "Trust anchor 2",
                     ObjectKind::trust_anchor, 1200, lcso_lt_op, alw, &alw, ObjectType::trust_anchor));

  ObjectInfo k1 = key(oid::ecc_key_1, "ECC private key 1", ObjectKind::ecc_key, nev);
  // Pre-provisioned P-256 key, usage Auth, exactly as the real V3 dump shows it.
  k1.default_metadata.algorithm = static_cast<std::uint8_t>(Algorithm::nist_p256);
  k1.default_metadata.key_usage = key_usage::auth;
  v.push_back(k1);
  for (int i = 1; i < 4; ++i)
    v.push_back(key(static_cast<std::uint16_t>(oid::ecc_key_1 + i), numbered("ECC private key", i + 1),
                    ObjectKind::ecc_key, lcso_lt_op));
  if (m) {
    v.push_back(key(oid::rsa_key_1, "RSA private key 1", ObjectKind::rsa_key, lcso_lt_op));
    v.push_back(key(oid::rsa_key_2, "RSA private key 2", ObjectKind::rsa_key, lcso_lt_op));
  }
  for (int i = 0; i < 4; ++i) v.push_back(session(static_cast<std::uint16_t>(oid::session_context_1 + i), i + 1));
  if (m) {
    for (int i = 0; i < 4; ++i) {
      // Default LcsO: the real V3 dump's creation, not the SRM's initialization (spec §14.6).
      ObjectInfo c = stored(static_cast<std::uint16_t>(oid::monotonic_counter_1 + i), numbered("Monotonic counter", i + 1),
                            ObjectKind::counter, 8, lcso_lt_op, alw, &alw, ObjectType::upctr);
      // Counters always hold value(4) ‖ threshold(4); fresh ones are 0 with threshold 0.
      c.default_metadata.used_size = 8;
      c.default_value = Bytes(8, 0x00);
      v.push_back(c);
    }
    v.push_back(stored(oid::platform_binding, "Platform binding secret", ObjectKind::platform_binding, 64,
                       lcso_lt_op_or_conf_e140, lcso_lt_op, &alw, ObjectType::platform_binding));
  }
  if (v3) v.push_back(key(oid::aes_key_1, "AES key 1", ObjectKind::aes_key, nev));

  v.push_back(status(oid::lcs_application, "Application life-cycle state", alw, {lcs::creation}));
  v.push_back(status(oid::security_status_application, "Application security status", alw, {0x20}));
  v.push_back(status(oid::last_error, "Last error code", nev, {0x00}));

  // Trust X: 16 small objects. Their size is unverified (spec §6.2); we follow the only Trust X
  // specific source (Infineon's Python object map: 100-byte slots) rather than Trust M's 140.
  const int small_count = m ? 12 : 16;
  const std::uint16_t small_size = m ? 140 : 100;
  for (int i = 0; i < small_count; ++i) {
    const auto id = static_cast<std::uint16_t>(oid::data_type3_first + i);
    v.push_back(stored(id, data_name(id), ObjectKind::data, small_size, lcso_lt_op, alw, nullptr, std::nullopt));
  }
  for (int i = 0; i < 2; ++i) {
    const auto id = static_cast<std::uint16_t>(oid::data_type2_first + i);
    v.push_back(stored(id, data_name(id), ObjectKind::data, 1500, lcso_lt_op, alw, nullptr, std::nullopt));
  }
  std::sort(v.begin(), v.end(), [](const ObjectInfo& a, const ObjectInfo& b) { return a.oid < b.oid; });
  return v;
}

}  // namespace

const std::vector<ObjectInfo>& objects(Model model) {
  // Built once per model and never modified afterwards.
  static const std::vector<ObjectInfo> x = build(Model::trust_x);
  static const std::vector<ObjectInfo> m1 = build(Model::trust_m_v1);
  static const std::vector<ObjectInfo> m3 = build(Model::trust_m_v3);
  switch (model) {
    case Model::trust_x: return x;
    case Model::trust_m_v1: return m1;
    case Model::trust_m_v3: break;
  }
  return m3;
}

const ObjectInfo* find_object(Model model, std::uint16_t oid) {
  const auto& list = objects(model);
  auto it = std::lower_bound(list.begin(), list.end(), oid,
                             [](const ObjectInfo& o, std::uint16_t id) { return o.oid < id; });
  return it != list.end() && it->oid == oid ? &*it : nullptr;
}

}  // namespace optiga::chip
