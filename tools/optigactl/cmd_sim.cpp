// `optigactl sim create`: a new, factory-provisioned emulated chip in a state file.
#include <filesystem>
#include <iostream>

#include "core/chip/ids.h"
#include "core/util/error.h"
#include "runtime/emulator_library.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

void register_sim(CLI::App& app, Context& ctx) {
  auto* sim = app.add_subcommand("sim", "emulated chips");
  sim->require_subcommand(1);
  struct CreateArgs {
    std::string path, model = "trust-m-v3";
    bool force = false;
  };
  auto ca = std::make_shared<CreateArgs>();
  auto* create = sim->add_subcommand("create", "create a new emulated chip (random UID, factory key and certificate)");
  create->add_option("path", ca->path, "state file to create")->required();
  create->add_option("--model", ca->model, "trust-x, trust-m-v1 or trust-m-v3")->capture_default_str();
  create->add_flag("--force", ca->force, "replace an existing state file (the old chip and its keys are lost)");
  create->callback([&ctx, ca] {
    auto model = chip::model_from_token(ca->model);
    if (!model) throw UsageError("unknown model '" + ca->model + "'; use trust-x, trust-m-v1 or trust-m-v3");
    if (std::filesystem::exists(ca->path)) {
      if (!ca->force)
        throw UsageError(ca->path + " already holds an emulated chip; use --force to replace it (its keys are lost)");
      std::filesystem::remove(ca->path);
    }
    // Through the emulator library (dlopen()ed), so optigactl links no emulator code.
    runtime::create_emulated_chip(ca->path, std::string(chip::model_token(*model)));
    const std::string device = "sim:" + std::filesystem::absolute(ca->path).string();
    if (ctx.json()) {
      print_json({{"path", ca->path}, {"model", std::string(chip::model_token(*model))}, {"device", device}});
      return;
    }
    std::cout << "created an emulated " << chip::model_name(*model) << " in " << ca->path << "\n"
              << "use it with: --device " << device << "  (or export OPTIGA_DEVICE=" << device << ")\n";
  });
}

}  // namespace optiga::cli
