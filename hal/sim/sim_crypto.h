// The cryptography inside the emulated chip. Keys are made and used here and never leave the
// emulator: the engine stores private_der in its state and hands only public values out.
#pragma once

#include <cstddef>
#include <memory>

#include "core/chip/ids.h"
#include "core/util/bytes.h"

namespace optiga::sim {

struct GeneratedKey {
  Bytes private_der;       // PKCS#8 DER, only for the emulator's own state
  Bytes public_bitstring;  // what GenKeyPair returns: 03 len 00 04 X Y (spec §5.5)
};

// Uses a private OSSL_LIB_CTX so the emulator never touches the application's OpenSSL setup.
class SimCrypto {
 public:
  SimCrypto();
  ~SimCrypto();
  SimCrypto(const SimCrypto&) = delete;
  SimCrypto& operator=(const SimCrypto&) = delete;

  // Throws optiga::UsageError when alg is not an ECC curve id.
  GeneratedKey generate_ec(chip::Algorithm alg);
  Bytes public_from_private(ByteView private_der);
  // ECDSA over a digest, in the chip's encoding: two DER INTEGERs r, s without a SEQUENCE.
  // With non_minimal, an INTEGER whose top byte is < 0x80 gets a redundant leading 0x00 — the
  // encoding some firmware returns (spec §5.5) that hosts must normalise.
  Bytes sign_ecdsa(ByteView private_der, ByteView digest, bool non_minimal);
  // Verifies a chip-encoded signature (two INTEGERs) with a BIT STRING public key.
  bool verify_ecdsa(chip::Algorithm alg, ByteView public_bitstring, ByteView digest, ByteView signature);
  // ECDH: the x-coordinate of d*Q, field-size bytes. Throws optiga::UsageError on a bad point.
  Bytes ecdh(ByteView private_der, chip::Algorithm alg, ByteView peer_public_bitstring);
  Bytes random(std::size_t n);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace optiga::sim
