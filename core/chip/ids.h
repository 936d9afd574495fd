// Identifiers of the OPTIGA command set and data model (spec §5.3, §5.4, §6, §7), shared by the
// host stack and the emulator so both speak the same numbers.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace optiga::chip {

// ---- Command codes (without the 0x80 "clear last error" bit) -------------------------------
namespace cmd {
inline constexpr std::uint8_t get_data_object = 0x01;
inline constexpr std::uint8_t set_data_object = 0x02;
inline constexpr std::uint8_t set_object_protected = 0x03;
inline constexpr std::uint8_t get_random = 0x0C;
inline constexpr std::uint8_t encrypt_asym = 0x1E;
inline constexpr std::uint8_t decrypt_asym = 0x1F;
inline constexpr std::uint8_t calc_hash = 0x30;
inline constexpr std::uint8_t calc_sign = 0x31;
inline constexpr std::uint8_t verify_sign = 0x32;
inline constexpr std::uint8_t calc_ssec = 0x33;
inline constexpr std::uint8_t derive_key = 0x34;
inline constexpr std::uint8_t gen_key_pair = 0x38;
inline constexpr std::uint8_t open_application = 0x70;
inline constexpr std::uint8_t close_application = 0x71;
inline constexpr std::uint8_t clear_error_flag = 0x80;
}  // namespace cmd

// GetDataObject / SetDataObject Param values.
namespace param {
inline constexpr std::uint8_t read_data = 0x00;
inline constexpr std::uint8_t read_metadata = 0x01;
inline constexpr std::uint8_t write_data = 0x00;
inline constexpr std::uint8_t write_metadata = 0x01;
inline constexpr std::uint8_t count = 0x02;
inline constexpr std::uint8_t erase_and_write = 0x40;
inline constexpr std::uint8_t random_trng = 0x00;
inline constexpr std::uint8_t random_drng = 0x01;
inline constexpr std::uint8_t ecdsa_fips186 = 0x11;  // CalcSign/VerifySign scheme
inline constexpr std::uint8_t ecdh = 0x01;           // CalcSSec
}  // namespace param

// Tags of the command TLVs (§5.6). Numbers repeat across commands, so each name says which
// field of which command it marks.
namespace tlv {
// CalcSign (digest, sign_key_oid) and VerifySign (digest, signature, cert_oid or algorithm + public_key)
inline constexpr std::uint8_t digest = 0x01;
inline constexpr std::uint8_t signature = 0x02;
inline constexpr std::uint8_t sign_key_oid = 0x03;
inline constexpr std::uint8_t cert_oid = 0x04;
inline constexpr std::uint8_t algorithm = 0x05;  // also CalcSSec
inline constexpr std::uint8_t public_key = 0x06;  // also CalcSSec: the peer's key
// GenKeyPair (key_oid, key_usage or export_result) and CalcSSec (key_oid, export_result or session_oid)
inline constexpr std::uint8_t key_oid = 0x01;
inline constexpr std::uint8_t key_usage = 0x02;
inline constexpr std::uint8_t export_result = 0x07;
inline constexpr std::uint8_t session_oid = 0x08;
// GenKeyPair response
inline constexpr std::uint8_t private_key_out = 0x01;
inline constexpr std::uint8_t public_key_out = 0x02;
}  // namespace tlv

// The application identifier OpenApplication selects: RID D2 76 00 00 04 || "GenAuthAppl".
inline constexpr std::uint8_t application_id[16] = {0xD2, 0x76, 0x00, 0x00, 0x04, 'G', 'e', 'n',
                                                    'A',  'u',  't',  'h',  'A',  'p', 'p', 'l'};

// GetRandom returns 8..256 bytes per call (spec §5.6).
inline constexpr std::size_t get_random_min = 8;
inline constexpr std::size_t get_random_max = 256;

// ---- Response status and device error codes (spec §5.1, §5.2) --------------------------------
inline constexpr std::uint8_t status_ok = 0x00;
inline constexpr std::uint8_t status_error = 0xFF;

namespace err {
inline constexpr std::uint8_t no_error = 0x00;
inline constexpr std::uint8_t invalid_oid = 0x01;
inline constexpr std::uint8_t invalid_param = 0x03;
inline constexpr std::uint8_t invalid_length = 0x04;
inline constexpr std::uint8_t invalid_parameter_in_data = 0x05;
inline constexpr std::uint8_t internal_process = 0x06;
inline constexpr std::uint8_t access_conditions = 0x07;
inline constexpr std::uint8_t boundary_exceeded = 0x08;
inline constexpr std::uint8_t metadata_truncation = 0x09;
inline constexpr std::uint8_t invalid_command = 0x0A;
inline constexpr std::uint8_t out_of_sequence = 0x0B;
inline constexpr std::uint8_t command_not_available = 0x0C;
inline constexpr std::uint8_t insufficient_buffer = 0x0D;
inline constexpr std::uint8_t counter_threshold = 0x0E;
inline constexpr std::uint8_t invalid_manifest = 0x0F;
inline constexpr std::uint8_t invalid_payload_version = 0x10;
inline constexpr std::uint8_t invalid_metadata = 0x11;
inline constexpr std::uint8_t unsupported_extension = 0x24;
inline constexpr std::uint8_t unsupported_parameters = 0x25;
inline constexpr std::uint8_t invalid_certificate_format = 0x29;
inline constexpr std::uint8_t unsupported_certificate = 0x2A;
inline constexpr std::uint8_t signature_verification = 0x2C;
inline constexpr std::uint8_t integrity_validation = 0x2D;
inline constexpr std::uint8_t decryption_failure = 0x2E;
inline constexpr std::uint8_t authorization_failure = 0x2F;
}  // namespace err

// "Access conditions not satisfied" and the rest of the table; "unknown error" otherwise.
std::string_view error_name(std::uint8_t code);

// ---- Object identifiers (spec §6) ------------------------------------------------------------
// The one text form of an object id: "0xE0F1" in messages and tool output; oid_label() gives the
// bare "E0F1" that labels, state files and access-condition text use.
std::string oid_text(std::uint16_t oid);
std::string oid_label(std::uint16_t oid);

namespace oid {
inline constexpr std::uint16_t lcs_global = 0xE0C0;
inline constexpr std::uint16_t security_status_global = 0xE0C1;
inline constexpr std::uint16_t coprocessor_uid = 0xE0C2;
inline constexpr std::uint16_t sleep_delay = 0xE0C3;
inline constexpr std::uint16_t current_limit = 0xE0C4;
inline constexpr std::uint16_t security_event_counter = 0xE0C5;
inline constexpr std::uint16_t max_comms_buffer = 0xE0C6;
inline constexpr std::uint16_t security_monitor_config = 0xE0C9;
inline constexpr std::uint16_t device_cert_1 = 0xE0E0;  // ..0xE0E3
inline constexpr std::uint16_t trust_anchor_1 = 0xE0E8;
inline constexpr std::uint16_t trust_anchor_2 = 0xE0E9;
inline constexpr std::uint16_t trust_anchor_update = 0xE0EF;
inline constexpr std::uint16_t ecc_key_1 = 0xE0F0;  // ..0xE0F3
inline constexpr std::uint16_t rsa_key_1 = 0xE0FC;
inline constexpr std::uint16_t rsa_key_2 = 0xE0FD;
inline constexpr std::uint16_t session_context_1 = 0xE100;  // ..0xE103
inline constexpr std::uint16_t monotonic_counter_1 = 0xE120;  // ..0xE123
inline constexpr std::uint16_t platform_binding = 0xE140;
inline constexpr std::uint16_t aes_key_1 = 0xE200;
inline constexpr std::uint16_t lcs_application = 0xF1C0;
inline constexpr std::uint16_t security_status_application = 0xF1C1;
inline constexpr std::uint16_t last_error = 0xF1C2;
inline constexpr std::uint16_t data_type3_first = 0xF1D0;  // 140-byte objects
inline constexpr std::uint16_t data_type2_first = 0xF1E0;  // 1500-byte objects
}  // namespace oid

// ---- Algorithms, key usage, life cycle, object types (spec §5.4, §7.3, §7.4) ----------------
enum class Algorithm : std::uint8_t {
  nist_p256 = 0x03,
  nist_p384 = 0x04,
  nist_p521 = 0x05,
  brainpool_p256r1 = 0x13,
  brainpool_p384r1 = 0x15,
  brainpool_p512r1 = 0x16,
  rsa_1024 = 0x41,
  rsa_2048 = 0x42,
  aes_128 = 0x81,
  aes_192 = 0x82,
  aes_256 = 0x83,
};

// The one table of curve facts (ids.cpp): every size rule of keys and signatures derives from it.
struct CurveInfo {
  Algorithm algorithm;
  std::string_view name;        // "P-256"
  std::string_view openssl_name;  // OpenSSL group name: "prime256v1"
  std::string_view oid_dotted;    // named-curve OID
  unsigned field_bytes;           // coordinate and scalar size
  unsigned bits;                  // order size in bits (521 for P-521, whose field takes 66 bytes)

  // Uncompressed point 04 ‖ X ‖ Y.
  constexpr unsigned point_bytes() const { return 1 + 2 * field_bytes; }
  // r ‖ s, each of field size (PKCS#11 CKM_ECDSA).
  constexpr unsigned raw_signature_bytes() const { return 2 * field_bytes; }
  // The largest DER ECDSA-Sig-Value: SEQUENCE of two INTEGERs of up to field + 1 bytes (a sign
  // byte), each with a header of up to 3 bytes, and the SEQUENCE header of up to 3 bytes.
  constexpr unsigned max_der_signature_bytes() const { return 2 * (field_bytes + 1 + 3) + 3; }
  // Security strength (NIST SP 800-57): half the order size, 256 at most.
  constexpr unsigned security_bits() const { return bits >= 512 ? 256 : bits / 2; }
};

// The ECC curves the chip family knows, in a stable order (the table itself).
std::span<const CurveInfo> curves();
// The ECC curves the chip family knows; nullopt for RSA/AES/unknown ids.
std::optional<CurveInfo> curve_info(Algorithm alg);
// Accepts "P-256", "secp256r1", "prime256v1", "brainpoolP256r1", ... (case-insensitive).
std::optional<CurveInfo> curve_by_name(std::string_view name);
std::string_view algorithm_name(std::uint8_t alg);

namespace key_usage {
inline constexpr std::uint8_t auth = 0x01;
inline constexpr std::uint8_t enc = 0x02;
inline constexpr std::uint8_t host_fw_update = 0x04;  // Trust X
inline constexpr std::uint8_t device_mgmt = 0x08;     // Trust X
inline constexpr std::uint8_t sign = 0x10;
inline constexpr std::uint8_t key_agreement = 0x20;
inline constexpr std::uint8_t defined_bits = 0x3F;  // any other bit is RFU: refused in metadata
}  // namespace key_usage

namespace lcs {
inline constexpr std::uint8_t creation = 0x01;
inline constexpr std::uint8_t initialization = 0x03;
inline constexpr std::uint8_t operational = 0x07;
inline constexpr std::uint8_t termination = 0x0F;
}  // namespace lcs
std::string_view lcs_name(std::uint8_t value);  // "creation", "operational", ... or "0xNN"

enum class ObjectType : std::uint8_t {
  bstr = 0x00,
  upctr = 0x01,
  trust_anchor = 0x11,
  device_cert = 0x12,
  pre_shared_secret = 0x21,
  platform_binding = 0x22,
  update_secret = 0x23,
  authorization_ref = 0x31,
};
std::string_view object_type_name(std::uint8_t type);

// ---- Models ---------------------------------------------------------------------------------
enum class Model { trust_x, trust_m_v1, trust_m_v3 };
std::string_view model_name(Model m);          // "OPTIGA Trust M V3"
std::string_view model_token(Model m);          // "trust-m-v3" (for config and CLI)
std::optional<Model> model_from_token(std::string_view token);
// Whether this model's GenKeyPair accepts the algorithm.
bool model_supports(Model m, Algorithm alg);
// Trust M hosts put the presentation-layer flag and SCTR byte in front of every APDU.
inline bool model_has_presentation_layer(Model m) { return m != Model::trust_x; }

}  // namespace optiga::chip
