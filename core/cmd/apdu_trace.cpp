#include "core/cmd/apdu_trace.h"

#include <algorithm>

#include "core/chip/ids.h"
#include "core/cmd/commands.h"

namespace optiga::cmd {
namespace {

constexpr std::size_t header_size = 4;  // Cmd|Param|InLen or Sta|UnDef|OutLen
constexpr std::uint8_t gen_key_pair_public_key_tag = 0x02;

// Not in chip::cmd because the host sends none of them; named so a trace can say what it saw.
constexpr std::uint8_t encrypt_sym = 0x14;
constexpr std::uint8_t decrypt_sym = 0x15;

struct Parsed {
  std::uint8_t code = 0;
  std::uint8_t param = 0;
  ByteView data;
  bool valid = false;
};

Parsed parse(ByteView apdu) {
  Parsed p;
  if (apdu.size() < header_size) return p;
  p.code = apdu[0] & static_cast<std::uint8_t>(~chip::cmd::clear_error_flag);
  p.param = apdu[1];
  p.data = apdu.subspan(header_size);
  p.valid = true;
  return p;
}

bool addresses_object(const Parsed& c) {
  return c.valid && (c.code == chip::cmd::get_data_object || c.code == chip::cmd::set_data_object) &&
         c.data.size() >= 2;
}

std::uint16_t object_of(const Parsed& c) { return get_u16(c.data, 0); }

// How many bytes of the command's InData may be shown.
std::size_t visible_command_data(const Parsed& c) {
  if (!c.valid) return 0;
  switch (c.code) {
    case chip::cmd::get_data_object:
    case chip::cmd::get_random:
    case chip::cmd::calc_sign:
    case chip::cmd::verify_sign:
    case chip::cmd::calc_ssec:
    case chip::cmd::derive_key:
    case chip::cmd::gen_key_pair:
    case chip::cmd::open_application:
    case chip::cmd::close_application: return c.data.size();
    case chip::cmd::set_data_object:
      // Metadata and counting carry no secret; written data shows its OID and offset only.
      if (c.param == chip::param::write_metadata || c.param == chip::param::count) return c.data.size();
      if (addresses_object(c) && object_data_secret(object_of(c))) return std::min<std::size_t>(4, c.data.size());
      return c.data.size();
    default: return 0;
  }
}

bool public_key_only(ByteView out) {
  if (out.size() < 3 || out[0] != gen_key_pair_public_key_tag) return false;
  return get_u16(out, 1) + 3u == out.size();
}

// How many bytes of the response's OutData may be shown. Decided by the command alone, so a
// faulty chip that sends data with an error status is treated the same way.
std::size_t visible_response_data(const Parsed& c, ByteView out) {
  if (!c.valid) return 0;
  switch (c.code) {
    case chip::cmd::get_data_object:
      if (c.param == chip::param::read_data && (!addresses_object(c) || object_data_secret(object_of(c)))) return 0;
      return out.size();
    case chip::cmd::set_data_object:
    case chip::cmd::calc_sign:
    case chip::cmd::verify_sign:
    case chip::cmd::open_application:
    case chip::cmd::close_application: return out.size();
    case chip::cmd::gen_key_pair: return public_key_only(out) ? out.size() : 0;
    default: return 0;
  }
}

std::string render(ByteView apdu, std::size_t visible_data) {
  const std::size_t shown = std::min(apdu.size(), std::min(apdu.size(), header_size) + visible_data);
  std::string text = to_hex(apdu.first(shown), " ");
  const std::size_t hidden = apdu.size() - shown;
  if (hidden > 0) text += (text.empty() ? "<" : " <") + std::to_string(hidden) + " bytes redacted>";
  return text;
}

std::string title(const Parsed& c) {
  if (!c.valid) return "malformed command";
  std::string t = command_name(c.code);
  if (addresses_object(c)) t += " " + chip::oid_text(object_of(c));
  if (c.code == chip::cmd::get_data_object && c.param == chip::param::read_metadata) t += " metadata";
  if (c.code == chip::cmd::set_data_object && c.param == chip::param::write_metadata) t += " metadata";
  return t;
}

}  // namespace

std::string command_name(std::uint8_t raw_code) {
  const auto code = static_cast<std::uint8_t>(raw_code & ~chip::cmd::clear_error_flag);
  switch (code) {
    case chip::cmd::get_data_object: return "GetDataObject";
    case chip::cmd::set_data_object: return "SetDataObject";
    case chip::cmd::set_object_protected: return "SetObjectProtected";
    case chip::cmd::get_random: return "GetRandom";
    case encrypt_sym: return "EncryptSym";
    case decrypt_sym: return "DecryptSym";
    case chip::cmd::encrypt_asym: return "EncryptAsym";
    case chip::cmd::decrypt_asym: return "DecryptAsym";
    case chip::cmd::calc_hash: return "CalcHash";
    case chip::cmd::calc_sign: return "CalcSign";
    case chip::cmd::verify_sign: return "VerifySign";
    case chip::cmd::calc_ssec: return "CalcSSec";
    case chip::cmd::derive_key: return "DeriveKey";
    case chip::cmd::gen_key_pair: return "GenKeyPair";
    case chip::cmd::open_application: return "OpenApplication";
    case chip::cmd::close_application: return "CloseApplication";
    default: {
      static constexpr char digits[] = "0123456789ABCDEF";
      return std::string("command 0x") + digits[code >> 4] + digits[code & 0xF];
    }
  }
}

bool object_data_secret(std::uint16_t oid) {
  namespace o = chip::oid;
  return oid == o::platform_binding || (oid >= o::ecc_key_1 && oid <= o::ecc_key_1 + 3) ||
         oid == o::rsa_key_1 || oid == o::rsa_key_2 || oid == o::aes_key_1 ||
         (oid >= o::session_context_1 && oid <= o::session_context_1 + 3) ||
         (oid >= o::data_type3_first && oid <= o::data_type3_first + 11) ||
         (oid >= o::data_type2_first && oid <= o::data_type2_first + 1);
}

std::string trace_command(ByteView command_apdu) {
  const Parsed c = parse(command_apdu);
  return title(c) + ": " + render(command_apdu, visible_command_data(c));
}

std::string trace_response(ByteView command_apdu, ByteView response_apdu) {
  const Parsed c = parse(command_apdu);
  const ByteView out = response_apdu.size() > header_size ? response_apdu.subspan(header_size) : ByteView{};
  return title(c) + ": " + render(response_apdu, visible_response_data(c, out));
}

}  // namespace optiga::cmd
