// The key object the provider's operations share (keydata of the EC KEYMGMT): a chip key named
// by its slot, a public key on a chip curve imported from another provider (a peer's key for
// ECDH, a certificate's key to compare with), or a software key: an EVP_PKEY of the provider's
// private library context that every operation delegates to the default implementation.
// Software keys exist because OpenSSL 3.0 takes the EC key manager of the first-loaded provider
// for every unqualified fetch (EVP_PKEY_keygen, EVP_PKEY_fromdata, legacy EC_KEY keys, TLS
// ECDHE): with `-provider optiga -provider default` those keys are ours, and they must behave
// exactly as the default provider's. A chip key's private part never leaves the chip.
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
  // Set for a software key: an EVP_PKEY of ctx->software() (key pair, public key or domain
  // parameters alone). curve and public_point mirror it when its curve is a chip curve, so it can
  // meet chip keys (ECDH peer, match). Copies of the Key (operation contexts) share it; the key
  // manager's dup makes its own.
  std::shared_ptr<EVP_PKEY> soft;
  bool soft_private = false;  // the software key holds a private key

  bool in_chip() const { return slot.has_value(); }
  bool has_public() const { return !public_point.empty(); }
  bool has_private() const { return slot.has_value() || (soft != nullptr && soft_private); }
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

// A Key wrapping a software EVP_PKEY of ctx->software() (taking the reference): curve and
// public_point are filled in when the curve is a chip curve.
Key software_key_from(ProviderContext* ctx, EVP_PKEY* owned, bool has_private);
// Re-reads curve and public_point from key.soft (after its parameters changed).
void refresh_from_software(Key& key);
// A software EVP_PKEY of ctx->software() holding the `selection` part of `from` (export, then
// EVP_PKEY_fromdata); nullptr on failure.
EVP_PKEY* software_subset(ProviderContext* ctx, EVP_PKEY* from, int selection);

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
