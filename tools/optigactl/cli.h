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

#include "core/chip/metadata.h"
#include "core/chip/ids.h"
#include "core/config/device_spec.h"
#include "core/device/device.h"
#include "core/token/token.h"
#include "core/util/log.h"

namespace optiga::cli {

struct Globals {
  std::string device;  // --device; else $OPTIGA_DEVICE, else the config file
  std::string config;  // --config
  bool json = false;   // --json: machine-readable output
  int verbose = 0;     // -v: debug, -vv: trace (before $OPTIGA_LOG_LEVEL and log_level)
};

class Context {
 public:
  explicit Context(Globals& globals) : globals_(globals) {}
  bool json() const { return globals_.json; }
  const config::DeviceSpec& spec();
  device::Device& device();
  // The chip as a token (core/token): what the key and certificate commands use, so that slot
  // kinds, pairing, formats and size limits are decided in one place for every front end.
  token::Token& token();
  // "optigactl: debug: ..." on stderr; the level from -v/-vv, else $OPTIGA_LOG_LEVEL, else the
  // configuration file's log_level, else warn. Built on first use (logging.cpp).
  const Logger& logger();
  // "emulated OPTIGA Trust M V3" when the device string names the emulator.
  bool emulated() { return spec().kind == config::DeviceKind::sim || spec().kind == config::DeviceKind::sim_unix; }

 private:
  Globals& globals_;
  std::optional<config::DeviceSpec> spec_;
  std::optional<Logger> logger_;
  std::unique_ptr<device::Device> device_;
  std::unique_ptr<token::Token> token_;
};

// The exit codes of docs/admin-cli.md "Exit codes"; scripts decide by these and by the `reason`
// word of the --json error object, never by message text.
namespace exit_code {
inline constexpr int ok = 0;
inline constexpr int refused = 1;    // the chip or the token said no (or a check found no match)
inline constexpr int usage = 2;      // bad arguments or input files
inline constexpr int no_device = 3;  // no chip, transport or protocol failure
}  // namespace exit_code

// A failure a command reports with its own exit code and reason word. `message` goes to stderr
// (nothing when empty); with --json the error object goes to stdout unless the command already
// printed its own result there (`answered`).
class Failure : public std::runtime_error {
 public:
  Failure(int exit_code, std::string reason, const std::string& message, bool answered = false)
      : std::runtime_error(message), exit_code_(exit_code), reason_(std::move(reason)), answered_(answered) {}
  int exit_code() const { return exit_code_; }
  const std::string& reason() const { return reason_; }
  bool answered() const { return answered_; }

 private:
  int exit_code_;
  std::string reason_;
  bool answered_;
};

// Prints what went wrong (stderr; with --json also the error object on stdout) and returns the
// exit code. The one place where exceptions become exit codes.
int report_failure(const std::exception& e, bool json);

// Hex typed on the command line ("01 02", "0102"); a bad digit is a UsageError (exit 2), not the
// chip refusing. `what` names the option in the message.
Bytes hex_argument(const std::string& text, const std::string& what);

// "0xE0F1", "E0F1", "e0f1" → 0xE0F1. Throws UsageError.
std::uint16_t parse_oid(const std::string& text);
using chip::oid_text;  // "0xE0F1"

Bytes read_file(const std::string& path);
void write_file(const std::string& path, ByteView data);

void print_json(const nlohmann::json& j);
// The decoded metadata fields (lcso, sizes, access conditions, algorithm, key_usage, type).
nlohmann::json metadata_json(const chip::Metadata& m);
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
void register_certs(CLI::App& app, Context& ctx);
void register_chip(CLI::App& app, Context& ctx);
void register_sim(CLI::App& app, Context& ctx);
void register_probe(CLI::App& app, Context& ctx);

}  // namespace optiga::cli
