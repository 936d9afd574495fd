// Builders for the commands the host uses (spec §5.6) and parsers for their outputs. Builders
// only assemble bytes; the CommandSession decides the clear-error bit and runs them.
#pragma once

#include <cstdint>
#include <string>

#include "core/chip/ids.h"
#include "core/cmd/apdu.h"
#include "core/util/bytes.h"

namespace optiga::cmd {

Command open_application();

// GetDataObject data: OID ‖ offset ‖ length (InLen 6); length 0xFFFF = to the end.
Command get_data(std::uint16_t oid, std::uint16_t offset, std::uint16_t length);
// GetDataObject metadata (Param 0x01, InData = OID).
Command get_metadata(std::uint16_t oid);
// The last-error read of the error flow (§5.2): Trust M asks OID ‖ 0 ‖ 1, Trust X the whole
// object. Must be sent without the clear bit.
Command get_last_error(chip::Model model);

// SetDataObject: OID ‖ offset ‖ data with Param write (0x00) or erase&write (0x40).
Command set_data(std::uint16_t oid, std::uint16_t offset, ByteView data, bool erase);
// SetDataObject Param 0x01: metadata TLV `20 LL ...` with only the tags to change, offset 0.
Command set_metadata(std::uint16_t oid, ByteView metadata_tlv);
// SetDataObject Param 0x02: add `amount` (1..255) to a counter object.
Command count(std::uint16_t oid, std::uint8_t amount);

// GetRandom: `length` must be 8..256 (checked here, before anything is sent).
Command get_random(std::uint16_t length, std::uint8_t param = chip::param::random_trng);

// GenKeyPair store: `01 00 02 keyOID ‖ 02 00 01 usage`, Param = algorithm.
Command gen_key_pair(chip::Algorithm algorithm, std::uint16_t key_oid, std::uint8_t usage);
// The public key (a DER BIT STRING, §5.5) from GenKeyPair's `02 len key` output.
Bytes parse_gen_key_pair(ByteView out_data);

// CalcSign ECDSA: `01 len digest ‖ 03 00 02 keyOID`. Output: r and s as two DER INTEGERs.
Command calc_sign(std::uint16_t key_oid, ByteView digest);

// VerifySign ECDSA with a public key: `01 digest ‖ 02 signature ‖ 05 algId ‖ 06 publicKey`.
// `chip_signature` is in the chip's encoding (two INTEGERs, no SEQUENCE header).
Command verify_sign(ByteView digest, ByteView chip_signature, chip::Algorithm algorithm, ByteView public_key);
// VerifySign ECDSA with the key of a certificate stored on the chip: `... ‖ 04 00 02 certOID`.
Command verify_sign_with_cert(ByteView digest, ByteView chip_signature, std::uint16_t cert_oid);

// CalcSSec ECDH, exported: `01 privOID ‖ 05 algId ‖ 06 peerPublicKey ‖ 07 00 00`.
Command calc_ssec(std::uint16_t key_oid, chip::Algorithm algorithm, ByteView peer_public_key);

}  // namespace optiga::cmd
