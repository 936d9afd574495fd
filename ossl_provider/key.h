// The key object the provider's operations share (keydata of the EC KEYMGMT): a chip key named
// by its slot, a public key imported from another provider (a peer's key for ECDH, a
// certificate's key to compare with), or a software key pair generated in the provider's private
// library context. Software key pairs exist because OpenSSL 3.0 uses the first-loaded provider's
// EC key manager for TLS groups and ECDHE: with `-provider optiga -provider default` the
// ephemeral keys are ours, and we delegate them to the default implementation. A chip key's
// private part never leaves the chip.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <openssl/evp.h>

#include "core/chip/ids.h"
#include "core/util/bytes.h"
#include "ossl_provider/provider.h"

namespace optiga::provider {

struct Key {
  ProviderContext* ctx = nullptr;
  std::optional<std::uint16_t> slot;  // set for a chip key: the private key stays in that slot
  std::optional<chip::Algorithm> curve;
  Bytes public_point;  // the public key as OpenSSL passes it: uncompressed point 04 X Y (empty: none)
  // Set for a software key pair (ephemeral ECDHE keys): an EVP_PKEY of ctx->software(). Shared,
  // never modified after generation, so copies of the Key (dup, operation contexts) stay cheap.
  std::shared_ptr<EVP_PKEY> soft;

  bool in_chip() const { return slot.has_value(); }
  bool has_public() const { return !public_point.empty(); }
  bool has_private() const { return slot.has_value() || soft != nullptr; }
  // The uncompressed point 04 X Y (OSSL_PKEY_PARAM_PUB_KEY / ENCODED_PUBLIC_KEY).
  const Bytes& point() const { return public_point; }
  unsigned field_bytes() const;
  // "slot 0xE0F1", "software key" or "public key", for messages.
  std::string name() const;
};

// What the STORE and the reference-file DECODER pass to KEYMGMT load() (OSSL_OBJECT_PARAM_REFERENCE):
// a value, not an owning pointer, so nothing leaks when the core drops it. Its size differs from
// a pointer's, so another provider's load() given it by mistake refuses it.
struct KeyReference {
  std::uint32_t magic = 0;
  std::uint16_t slot = 0;
  ProviderContext* ctx = nullptr;
  static constexpr std::uint32_t expected_magic = 0x4F505447;  // "OPTG"
};
static_assert(sizeof(KeyReference) != sizeof(void*));

// Reads the slot's key through the token; raises "slot 0xE0F2 is empty: ..." when there is none.
std::optional<Key> load_chip_key(ProviderContext* ctx, std::uint16_t slot);

// Sets key.public_point from an uncompressed point 04 X Y; false for anything else.
bool set_public_point(Key& key, const void* data, std::size_t size);

// A new software key pair on the curve, in the provider's private library context (raises and
// returns nullopt on failure).
std::optional<Key> generate_software_key(ProviderContext* ctx, chip::Algorithm curve);

// The curve's OpenSSL group name ("prime256v1") and its order size in bits (the curve table's).
std::string group_name(chip::Algorithm curve);
unsigned curve_bits(chip::Algorithm curve);

// The SubjectPublicKeyInfo DER of a key's public part.
Bytes key_spki(const Key& key);
// The public key as an EVP_PKEY of the provider's software library context (for verification
// and text output); nullptr (with an error raised) when it cannot be built.
EVP_PKEY* software_public_key(const Key& key);
// The software EVP_PKEY to compute with for a key that is not in the chip: its own key pair, or
// one built from its public part (caller frees).
EVP_PKEY* software_key(const Key& key);

}  // namespace optiga::provider
