// `optigactl info`: what a person wants to know about the chip at a glance.
#include <cstdio>

#include "core/chip/ids.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
std::string lcs_text(std::uint8_t v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%s (0x%02X)", std::string(chip::lcs_name(v)).c_str(), v);
  return buf;
}
}  // namespace

void register_info(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("info", "model, UID, firmware, life cycles, security event counter, comms buffer");
  cmd->callback([&ctx] {
    auto info = ctx.device().info();
    const std::string model(chip::model_name(info.model));
    const std::string uid_hex = to_hex(info.uid.serialize());
    if (ctx.json()) {
      print_json({{"device", ctx.spec().text},
                  {"emulated", ctx.emulated()},
                  {"model", model},
                  {"model_id", std::string(chip::model_token(info.model))},
                  {"firmware", info.firmware_version},
                  {"uid", uid_hex},
                  {"serial", info.uid.serial()},
                  {"token_label", ctx.token().info().label},
                  {"lcs_global", info.lcs_global},
                  {"lcs_application", info.lcs_application},
                  {"security_event_counter", info.security_event_counter},
                  {"comms_buffer_size", info.comms_buffer_size},
                  {"last_error", info.last_error}});
      return;
    }
    print_field("Chip", model + (ctx.emulated() ? " (emulated)" : ""));
    print_field("Device", ctx.spec().text);
    print_field("Firmware", info.firmware_version);
    print_field("UID", uid_hex);
    print_field("Serial", info.uid.serial());
    print_field("Global life cycle", lcs_text(info.lcs_global));
    print_field("App life cycle", lcs_text(info.lcs_application));
    print_field("Security events", std::to_string(info.security_event_counter) +
                                       (info.security_event_counter >= 128 ? " (throttling key use)" : ""));
    print_field("Comms buffer", std::to_string(info.comms_buffer_size) + " bytes");
    char err[80];
    std::snprintf(err, sizeof err, "0x%02X (%s)", info.last_error, std::string(chip::error_name(info.last_error)).c_str());
    print_field("Last error", err);
  });
}

}  // namespace optiga::cli
