// `optigactl random | reset`.
#include <iostream>
#include <string>

#include "core/util/error.h"

#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
// Enough for any key or nonce a script wants, small enough that a typo cannot run for hours.
constexpr std::size_t max_random_count = 65536;

std::size_t random_count(const std::string& text) {
  std::size_t n = 0;
  const bool digits = !text.empty() && text.size() <= 6 && text.find_first_not_of("0123456789") == std::string::npos;
  if (digits) n = std::stoul(text);
  if (!digits || n < 1 || n > max_random_count)
    throw UsageError("random: the count must be a whole number from 1 to " + std::to_string(max_random_count) +
                     "; got '" + text + "'");
  return n;
}
}  // namespace

void register_chip(CLI::App& app, Context& ctx) {
  auto count = std::make_shared<std::string>("32");
  auto* random = app.add_subcommand("random", "random bytes from the chip's TRNG (hex)");
  random->add_option("count", *count, "number of bytes, 1 to 65536")->capture_default_str();
  random->callback([&ctx, count] {
    Bytes r = ctx.token().random(random_count(*count));
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
