// Key usage (metadata tag 0xE1, spec §7.3): the one parser of usage names and the one text form,
// shared by every front end so that the same words mean the same bits everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/chip/ids.h"

namespace optiga::chip {

// The usage a key gets when the caller names none: signatures and authentication (TLS client
// and server keys need nothing more). Key agreement (ECDH) is granted only when asked for, so a
// key made for TLS cannot be used as an ECDH oracle. docs/device-layer.md "Key usage".
inline constexpr std::uint8_t default_key_usage = key_usage::auth | key_usage::sign;

// "sign,auth", "keyagree", "0x11": comma-separated words (auth, enc, sign, keyagree; the aliases
// key-agreement and derive) or a hex byte. Throws UsageError naming the word that is not known.
std::uint8_t parse_key_usage(std::string_view text);

// "Auth, Sign" ("none" for 0; unknown bits are named as such).
std::string key_usage_text(std::uint8_t usage);

}  // namespace optiga::chip
