// `optigactl read | write | metadata`: data objects and their metadata.
#include <filesystem>
#include <iostream>

#include "core/chip/ids.h"
#include "core/util/error.h"
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
}  // namespace

void register_data(CLI::App& app, Context& ctx) {
  struct ReadArgs {
    std::string oid, out;
  };
  auto ra = std::make_shared<ReadArgs>();
  auto* read = app.add_subcommand("read", "read a data object (hex to stdout, or raw bytes to --out)");
  read->add_option("oid", ra->oid, "object id, e.g. 0xE0E0")->required();
  read->add_option("-o,--out", ra->out, "write the raw bytes to this file");
  read->callback([&ctx, ra] {
    const auto oid = parse_oid(ra->oid);
    Bytes data = ctx.device().read_object(oid);
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
  write->callback([&ctx, wa] {
    const auto oid = parse_oid(wa->oid);
    if (wa->in.empty() && wa->hex.empty()) throw UsageError("write needs --in FILE or --hex HEX");
    Bytes data = wa->in.empty() ? hex_argument(wa->hex, "--hex") : read_file(wa->in);
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
