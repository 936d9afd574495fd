#include "tools/optigactl/cli.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "core/chip/ids.h"
#include "core/config/settings.h"
#include "core/util/error.h"
#include "runtime/open_chip.h"

namespace optiga::cli {

namespace {
// --device and --config are the explicit arguments of the one precedence (core/config/settings.h).
config::SettingsSources sources(const Globals& globals) {
  config::SettingsSources s;
  if (!globals.device.empty()) s.explicit_device = globals.device;
  if (!globals.config.empty()) s.explicit_path = globals.config;
  return s;
}
}  // namespace

const config::DeviceSpec& Context::spec() {
  if (!spec_) spec_ = config::resolve_device(sources(globals_));
  return *spec_;
}

device::Device& Context::device() {
  if (!device_) {
    auto chip = runtime::open_chip(sources(globals_), &logger());
    spec_ = std::move(chip.spec);
    device_ = std::move(chip.device);
  }
  return *device_;
}

token::Token& Context::token() {
  if (!token_) token_ = std::make_unique<token::Token>(device());
  return *token_;
}

std::uint16_t parse_oid(const std::string& text) {
  std::string t = text;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) t = t.substr(2);
  if (t.empty() || t.size() > 4 || t.find_first_not_of("0123456789abcdefABCDEF") != std::string::npos)
    throw UsageError("'" + text + "' is not an object id; write it in hex, e.g. 0xE0F1");
  return static_cast<std::uint16_t>(std::stoul(t, nullptr, 16));
}

Bytes hex_argument(const std::string& text, const std::string& what) {
  try {
    return from_hex(text);
  } catch (const ParseError& e) {
    throw UsageError(what + ": " + e.what());
  }
}

Bytes read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read '" + path + "'");
  return Bytes(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file(const std::string& path, ByteView data) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!out) throw UsageError("cannot write '" + path + "'");
}

void print_json(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

void print_field(const std::string& label, const std::string& value) {
  std::string padded = label + ":";
  if (padded.size() < 22) padded.resize(22, ' ');
  std::cout << padded << value << "\n";
}

void Table::print(std::ostream& out) const {
  std::vector<std::size_t> width;
  for (const auto& row : rows_) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (std::size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows_) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();  // no trailing blanks for diff/grep
    out << line << "\n";
  }
}

}  // namespace optiga::cli
