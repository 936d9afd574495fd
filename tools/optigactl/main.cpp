// optigactl — the admin CLI over core: look at a chip, read and write its objects and metadata,
// make keys, and create emulated chips. See docs/admin-cli.md.
#include <iostream>

#include "core/config/log_settings.h"
#include "tools/optigactl/cli.h"

int main(int argc, char** argv) {
  using namespace optiga;
  CLI::App app{"optigactl: administer an OPTIGA Trust X / Trust M chip (or an emulated one)"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "optigactl " OPTIGA_VERSION);
  // Global options are also accepted after the subcommand (`optigactl info --json`), which is
  // where people type them; subcommands created below inherit this.
  app.fallthrough();
  cli::Globals globals;
  app.add_option("-d,--device", globals.device,
                 "device string: i2c:/dev/i2c-1, ft260:, sim:/path/chip.state, sim+unix:/path/sock "
                 "(default: $OPTIGA_DEVICE, then the config file)");
  app.add_option("-c,--config", globals.config, "configuration file (default: $OPTIGA_CONF, /etc/optiga/optiga.conf)");
  app.add_flag("--json", globals.json, "machine-readable output");
  app.add_flag("-v,--verbose", globals.verbose,
               "log lines on stderr: -v debug, -vv trace with every APDU, secrets redacted "
               "(default: $OPTIGA_LOG_LEVEL, then log_level in the config file, else warn)");
  // A bad $OPTIGA_LOG_LEVEL stops every command at start, whether or not it opens the chip.
  app.parse_complete_callback([] { (void)config::resolve_log_level(config::ConfigFile{}); });

  cli::Context ctx(globals);
  cli::register_info(app, ctx);
  cli::register_objects(app, ctx);
  cli::register_data(app, ctx);
  cli::register_keys(app, ctx);
  cli::register_certs(app, ctx);
  cli::register_chip(app, ctx);
  cli::register_sim(app, ctx);
  cli::register_probe(app, ctx);

  try {
    app.parse(argc, argv);
    return cli::exit_code::ok;
  } catch (const CLI::ParseError& e) {
    // CLI11 prints the message (or the help); its own codes (105, 106, ...) are not ours: every
    // bad command line is a usage error.
    // A word that is no command ends up unparsed, and CLI11 reports only the missing subcommand.
    if (app.get_subcommands().empty() && !app.remaining().empty() && e.get_exit_code() != 0) {
      std::cerr << "optigactl: unknown command '" << app.remaining().front() << "' (optigactl --help lists them)\n";
      return cli::exit_code::usage;
    }
    const int code = app.exit(e);
    return code == 0 ? cli::exit_code::ok : cli::exit_code::usage;
  } catch (const std::exception& e) {
    return cli::report_failure(e, globals.json);
  }
}
