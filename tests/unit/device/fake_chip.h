// A tiny in-memory chip behind the ApduChannel interface, with real ECDSA/ECDH through OpenSSL,
// so the device layer can be tested without the protocol stack or the emulator.
#pragma once

#include <openssl/evp.h>

#include <cstdint>
#include <map>
#include <memory>
#include <set>

#include "core/proto/apdu_channel.h"
#include "core/util/bytes.h"
#include "core/util/openssl_ptr.h"

namespace optiga::test {


class FakeChip : public proto::ApduChannel {
 public:
  FakeChip();
  Bytes transceive(ByteView apdu) override;
  void reset() override;

  // What the host sent, in order, and how often it reset the link.
  std::vector<Bytes> sent;
  int resets = 0;
  bool open = false;

  std::map<std::uint16_t, Bytes> objects;
  std::set<std::uint16_t> write_protected;  // writes refused with 0x07
  std::map<std::uint16_t, PkeyPtr> keys;
  // Encode r and s with a redundant leading 0x00 byte, as some firmware does.
  bool non_minimal_integers = false;
  // Flip a bit of s, like a bus fault would.
  bool corrupt_signatures = false;
  std::uint8_t last_error = 0;
  // Answer the next command with a malformed response, like a link fault would.
  bool garble_next = false;

  Bytes bit_string_of(std::uint16_t key_oid) const;

 private:
  Bytes fail(std::uint8_t code);
  Bytes ok(ByteView data = {});
};

Bytes public_bit_string(EVP_PKEY* key);
PkeyPtr make_p256_key();

}  // namespace optiga::test
