#include "core/chip/key_usage.h"

#include <array>
#include <utility>

#include "core/util/error.h"

namespace optiga::chip {
namespace {

struct UsageName {
  std::uint8_t bit;
  std::string_view word;  // as parsed
  std::string_view text;  // as shown
};

constexpr std::array<UsageName, 6> usage_names{{
    {key_usage::auth, "auth", "Auth"},
    {key_usage::enc, "enc", "Enc"},
    {key_usage::host_fw_update, "hostfwupdate", "HostFwUpdate"},
    {key_usage::device_mgmt, "devmgmt", "DevMgmt"},
    {key_usage::sign, "sign", "Sign"},
    {key_usage::key_agreement, "keyagree", "KeyAgree"},
}};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::uint8_t usage_word(std::string_view word) {
  const std::string w = lower(trim(word));
  if (w == "key-agreement" || w == "derive") return key_usage::key_agreement;
  for (const auto& n : usage_names)
    if (w == n.word) return n.bit;
  throw UsageError("unknown key usage '" + std::string(word) +
                   "'; use auth, enc, sign, keyagree (comma-separated) or a hex byte such as 0x11");
}

}  // namespace

std::uint8_t parse_key_usage(std::string_view text) {
  const std::string_view t = trim(text);
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    const std::string_view hex = t.substr(2);
    if (hex.size() <= 2 && hex.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos)
      return static_cast<std::uint8_t>(std::stoul(std::string(hex), nullptr, 16));
    throw UsageError("key usage '" + std::string(text) + "' is not a byte; write it as 0x00 to 0xFF");
  }
  if (t.empty()) throw UsageError("empty key usage; use auth, enc, sign, keyagree (comma-separated)");
  std::uint8_t usage = 0;
  std::string_view rest = t;
  while (true) {
    const auto comma = rest.find(',');
    usage |= usage_word(rest.substr(0, comma));
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  return usage;
}

std::string key_usage_text(std::uint8_t usage) {
  std::string out;
  auto add = [&out](std::string_view s) {
    if (!out.empty()) out += ", ";
    out += s;
  };
  for (const auto& n : usage_names)
    if (usage & n.bit) add(n.text);
  if (usage & 0xC0) add("unknown bits");
  return out.empty() ? "none" : out;
}

}  // namespace optiga::chip
