// Key usage (metadata tag 0xE1, spec §7.3): the one parser of usage names and the one text form,
// shared by every front end so that the same words mean the same bits everywhere.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/chip/ids.h"

namespace optiga::chip {

// What signing needs: CalcSign accepts a key with Sign or Auth (PKCS#11 CKA_SIGN).
inline constexpr std::uint8_t signing_key_usage = key_usage::auth | key_usage::sign;
// The usage a key gets when the caller names none, in every front end: signing and key
// agreement. It is what the PKCS#11 clients ask for by default (pkcs11-tool's EC template sets
// both CKA_SIGN and CKA_DERIVE), so a key reads the same whichever tool made it, and a device key
// can sign (TLS) and derive (ECDH) without a second thought. A narrower key: name the usage
// (`--usage sign,auth`, `optiga-usage:sign,auth`, CKA_DERIVE false). docs/device-layer.md.
inline constexpr std::uint8_t default_key_usage = signing_key_usage | key_usage::key_agreement;

// "sign,auth", "keyagree", "0x11": comma-separated words (auth, enc, sign, keyagree; the aliases
// key-agreement and derive) or a hex byte. Throws UsageError naming the word that is not known.
std::uint8_t parse_key_usage(std::string_view text);

// "Auth, Sign" ("none" for 0; unknown bits are named as such).
std::string key_usage_text(std::uint8_t usage);

}  // namespace optiga::chip
