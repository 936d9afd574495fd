#include "core/chip/metadata.h"

#include <cstdio>

#include "core/chip/ids.h"
#include "core/chip/key_usage.h"
#include "core/util/error.h"

namespace optiga::chip {

// ---- Access conditions (spec §7.2) --------------------------------------------------------------

namespace {

namespace ac_id {
constexpr std::uint8_t alw = 0x00;
constexpr std::uint8_t sec_sta_g = 0x10;
constexpr std::uint8_t conf = 0x20;
constexpr std::uint8_t integrity = 0x21;
constexpr std::uint8_t autho = 0x23;
constexpr std::uint8_t luc = 0x40;
constexpr std::uint8_t lcs_g = 0x70;
constexpr std::uint8_t sec_sta_a = 0x90;
constexpr std::uint8_t lcs_a = 0xE0;
constexpr std::uint8_t lcs_o = 0xE1;
constexpr std::uint8_t nev = 0xFF;
}  // namespace ac_id

namespace ac_op {
constexpr std::uint8_t eq = 0xFA;
constexpr std::uint8_t gt = 0xFB;
constexpr std::uint8_t lt = 0xFC;
constexpr std::uint8_t and_ = 0xFD;
constexpr std::uint8_t or_ = 0xFE;
}  // namespace ac_op

constexpr std::size_t max_terms_per_token = 7;
constexpr std::size_t max_tokens = 3;

std::string hex2(std::uint8_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", v);
  return buf;
}

// One simple condition of an expression.
struct Term {
  std::uint8_t id = 0;
  std::uint8_t op = 0;      // comparison operator for LcsX
  std::uint16_t arg = 0;    // value, mask or OID
};

// An expression in disjunctive form: tokens joined by ||, each a list of terms joined by &&.
using Token = std::vector<Term>;

// Size of the simple condition starting with id (id byte included); 0 for an unknown id.
std::size_t term_size(std::uint8_t id) {
  switch (id) {
    case ac_id::alw:
    case ac_id::nev: return 1;
    case ac_id::sec_sta_g:
    case ac_id::sec_sta_a: return 2;
    case ac_id::conf:
    case ac_id::integrity:
    case ac_id::autho:
    case ac_id::luc:
    case ac_id::lcs_g:
    case ac_id::lcs_a:
    case ac_id::lcs_o: return 3;
    default: return 0;
  }
}

bool is_lcs(std::uint8_t id) { return id == ac_id::lcs_g || id == ac_id::lcs_a || id == ac_id::lcs_o; }

// Parses raw into tokens, or returns the reason it is malformed.
std::optional<std::string> parse_expression(const Bytes& raw, std::vector<Token>& tokens) {
  tokens.clear();
  if (raw.empty()) return "empty access condition";
  tokens.emplace_back();
  std::size_t i = 0;
  while (true) {
    const std::uint8_t id = raw[i];
    const std::size_t size = term_size(id);
    if (size == 0) return "unknown identifier " + hex2(id) + " at byte " + std::to_string(i);
    if (i + size > raw.size()) return "identifier " + hex2(id) + " truncated at byte " + std::to_string(i);
    Term t{id, 0, 0};
    if (size == 2) t.arg = raw[i + 1];
    if (size == 3) {
      if (is_lcs(id)) {
        t.op = raw[i + 1];
        t.arg = raw[i + 2];
        if (t.op != ac_op::eq && t.op != ac_op::gt && t.op != ac_op::lt)
          return "comparison operator " + hex2(t.op) + " at byte " + std::to_string(i + 1) + " is not ==, > or <";
      } else {
        t.arg = get_u16(raw, i + 1);
      }
    }
    if ((id == ac_id::alw || id == ac_id::nev) && raw.size() != 1)
      return std::string(id == ac_id::alw ? "ALW" : "NEV") + " cannot be combined with other conditions";
    tokens.back().push_back(t);
    if (tokens.back().size() > max_terms_per_token) return "more than 7 conditions joined by &&";
    i += size;
    if (i == raw.size()) break;
    const std::uint8_t op = raw[i];
    if (op == ac_op::or_) {
      tokens.emplace_back();
      if (tokens.size() > max_tokens) return "more than 3 access tokens joined by ||";
    } else if (op != ac_op::and_) {
      return "expected && or || at byte " + std::to_string(i) + ", got " + hex2(op);
    }
    ++i;
    if (i == raw.size()) return "expression ends with an operator";
  }
  return std::nullopt;
}

bool compare(std::uint8_t op, std::uint8_t actual, std::uint8_t expected) {
  switch (op) {
    case ac_op::eq: return actual == expected;
    case ac_op::gt: return actual > expected;
    case ac_op::lt: return actual < expected;
    default: return false;
  }
}

bool evaluate_term(const Term& t, const AcContext& ctx) {
  switch (t.id) {
    case ac_id::alw: return true;
    case ac_id::nev: return false;
    case ac_id::lcs_o: return compare(t.op, ctx.lcs_object, static_cast<std::uint8_t>(t.arg));
    case ac_id::lcs_a: return compare(t.op, ctx.lcs_application, static_cast<std::uint8_t>(t.arg));
    case ac_id::lcs_g: return compare(t.op, ctx.lcs_global, static_cast<std::uint8_t>(t.arg));
    case ac_id::sec_sta_g: return (ctx.security_status_global & t.arg) == t.arg;
    case ac_id::sec_sta_a: return (ctx.security_status_application & t.arg) == t.arg;
    case ac_id::conf:
    case ac_id::integrity:
      // Only the Shielded Connection (0xE140) is modelled. The caller sets the flag of the
      // direction that matters for the access (command for CHA/EXE, response for RD), so either
      // flag satisfies the term. Protected-update keys belong to SetObjectProtected: not achieved.
      return t.arg == 0xE140 && (ctx.command_protected || ctx.response_protected);
    default:
      // Auto and Luc need authorisation state and counters the context does not carry.
      return false;
  }
}

std::string lcs_short(std::uint8_t v) {
  switch (v) {
    case lcs::creation: return "cr";
    case lcs::initialization: return "in";
    case lcs::operational: return "op";
    case lcs::termination: return "te";
    default: return hex2(v);
  }
}

std::string term_text(const Term& t) {
  switch (t.id) {
    case ac_id::alw: return "ALW";
    case ac_id::nev: return "NEV";
    case ac_id::sec_sta_g: return "SecStaG(" + hex2(static_cast<std::uint8_t>(t.arg)) + ")";
    case ac_id::sec_sta_a: return "SecStaA(" + hex2(static_cast<std::uint8_t>(t.arg)) + ")";
    case ac_id::conf: return "Conf(" + oid_label(t.arg) + ")";
    case ac_id::integrity: return "Int(" + oid_label(t.arg) + ")";
    case ac_id::autho: return "Auto(" + oid_label(t.arg) + ")";
    case ac_id::luc: return "Luc(" + oid_label(t.arg) + ")";
    default: break;
  }
  const char* name = t.id == ac_id::lcs_o ? "LcsO" : t.id == ac_id::lcs_a ? "LcsA" : "LcsG";
  const char* op = t.op == ac_op::eq ? "==" : t.op == ac_op::gt ? ">" : "<";
  return std::string(name) + " " + op + " " + lcs_short(static_cast<std::uint8_t>(t.arg));
}

}  // namespace

std::optional<std::string> AccessCondition::validate() const {
  std::vector<Token> tokens;
  return parse_expression(raw_, tokens);
}

bool AccessCondition::evaluate(const AcContext& ctx) const {
  std::vector<Token> tokens;
  if (parse_expression(raw_, tokens)) return false;
  for (const auto& token : tokens) {
    bool all = true;
    for (const auto& t : token) all = all && evaluate_term(t, ctx);
    if (all) return true;
  }
  return false;
}

std::string AccessCondition::to_string() const {
  if (raw_.empty()) return "NEV (absent)";
  std::vector<Token> tokens;
  if (parse_expression(raw_, tokens)) return "invalid(" + to_hex(raw_, " ") + ")";
  std::string out;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (k != 0) out += " || ";
    for (std::size_t j = 0; j < tokens[k].size(); ++j) {
      if (j != 0) out += " && ";
      out += term_text(tokens[k][j]);
    }
  }
  return out;
}

// ---- Metadata TLV (spec §7.1) -------------------------------------------------------------------

namespace {

std::string tag_name(std::uint8_t t) { return "tag " + hex2(t); }

std::uint8_t one_byte(std::uint8_t t, ByteView v) {
  if (v.size() != 1) throw ParseError(tag_name(t) + " must be 1 byte, got " + std::to_string(v.size()));
  return v[0];
}

std::uint16_t two_bytes(std::uint8_t t, ByteView v) {
  if (v.size() != 2) throw ParseError(tag_name(t) + " must be 2 bytes, got " + std::to_string(v.size()));
  return get_u16(v, 0);
}

std::uint16_t size_value(std::uint8_t t, ByteView v) {
  if (v.size() == 1) return v[0];
  if (v.size() == 2) return get_u16(v, 0);
  throw ParseError(tag_name(t) + " must be 1 or 2 bytes, got " + std::to_string(v.size()));
}

AccessCondition ac_value(std::uint8_t t, ByteView v) {
  // The grammar is checked by whoever enforces it (the emulator on writes); parsing stays lenient
  // so a host can still print metadata from firmware with identifiers this code does not know.
  if (v.empty()) throw ParseError(tag_name(t) + " (access condition) is empty");
  return AccessCondition(Bytes(v.begin(), v.end()));
}

// Shortest big-endian form, as the chip returns sizes (`C4 01 8C`, `C4 02 04 B0`).
Bytes size_bytes(std::uint16_t v) {
  if (v <= 0xFF) return Bytes{static_cast<std::uint8_t>(v)};
  Bytes out;
  put_u16(out, v);
  return out;
}

}  // namespace

Metadata Metadata::parse(ByteView tlv) {
  if (tlv.size() < 2) throw ParseError("metadata shorter than its 2-byte header");
  if (tlv[0] != tag::metadata) throw ParseError("metadata starts with " + hex2(tlv[0]) + ", not 0x20");
  if (tlv[1] != tlv.size() - 2)
    throw ParseError("metadata length byte says " + std::to_string(tlv[1]) + " but " +
                                std::to_string(tlv.size() - 2) + " bytes follow");
  Metadata m;
  std::map<std::uint8_t, bool> seen;
  std::size_t i = 2;
  while (i < tlv.size()) {
    if (i + 2 > tlv.size()) throw ParseError("tag " + hex2(tlv[i]) + " has no length byte");
    const std::uint8_t t = tlv[i];
    const std::size_t len = tlv[i + 1];
    if (i + 2 + len > tlv.size())
      throw ParseError(tag_name(t) + " length " + std::to_string(len) + " runs past the end");
    if (seen[t]) throw ParseError("duplicate " + tag_name(t));
    seen[t] = true;
    const ByteView v = tlv.subspan(i + 2, len);
    switch (t) {
      case tag::lcso: m.lcso = one_byte(t, v); break;
      case tag::version: m.version = two_bytes(t, v); break;
      case tag::max_size: m.max_size = size_value(t, v); break;
      case tag::used_size: m.used_size = size_value(t, v); break;
      case tag::change_ac: m.change = ac_value(t, v); break;
      case tag::read_ac: m.read = ac_value(t, v); break;
      case tag::execute_ac: m.execute = ac_value(t, v); break;
      case tag::update_descriptor: m.update_descriptor = ac_value(t, v); break;
      case tag::algorithm: m.algorithm = one_byte(t, v); break;
      case tag::key_usage: m.key_usage = one_byte(t, v); break;
      case tag::object_type: m.object_type = one_byte(t, v); break;
      case tag::reset_type: m.reset_type = one_byte(t, v); break;
      default: m.other[t] = Bytes(v.begin(), v.end()); break;
    }
    i += 2 + len;
  }
  return m;
}

Bytes Metadata::serialize() const {
  std::map<std::uint8_t, Bytes> fields = other;
  auto put = [&fields](std::uint8_t t, Bytes v) { fields[t] = std::move(v); };
  if (lcso) put(tag::lcso, {*lcso});
  if (version) {
    Bytes v;
    put_u16(v, *version);
    put(tag::version, v);
  }
  if (max_size) put(tag::max_size, size_bytes(*max_size));
  if (used_size) put(tag::used_size, size_bytes(*used_size));
  if (change) put(tag::change_ac, change->raw());
  if (read) put(tag::read_ac, read->raw());
  if (execute) put(tag::execute_ac, execute->raw());
  if (update_descriptor) put(tag::update_descriptor, update_descriptor->raw());
  if (algorithm) put(tag::algorithm, {*algorithm});
  if (key_usage) put(tag::key_usage, {*key_usage});
  if (object_type) put(tag::object_type, {*object_type});
  if (reset_type) put(tag::reset_type, {*reset_type});

  Bytes body;
  for (const auto& [t, v] : fields) {  // std::map iterates in ascending tag order
    if (v.size() > 0xFF) throw UsageError(tag_name(t) + " value longer than 255 bytes");
    body.push_back(t);
    body.push_back(static_cast<std::uint8_t>(v.size()));
    append(body, v);
  }
  if (body.size() > 0xFF) throw UsageError("metadata longer than 255 bytes");
  Bytes out{tag::metadata, static_cast<std::uint8_t>(body.size())};
  append(out, body);
  return out;
}

void Metadata::merge(const Metadata& u) {
  if (u.lcso) lcso = u.lcso;
  if (u.version) version = u.version;
  if (u.max_size) max_size = u.max_size;
  if (u.used_size) used_size = u.used_size;
  if (u.change) change = u.change;
  if (u.read) read = u.read;
  if (u.execute) execute = u.execute;
  if (u.update_descriptor) update_descriptor = u.update_descriptor;
  if (u.algorithm) algorithm = u.algorithm;
  if (u.key_usage) key_usage = u.key_usage;
  if (u.object_type) object_type = u.object_type;
  if (u.reset_type) reset_type = u.reset_type;
  for (const auto& [t, v] : u.other) other[t] = v;
}


std::string Metadata::describe() const {
  std::string out;
  auto line = [&out](const std::string& s) { out += s + "\n"; };
  if (lcso) line("LcsO: " + std::string(lcs_name(*lcso)) + " (" + hex2(*lcso) + ")");
  if (version) line("Version: " + std::to_string(*version & 0x7FFF) + ((*version & 0x8000) ? " (invalid flag set)" : ""));
  if (max_size) line("Max size: " + std::to_string(*max_size));
  if (used_size) line("Used size: " + std::to_string(*used_size));
  if (change) line("Change: " + change->to_string());
  if (read) line("Read: " + read->to_string());
  if (execute) line("Execute: " + execute->to_string());
  if (update_descriptor) line("Metadata update: " + update_descriptor->to_string());
  if (algorithm) line("Algorithm: " + std::string(algorithm_name(*algorithm)) + " (" + hex2(*algorithm) + ")");
  if (key_usage) line("Key usage: " + key_usage_text(*key_usage) + " (" + hex2(*key_usage) + ")");
  if (object_type) line("Type: " + std::string(object_type_name(*object_type)) + " (" + hex2(*object_type) + ")");
  if (reset_type) line("Reset type: " + hex2(*reset_type));
  for (const auto& [t, v] : other) line("Tag " + hex2(t) + ": " + to_hex(v, " "));
  return out;
}

}  // namespace optiga::chip
