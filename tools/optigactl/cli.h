// Shared pieces of optigactl: the global options, how a command opens the chip, argument parsers
// and output helpers. Each command lives in its own cmd_*.cpp and registers itself in main.cpp.
#pragma once

#include <CLI/CLI.hpp>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "core/chip/ids.h"
#include "core/config/device_spec.h"
#include "core/device/device.h"

namespace optiga::cli {

struct Globals {
  std::string device;  // --device; else $OPTIGA_DEVICE, else the config file
  std::string config;  // --config
  bool json = false;   // --json: machine-readable output
};

class Context {
 public:
  explicit Context(Globals& globals) : globals_(globals) {}
  bool json() const { return globals_.json; }
  const config::DeviceSpec& spec();
  device::Device& device();
  // "emulated OPTIGA Trust M V3" when the device string names the emulator.
  bool emulated() { return spec().kind == config::DeviceKind::sim || spec().kind == config::DeviceKind::sim_unix; }

 private:
  Globals& globals_;
  std::optional<config::DeviceSpec> spec_;
  std::unique_ptr<device::Device> device_;
};

// "0xE0F1", "E0F1", "e0f1" → 0xE0F1. Throws UsageError.
std::uint16_t parse_oid(const std::string& text);
using chip::oid_text;  // "0xE0F1"
// "sign,auth" / "0x11" → usage bits. Throws UsageError.

Bytes read_file(const std::string& path);
void write_file(const std::string& path, ByteView data);

void print_json(const nlohmann::json& j);
// "Label:        value" lines with aligned values.
void print_field(const std::string& label, const std::string& value);

// A text table whose columns are as wide as their widest cell, so long object names or access
// conditions never push the following columns out of line.
class Table {
 public:
  explicit Table(std::vector<std::string> header) { rows_.push_back(std::move(header)); }
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print(std::ostream& out) const;

 private:
  std::vector<std::vector<std::string>> rows_;
};

// Each command file provides one of these; main.cpp calls them all.
void register_info(CLI::App& app, Context& ctx);
void register_objects(CLI::App& app, Context& ctx);
void register_data(CLI::App& app, Context& ctx);
void register_keys(CLI::App& app, Context& ctx);
void register_chip(CLI::App& app, Context& ctx);
void register_sim(CLI::App& app, Context& ctx);
void register_probe(CLI::App& app, Context& ctx);

}  // namespace optiga::cli
