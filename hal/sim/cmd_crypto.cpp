// GetRandom, GenKeyPair, CalcSign, VerifySign and CalcSSec (spec §5.6) for ECC keys.
#include "core/util/error.h"

#include "hal/sim/chip_engine.h"

namespace optiga::sim {

namespace err = chip::err;
namespace tlv = chip::tlv;
using chip::Algorithm;
using chip::ObjectKind;

namespace {

constexpr std::size_t max_signature_input = 520;
constexpr std::size_t max_verify_digest = 64;
constexpr std::size_t max_certificate = 1300;

// splitmix64: a tiny, well-mixed generator so the non-minimal signature quirk is reproducible
// from FaultOptions.seed.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

}  // namespace

bool ChipEngine::next_signature_non_minimal() {
  // About 1 signature in 16 carries a redundant leading 0x00 in an INTEGER (when r or s has a top
  // byte < 0x80), the firmware quirk hosts must normalise (spec §5.5, §14.7).
  return (mix(opts_.faults.seed ^ signature_count_++) & 0x0F) == 0;
}

std::uint64_t ChipEngine::protected_operation(std::uint64_t now_us) {
  const MonitorConfig cfg = monitor_config();
  const std::uint64_t delay = SecurityMonitor::throttle_delay_us(sec(), cfg);
  monitor_.record_event(now_us + delay, sec(), cfg);  // saved with the next NVM write (chip_engine.cpp)
  pending_throttle_us_ += delay;
  return delay;
}

ChipEngine::KeyRef ChipEngine::private_key(std::uint16_t id) {
  if (auto i = session_index(id)) {
    Session& s = sessions_[*i];
    if (!s.algorithm) fail(err::invalid_metadata);  // no key in this session context
    return {*s.algorithm, s.usage, &s.private_der, true};
  }
  const chip::ObjectInfo& info = object_info(id);
  if (info.kind != ObjectKind::ecc_key) fail(err::invalid_oid);
  StoredObject& o = stored(id);
  require(o.metadata.execute, o.metadata);
  // An empty key slot has no algorithm in its metadata.
  if (o.private_der.empty() || !o.metadata.algorithm) fail(err::invalid_metadata);
  return {static_cast<Algorithm>(*o.metadata.algorithm), o.metadata.key_usage.value_or(0), &o.private_der, false};
}

ChipEngine::Reply ChipEngine::get_random(const Apdu& a) {
  // Param 0x04 (pre-master secret into a session) and the optional session form are not emulated.
  if (a.param != chip::param::random_trng && a.param != chip::param::random_drng) fail(err::invalid_param);
  if (a.data.size() < 2) fail(err::invalid_length);
  if (a.data.size() != 2) fail(err::invalid_parameter_in_data);
  const std::size_t n = get_u16(a.data, 0);
  if (n < 8 || n > 256) fail(err::invalid_parameter_in_data);
  return {crypto_.random(n), latency_.get_random(n)};
}

ChipEngine::Reply ChipEngine::gen_key_pair(const Apdu& a) {
  const auto alg = static_cast<Algorithm>(a.param);
  const auto curve = chip::curve_info(alg);
  // The algorithm is the Param field: one this model cannot generate (or RSA, which the emulator
  // does not implement) is an invalid Param.
  if (!curve || !chip::model_supports(model_, alg)) fail(err::invalid_param);
  const CommandTlvs t = CommandTlvs::parse(a.data);
  t.allow_only({tlv::key_oid, tlv::key_usage, tlv::export_result});
  Bytes out;
  if (t.has(tlv::export_result)) {
    if (!t.get(tlv::export_result).empty() || t.has(tlv::key_oid) || t.has(tlv::key_usage)) fail(err::invalid_parameter_in_data);
    GeneratedKey key = crypto_.generate_ec(alg);
    Bytes priv{0x04, static_cast<std::uint8_t>(curve->field_bytes)};
    append(priv, inspector_.private_scalar(key.private_der, curve->field_bytes));
    put_tlv(out, tlv::private_key_out, priv);
    put_tlv(out, tlv::public_key_out, key.public_bitstring);
    return {std::move(out), latency_.keygen(alg)};
  }
  const std::uint16_t id = t.oid(tlv::key_oid);
  const std::uint8_t usage = t.byte(tlv::key_usage);
  if (usage == 0 || (usage & ~chip::key_usage::defined_bits)) fail(err::invalid_parameter_in_data);
  if (auto i = session_index(id)) {
    GeneratedKey key = crypto_.generate_ec(alg);
    sessions_[*i] = Session{alg, usage, std::move(key.private_der), {}};
    put_tlv(out, tlv::public_key_out, key.public_bitstring);
    return {std::move(out), latency_.keygen(alg)};
  }
  const chip::ObjectInfo& info = object_info(id);
  if (info.kind != ObjectKind::ecc_key) fail(err::invalid_oid);
  StoredObject& o = stored(id);
  // Generating replaces the key: it is a change of the object (0xE0F0 has change NEV).
  require(o.metadata.change, o.metadata);
  GeneratedKey key = crypto_.generate_ec(alg);
  o.private_der = std::move(key.private_der);
  o.metadata.algorithm = static_cast<std::uint8_t>(alg);
  o.metadata.key_usage = usage;
  nvm_dirty_ = true;
  put_tlv(out, tlv::public_key_out, key.public_bitstring);
  return {std::move(out), latency_.keygen(alg)};
}

ChipEngine::Reply ChipEngine::calc_sign(const Apdu& a, std::uint64_t now_us) {
  // ECDSA only; the RSA schemes 0x01‥0x03 are not emulated.
  if (a.param != chip::param::ecdsa_fips186) fail(err::invalid_param);
  const CommandTlvs t = CommandTlvs::parse(a.data);
  t.allow_only({tlv::digest, tlv::sign_key_oid});
  const Bytes& digest = t.get(tlv::digest);
  const KeyRef key = private_key(t.oid(tlv::sign_key_oid));
  if (!(key.usage & (chip::key_usage::sign | chip::key_usage::auth))) fail(err::unsupported_extension);
  const auto curve = chip::curve_info(key.algorithm);
  if (!curve) fail(err::invalid_metadata);
  if (digest.size() < 10 || digest.size() > curve->field_bytes) fail(err::invalid_parameter_in_data);
  protected_operation(now_us);
  Bytes sig = crypto_.sign_ecdsa(*key.private_der, digest, next_signature_non_minimal());
  return {std::move(sig), latency_.sign(key.algorithm)};
}

ChipEngine::Reply ChipEngine::verify_sign(const Apdu& a) {
  if (a.param != chip::param::ecdsa_fips186) fail(err::invalid_param);
  const CommandTlvs t = CommandTlvs::parse(a.data);
  t.allow_only({tlv::digest, tlv::signature, tlv::cert_oid, tlv::algorithm, tlv::public_key});
  const Bytes& digest = t.get(tlv::digest);
  const Bytes& signature = t.get(tlv::signature);
  if (signature.size() > max_signature_input) fail(err::invalid_parameter_in_data);
  Algorithm alg{};
  Bytes public_key;
  if (t.has(tlv::cert_oid)) {
    if (t.has(tlv::algorithm) || t.has(tlv::public_key)) fail(err::invalid_parameter_in_data);
    const std::uint16_t id = t.oid(tlv::cert_oid);
    const chip::ObjectInfo& info = object_info(id);
    if (info.kind == ObjectKind::session_context || chip::is_key_kind(info.kind)) fail(err::invalid_oid);
    const StoredObject& o = stored(id);
    // The chip reads the certificate, so the object's read condition applies.
    require(o.metadata.read, o.metadata);
    if (o.data.empty() || o.data[0] != 0x30) fail(err::invalid_certificate_format);
    if (o.data.size() > max_certificate) fail(err::unsupported_certificate);
    const auto ck = inspector_.certificate_key(o.data);
    if (!ck) fail(err::invalid_certificate_format);
    if (!ck->algorithm || !chip::model_supports(model_, *ck->algorithm)) fail(err::unsupported_certificate);
    alg = *ck->algorithm;
    public_key = ck->public_bitstring;
  } else {
    alg = static_cast<Algorithm>(t.byte(tlv::algorithm));
    if (!chip::curve_info(alg) || !chip::model_supports(model_, alg)) fail(err::invalid_parameter_in_data);
    public_key = t.get(tlv::public_key);
  }
  const auto curve = chip::curve_info(alg);
  if (digest.empty() || digest.size() > std::min<std::size_t>(curve->field_bytes, max_verify_digest))
    fail(err::invalid_parameter_in_data);
  bool ok = false;
  try {
    ok = crypto_.verify_ecdsa(alg, public_key, digest, signature);
  } catch (const UsageError&) {
    fail(err::invalid_parameter_in_data);
  }
  if (!ok) fail(err::signature_verification);
  return {{}, latency_.verify(alg)};
}

ChipEngine::Reply ChipEngine::calc_ssec(const Apdu& a, std::uint64_t now_us) {
  if (a.param != chip::param::ecdh) fail(err::invalid_param);
  const CommandTlvs t = CommandTlvs::parse(a.data);
  t.allow_only({tlv::key_oid, tlv::algorithm, tlv::public_key, tlv::export_result, tlv::session_oid});
  const KeyRef key = private_key(t.oid(tlv::key_oid));
  if (!(key.usage & chip::key_usage::key_agreement)) fail(err::unsupported_extension);
  const auto alg = static_cast<Algorithm>(t.byte(tlv::algorithm));
  if (alg != key.algorithm) fail(err::invalid_parameter_in_data);
  const Bytes& peer = t.get(tlv::public_key);
  const bool export_secret = t.has(tlv::export_result);
  if (export_secret == t.has(tlv::session_oid)) fail(err::invalid_parameter_in_data);
  if (export_secret && !t.get(tlv::export_result).empty()) fail(err::invalid_parameter_in_data);
  std::optional<std::size_t> target;
  if (!export_secret) {
    target = session_index(t.oid(tlv::session_oid));
    if (!target) fail(err::invalid_oid);
  }
  Bytes secret;
  try {
    secret = crypto_.ecdh(*key.private_der, alg, peer);
  } catch (const UsageError&) {
    fail(err::invalid_parameter_in_data);
  }
  // Session keys used for ECDH are exempt from the security monitor (spec §9.3).
  if (!key.session) protected_operation(now_us);
  if (export_secret) return {std::move(secret), latency_.ecdh(alg)};
  sessions_[*target] = Session{std::nullopt, 0, {}, std::move(secret)};
  return {{}, latency_.ecdh(alg)};
}

}  // namespace optiga::sim
