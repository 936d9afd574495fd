#include "core/chip/ids.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace optiga::chip {

std::string_view error_name(std::uint8_t code) {
  switch (code) {
    case err::no_error: return "no error";
    case err::invalid_oid: return "invalid OID";
    case err::invalid_param: return "invalid Param field";
    case err::invalid_length: return "invalid length field";
    case err::invalid_parameter_in_data: return "invalid parameter in data field";
    case err::internal_process: return "internal process error";
    case err::access_conditions: return "access conditions not satisfied";
    case err::boundary_exceeded: return "data object boundary exceeded";
    case err::metadata_truncation: return "metadata truncation error";
    case err::invalid_command: return "invalid command field";
    case err::out_of_sequence: return "command out of sequence";
    case err::command_not_available: return "command not available";
    case err::insufficient_buffer: return "insufficient buffer/memory";
    case err::counter_threshold: return "counter threshold limit exceeded";
    case err::invalid_manifest: return "invalid manifest";
    case err::invalid_payload_version: return "invalid/wrong payload version";
    case err::invalid_metadata: return "invalid metadata of the key/data object";
    case err::unsupported_extension: return "unsupported extension/identifier";
    case err::unsupported_parameters: return "unsupported parameters";
    case err::invalid_certificate_format: return "invalid certificate format";
    case err::unsupported_certificate: return "unsupported certificate";
    case err::signature_verification: return "signature verification failure";
    case err::integrity_validation: return "integrity validation failure";
    case err::decryption_failure: return "decryption failure";
    case err::authorization_failure: return "authorization failure";
    default: return "unknown error";
  }
}

std::string oid_label(std::uint16_t oid) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out(4, '0');
  for (int i = 3; i >= 0; --i, oid = static_cast<std::uint16_t>(oid >> 4)) out[static_cast<std::size_t>(i)] = digits[oid & 0xF];
  return out;
}

std::string oid_text(std::uint16_t oid) { return "0x" + oid_label(oid); }

namespace {
constexpr std::array<CurveInfo, 6> curves_table = {{
    {Algorithm::nist_p256, "P-256", "prime256v1", "1.2.840.10045.3.1.7", 32, 256},
    {Algorithm::nist_p384, "P-384", "secp384r1", "1.3.132.0.34", 48, 384},
    {Algorithm::nist_p521, "P-521", "secp521r1", "1.3.132.0.35", 66, 521},
    {Algorithm::brainpool_p256r1, "brainpoolP256r1", "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7", 32, 256},
    {Algorithm::brainpool_p384r1, "brainpoolP384r1", "brainpoolP384r1", "1.3.36.3.3.2.8.1.1.11", 48, 384},
    {Algorithm::brainpool_p512r1, "brainpoolP512r1", "brainpoolP512r1", "1.3.36.3.3.2.8.1.1.13", 64, 512},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}
}  // namespace

std::span<const CurveInfo> curves() { return curves_table; }

std::optional<CurveInfo> curve_info(Algorithm alg) {
  for (const auto& c : curves_table)
    if (c.algorithm == alg) return c;
  return std::nullopt;
}

std::optional<CurveInfo> curve_by_name(std::string_view name) {
  const std::string n = lower(name);
  for (const auto& c : curves_table)
    if (n == lower(c.name) || n == lower(c.openssl_name)) return c;
  if (n == "secp256r1" || n == "p256" || n == "nistp256") return curves_table[0];
  if (n == "p384" || n == "nistp384") return curves_table[1];
  if (n == "p521" || n == "nistp521") return curves_table[2];
  return std::nullopt;
}

std::string_view algorithm_name(std::uint8_t alg) {
  if (auto c = curve_info(static_cast<Algorithm>(alg))) return c->name;
  switch (alg) {
    case 0x41: return "RSA-1024";
    case 0x42: return "RSA-2048";
    case 0x81: return "AES-128";
    case 0x82: return "AES-192";
    case 0x83: return "AES-256";
    case 0xE2: return "SHA-256";
    default: return "unknown algorithm";
  }
}

std::string_view lcs_name(std::uint8_t value) {
  switch (value) {
    case lcs::creation: return "creation";
    case lcs::initialization: return "initialization";
    case lcs::operational: return "operational";
    case lcs::termination: return "termination";
    default: return "undefined";
  }
}

std::string_view object_type_name(std::uint8_t type) {
  switch (static_cast<ObjectType>(type)) {
    case ObjectType::bstr: return "BSTR";
    case ObjectType::upctr: return "UPCTR";
    case ObjectType::trust_anchor: return "TA";
    case ObjectType::device_cert: return "DEVCERT";
    case ObjectType::pre_shared_secret: return "PRESSEC";
    case ObjectType::platform_binding: return "PTFBIND";
    case ObjectType::update_secret: return "UPDATSEC";
    case ObjectType::authorization_ref: return "AUTOREF";
  }
  return "unknown type";
}

std::string_view model_name(Model m) {
  switch (m) {
    case Model::trust_x: return "OPTIGA Trust X";
    case Model::trust_m_v1: return "OPTIGA Trust M V1";
    case Model::trust_m_v3: return "OPTIGA Trust M V3";
  }
  return "unknown";
}

std::string_view model_token(Model m) {
  switch (m) {
    case Model::trust_x: return "trust-x";
    case Model::trust_m_v1: return "trust-m-v1";
    case Model::trust_m_v3: return "trust-m-v3";
  }
  return "unknown";
}

std::optional<Model> model_from_token(std::string_view token) {
  const std::string t = lower(token);
  if (t == "trust-x" || t == "x") return Model::trust_x;
  if (t == "trust-m-v1" || t == "m1" || t == "m-v1") return Model::trust_m_v1;
  if (t == "trust-m-v3" || t == "trust-m" || t == "m3" || t == "m-v3") return Model::trust_m_v3;
  return std::nullopt;
}

bool model_supports(Model m, Algorithm alg) {
  switch (alg) {
    case Algorithm::nist_p256:
    case Algorithm::nist_p384: return true;
    case Algorithm::nist_p521:
    case Algorithm::brainpool_p256r1:
    case Algorithm::brainpool_p384r1:
    case Algorithm::brainpool_p512r1:
    case Algorithm::aes_128:
    case Algorithm::aes_192:
    case Algorithm::aes_256: return m == Model::trust_m_v3;
    case Algorithm::rsa_1024:
    case Algorithm::rsa_2048: return m != Model::trust_x;
  }
  return false;
}

}  // namespace optiga::chip
