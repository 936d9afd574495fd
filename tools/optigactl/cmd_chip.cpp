// `optigactl random | reset`.
#include <iostream>

#include "tools/optigactl/cli.h"

namespace optiga::cli {

void register_chip(CLI::App& app, Context& ctx) {
  auto count = std::make_shared<std::size_t>(32);
  auto* random = app.add_subcommand("random", "random bytes from the chip's TRNG (hex)");
  random->add_option("count", *count, "number of bytes")->capture_default_str();
  random->callback([&ctx, count] {
    Bytes r = ctx.device().random(*count);
    if (ctx.json()) print_json({{"random", to_hex(r)}});
    else std::cout << to_hex(r) << "\n";
  });

  auto* reset = app.add_subcommand("reset", "reset the chip (reset line if wired, else soft reset) and reopen it");
  reset->callback([&ctx] {
    auto& dev = ctx.device();
    dev.reset();
    if (ctx.json()) print_json({{"reset", true}});
    else std::cout << "chip reset and application reopened\n";
  });
}

}  // namespace optiga::cli
