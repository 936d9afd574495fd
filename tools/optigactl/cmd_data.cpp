// `optigactl read | write | metadata`: data objects and their metadata.
#include <algorithm>
#include <filesystem>
#include <iostream>

#include "core/chip/ids.h"
#include "core/token/certificate_write.h"
#include "core/token/token.h"
#include "core/token/token_error.h"
#include "core/util/error.h"
#include "tools/optigactl/certs.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
std::uint8_t parse_lcs(const std::string& text) {
  if (text == "cr" || text == "creation") return chip::lcs::creation;
  if (text == "in" || text == "initialization") return chip::lcs::initialization;
  if (text == "op" || text == "operational") return chip::lcs::operational;
  if (text == "te" || text == "termination") return chip::lcs::termination;
  throw UsageError("unknown life cycle '" + text + "'; use cr, in, op or te");
}

bool is_certificate_slot(Context& ctx, std::uint16_t oid) {
  const auto kind = token::slot_kind(oid, ctx.device().model());
  return kind && (*kind == token::SlotKind::certificate || *kind == token::SlotKind::trust_anchor);
}

// A certificate or trust-anchor slot takes a certificate (PEM converted to DER, stored as the
// token stores every certificate) so that every reader finds it; anything else is refused unless
// --raw. A certificate for another key than the paired one is written, with a warning.
void write_certificate(Context& ctx, std::uint16_t oid, ByteView data, bool erase) {
  const std::string slot = oid_text(oid);
  const std::string other_data = "; write other data there with --raw";
  if (!erase) throw UsageError("--no-erase keeps old bytes, which a certificate slot must not: " + slot + " takes a whole certificate" + other_data);
  Bytes der;
  try {
    der = certificate_file_der(data);
  } catch (const UsageError& e) {
    throw token::TokenError(token::Refusal::not_a_certificate, slot + " is a certificate slot and " + e.what() + other_data);
  }
  if (!is_certificate_der(der))
    throw token::TokenError(token::Refusal::not_a_certificate, slot + " is a certificate slot and these " + std::to_string(data.size()) +
                            " bytes are not an X.509 certificate (DER or PEM)" + other_data);
  auto& tok = ctx.token();
  token::CertificateTarget target;
  target.id = token::oid_id(oid);
  target.other_key_allowed = true;
  tok.store_certificate(der, target);
  const auto back = tok.certificates_in(oid);
  if (back.empty() || back.front().der != der) throw ProtocolError("the certificate written to " + slot + " reads back differently");
  const auto key_slot = token::paired_key_slot(oid);
  const auto key = key_slot ? tok.key(*key_slot) : std::nullopt;
  const bool from_pem = der.size() != data.size() || !std::equal(der.begin(), der.end(), data.begin());
  nlohmann::json matches = nullptr;  // no key to compare with
  if (key) matches = certifies(der, key->public_key);
  if (ctx.json())
    print_json({{"oid", slot}, {"written", der.size()}, {"erase", true}, {"certificate", true}, {"from_pem", from_pem},
                {"key_slot", slot_json(key_slot)}, {"matches_key", matches}});
  else
    std::cout << "wrote a certificate of " << der.size() << " bytes (DER" << (from_pem ? ", from PEM" : "") << ") to " << slot << "\n";
  if (key && !certifies(der, key->public_key))
    std::cerr << "optigactl: warning: the certificate in " << slot << " is for another key than the one in " << oid_text(*key_slot)
              << "; `optigactl cert check " << oid_text(*key_slot) << "` will say so\n";
}
}  // namespace

void register_data(CLI::App& app, Context& ctx) {
  struct ReadArgs {
    std::string oid, out;
    bool raw = false;
  };
  auto ra = std::make_shared<ReadArgs>();
  auto* read = app.add_subcommand("read", "read a data object (hex to stdout, or raw bytes to --out)");
  read->add_option("oid", ra->oid, "object id, e.g. 0xE0E0")->required();
  read->add_option("-o,--out", ra->out, "write the raw bytes to this file");
  read->add_flag("--raw", ra->raw, "give the bytes even when a certificate slot holds a torn certificate");
  read->callback([&ctx, ra] {
    const auto oid = parse_oid(ra->oid);
    Bytes data = ctx.device().read_object(oid);
    // A certificate torn by an interrupted write is reported (exit 1), never handed out as if whole.
    if (!ra->raw && is_certificate_slot(ctx, oid)) token::expect_untorn_certificate_object(oid, data);
    if (!ra->out.empty()) write_file(ra->out, data);
    if (ctx.json()) {
      print_json({{"oid", oid_text(oid)}, {"size", data.size()}, {"data", to_hex(data)}});
    } else if (ra->out.empty()) {
      std::cout << to_hex(data) << "\n";
    } else {
      std::cerr << "read " << data.size() << " bytes of " << oid_text(oid) << " into " << ra->out << "\n";
    }
  });

  struct WriteArgs {
    std::string oid, in, hex;
    bool erase = true;
    bool raw = false;
  };
  auto wa = std::make_shared<WriteArgs>();
  auto* write = app.add_subcommand("write", "write a data object from a file or hex");
  write->add_option("oid", wa->oid, "object id, e.g. 0xF1D1")->required();
  auto* in_opt = write->add_option("-i,--in", wa->in, "file with the bytes to write");
  auto* hex_opt = write->add_option("--hex", wa->hex, "the bytes to write, in hex");
  in_opt->excludes(hex_opt);
  // Default erase & write: afterwards the object holds exactly these bytes, which is what a person
  // means by "write". --no-erase overwrites from offset 0 and keeps any older bytes beyond the end.
  write->add_flag("--erase,!--no-erase", wa->erase,
                  "erase & write (default): the object holds exactly these bytes; --no-erase keeps older bytes "
                  "beyond the new end");
  write->add_flag("--raw", wa->raw,
                  "write the bytes as given, even into a certificate or trust-anchor slot (which otherwise takes only "
                  "a certificate, DER or PEM)");
  write->callback([&ctx, wa] {
    const auto oid = parse_oid(wa->oid);
    if (wa->in.empty() && wa->hex.empty()) throw UsageError("write needs --in FILE or --hex HEX");
    Bytes data = wa->in.empty() ? hex_argument(wa->hex, "--hex") : read_file(wa->in);
    if (!wa->raw && is_certificate_slot(ctx, oid)) return write_certificate(ctx, oid, data, wa->erase);
    ctx.device().write_object(oid, data, wa->erase);
    if (ctx.json()) print_json({{"oid", oid_text(oid)}, {"written", data.size()}, {"erase", wa->erase}});
    else std::cout << "wrote " << data.size() << " bytes to " << oid_text(oid) << (wa->erase ? "" : " (old bytes beyond them kept)") << "\n";
  });

  auto* meta = app.add_subcommand("metadata", "show or change an object's metadata");
  meta->require_subcommand(1);
  auto get_oid = std::make_shared<std::string>();
  auto* get = meta->add_subcommand("get", "decode an object's metadata");
  get->add_option("oid", *get_oid, "object id")->required();
  get->callback([&ctx, get_oid] {
    const auto oid = parse_oid(*get_oid);
    auto m = ctx.device().read_metadata(oid);
    if (ctx.json()) {
      nlohmann::json j = metadata_json(m);
      j.update({{"oid", oid_text(oid)}, {"description", m.describe()}});
      print_json(j);
    } else {
      std::cout << oid_text(oid) << " metadata " << to_hex(m.serialize(), " ") << "\n" << m.describe();
      if (!m.describe().empty() && m.describe().back() != '\n') std::cout << "\n";
    }
  });

  struct SetArgs {
    std::string oid, hex, lcso;
  };
  auto sa = std::make_shared<SetArgs>();
  auto* set = meta->add_subcommand("set", "write metadata tags (only the tags given change)");
  set->add_option("oid", sa->oid, "object id")->required();
  set->add_option("--hex", sa->hex, "metadata TLV to write, e.g. 20 06 D0 01 FF D1 01 00");
  set->add_option("--lcso", sa->lcso, "advance the object's life cycle: in, op or te (cannot go back)");
  set->callback([&ctx, sa] {
    const auto oid = parse_oid(sa->oid);
    if (sa->hex.empty() == sa->lcso.empty()) throw UsageError("metadata set needs exactly one of --hex or --lcso");
    if (!sa->hex.empty()) {
      Bytes tlv = hex_argument(sa->hex, "--hex");
      try {
        chip::Metadata::parse(tlv);  // refuses malformed TLVs before anything reaches the chip
      } catch (const ParseError& e) {
        throw UsageError(std::string("--hex: ") + e.what());
      }
      ctx.device().write_metadata_raw(oid, tlv);
    } else {
      chip::Metadata update;
      update.lcso = parse_lcs(sa->lcso);
      ctx.device().write_metadata(oid, update);
    }
    auto m = ctx.device().read_metadata(oid);
    if (ctx.json()) print_json({{"oid", oid_text(oid)}, {"raw", to_hex(m.serialize())}});
    else std::cout << oid_text(oid) << " metadata now " << to_hex(m.serialize(), " ") << "\n";
  });
}

}  // namespace optiga::cli
