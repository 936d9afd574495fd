// `optigactl probe`: which I2C buses and FT260 bridges have an OPTIGA answering. Needs no device
// string; it is the first thing to run on a new board.
#include <cstdio>
#include <iostream>

#include "core/util/error.h"
#include "hal/probe_buses.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
std::uint8_t parse_address(const std::string& text) {
  try {
    std::size_t used = 0;
    const unsigned long v = std::stoul(text, &used, 0);
    if (used == text.size() && v >= 0x08 && v <= 0x77) return static_cast<std::uint8_t>(v);
  } catch (const std::exception&) {
  }
  throw UsageError("'" + text + "' is not a 7-bit I2C address (0x08..0x77); the OPTIGA default is 0x30");
}

// What to try when nothing answered: the usual causes, most likely first.
void explain_nothing_found(bool any_bus, std::uint8_t address) {
  std::cout << "\nNo OPTIGA found";
  if (!any_bus) {
    std::cout << ": this machine has no I2C bus (/dev/i2c-*) and no FT260 USB bridge.\n"
              << "  - Raspberry Pi: enable I2C (raspi-config, or dtparam=i2c_arm=on in config.txt), then\n"
              << "    sudo modprobe i2c-dev\n"
              << "  - FT260 bridge: plug it in; if it is listed but refused, install udev/60-optiga.rules\n"
              << "    and join group plugdev\n";
  } else {
    std::cout << " at address 0x" << std::hex << static_cast<unsigned>(address) << std::dec << " on the buses above.\n"
              << "  - check wiring and power (VCC, GND, SDA, SCL; pull-ups on SDA/SCL) — see docs/hardware.md\n"
              << "  - a chip configured to another address: optigactl probe --address 0x..\n"
              << "  - 'permission denied': add yourself to group i2c (or plugdev for FT260)\n";
  }
  std::cout << "  - no hardware at hand: use the emulated chip, e.g.\n"
            << "    optigactl sim create chip.state && optigactl --device sim:chip.state info\n";
}
}  // namespace

void register_probe(CLI::App& app, Context& ctx) {
  auto address_text = std::make_shared<std::string>("0x30");
  auto* cmd = app.add_subcommand("probe", "look for an OPTIGA on every I2C bus and FT260 bridge");
  cmd->add_option("--address", *address_text, "7-bit I2C address to probe")->capture_default_str();
  cmd->callback([&ctx, address_text] {
    const std::uint8_t address = parse_address(*address_text);
    const auto results = hal::probe_buses(address);
    std::size_t found = 0;
    for (const auto& r : results) found += r.found ? 1 : 0;
    if (ctx.json()) {
      nlohmann::json all = nlohmann::json::array();
      for (const auto& r : results) {
        nlohmann::json j{{"device", r.device}, {"adapter", r.adapter}, {"found", r.found}};
        if (r.found) j["i2c_state"] = to_hex(r.i2c_state);
        else j["detail"] = r.detail;
        all.push_back(j);
      }
      char addr[8];
      std::snprintf(addr, sizeof addr, "0x%02X", address);
      print_json({{"address", addr}, {"found", found}, {"buses", all}});
    } else {
      if (!results.empty()) {
        Table table({"Device string", "Adapter", "Result"});
        for (const auto& r : results)
          table.add({r.device, r.adapter, r.found ? "OPTIGA found (I2C_STATE " + to_hex(r.i2c_state, " ") + ")" : r.detail});
        table.print(std::cout);
      }
      if (found == 0) explain_nothing_found(!results.empty(), address);
      else std::cout << "\nUse a device string above with --device, or set OPTIGA_DEVICE.\n";
    }
    // Scripts can tell "found" from "not found" without parsing text: no chip is exit 3, the
    // same code as any command that finds no chip (the explanation is printed above).
    if (found == 0) throw Failure(exit_code::no_device, "no_device", "", true);
  });
}

}  // namespace optiga::cli
