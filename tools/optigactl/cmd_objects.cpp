// `optigactl objects`: every object of the model with its metadata decoded.
#include <iostream>

#include "core/chip/key_usage.h"
#include "core/chip/chip_error.h"
#include "core/chip/object_map.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
std::string opt_ac(const std::optional<chip::AccessCondition>& ac) { return ac ? ac->to_string() : "NEV"; }

std::string size_text(const chip::Metadata& m, const chip::ObjectInfo& info) {
  if (chip::is_key_kind(info.kind)) {
    if (!m.algorithm) return "empty";
    return std::string(chip::algorithm_name(*m.algorithm)) + " " + chip::key_usage_text(m.key_usage.value_or(0));
  }
  if (info.kind == chip::ObjectKind::session_context) return "volatile";
  unsigned max = m.max_size.value_or(info.max_size);
  unsigned used = m.used_size.value_or(max);
  return std::to_string(used) + "/" + std::to_string(max) + " bytes";
}
}  // namespace

nlohmann::json metadata_json(const chip::Metadata& m) {
  nlohmann::json j;
  j["raw"] = to_hex(m.serialize());
  if (m.lcso) j["lcso"] = std::string(chip::lcs_name(*m.lcso));
  if (m.max_size) j["max_size"] = *m.max_size;
  if (m.used_size) j["used_size"] = *m.used_size;
  j["change"] = opt_ac(m.change);
  j["read"] = opt_ac(m.read);
  j["execute"] = opt_ac(m.execute);
  if (m.algorithm) j["algorithm"] = std::string(chip::algorithm_name(*m.algorithm));
  if (m.key_usage) j["key_usage"] = chip::key_usage_text(*m.key_usage);
  if (m.object_type) j["type"] = std::string(chip::object_type_name(*m.object_type));
  return j;
}

void register_objects(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("objects", "every object of the chip with its metadata decoded");
  cmd->callback([&ctx] {
    auto& dev = ctx.device();
    const auto model = dev.model();
    nlohmann::json all = nlohmann::json::array();
    Table table({"OID", "Object", "LcsO", "Content", "Change", "Read", "Execute"});
    for (const auto& info : chip::objects(model)) {
      const std::string oid = oid_text(info.oid);
      nlohmann::json entry{{"oid", oid}, {"name", info.name}, {"kind", std::string(chip::object_kind_name(info.kind))}};
      if (info.kind == chip::ObjectKind::session_context) {
        // Not addressable by GetDataObject: nothing to read, say what it is.
        all.push_back(entry);
        table.add({oid, info.name, "-", "volatile (session key or secret)"});
        continue;
      }
      try {
        auto m = dev.read_metadata(info.oid);
        entry["metadata"] = metadata_json(m);
        table.add({oid, info.name, m.lcso ? std::string(chip::lcs_name(*m.lcso)) : "-", size_text(m, info),
                   opt_ac(m.change), opt_ac(m.read), opt_ac(m.execute)});
      } catch (const chip::ChipError& e) {
        // One unreadable object must not hide the others.
        entry["error"] = e.what();
        table.add({oid, info.name, "?", std::string("metadata unreadable: ") + e.what()});
      }
      all.push_back(entry);
    }
    if (ctx.json()) {
      print_json({{"model", std::string(chip::model_token(model))}, {"objects", all}});
      return;
    }
    std::cout << chip::model_name(model) << ": " << all.size() << " objects\n\n";
    table.print(std::cout);
  });
}

}  // namespace optiga::cli
