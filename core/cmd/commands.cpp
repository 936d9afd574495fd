#include "core/cmd/commands.h"

#include "core/cmd/tlv.h"
#include "core/util/error.h"

namespace optiga::cmd {

namespace {
Bytes oid_offset(std::uint16_t oid, std::uint16_t offset) {
  Bytes out;
  put_u16(out, oid);
  put_u16(out, offset);
  return out;
}
}  // namespace

Command open_application() {
  return Command{chip::cmd::open_application, 0x00,
                 Bytes(std::begin(chip::application_id), std::end(chip::application_id)), "OpenApplication"};
}

Command get_data(std::uint16_t oid, std::uint16_t offset, std::uint16_t length) {
  Bytes data = oid_offset(oid, offset);
  put_u16(data, length);
  return Command{chip::cmd::get_data_object, chip::param::read_data, std::move(data), "read " + chip::oid_text(oid)};
}

Command get_metadata(std::uint16_t oid) {
  Bytes data;
  put_u16(data, oid);
  return Command{chip::cmd::get_data_object, chip::param::read_metadata, std::move(data),
                 "read metadata of " + chip::oid_text(oid)};
}

Command get_last_error(chip::Model model) {
  Bytes data;
  put_u16(data, chip::oid::last_error);
  // Both forms are what the vendor hosts send (§5.2); keep them byte-identical.
  if (model != chip::Model::trust_x) {
    put_u16(data, 0);
    put_u16(data, 1);
  }
  return Command{chip::cmd::get_data_object, chip::param::read_data, std::move(data), "read last error"};
}

Command set_data(std::uint16_t oid, std::uint16_t offset, ByteView payload, bool erase) {
  Bytes data = oid_offset(oid, offset);
  append(data, payload);
  return Command{chip::cmd::set_data_object, erase ? chip::param::erase_and_write : chip::param::write_data,
                 std::move(data), "write " + chip::oid_text(oid)};
}

Command set_metadata(std::uint16_t oid, ByteView metadata_tlv) {
  Bytes data = oid_offset(oid, 0);
  append(data, metadata_tlv);
  return Command{chip::cmd::set_data_object, chip::param::write_metadata, std::move(data),
                 "write metadata of " + chip::oid_text(oid)};
}

Command count(std::uint16_t oid, std::uint8_t amount) {
  if (amount == 0) throw UsageError("count " + chip::oid_text(oid) + ": amount must be 1..255");
  Bytes data = oid_offset(oid, 0);
  data.push_back(amount);
  return Command{chip::cmd::set_data_object, chip::param::count, std::move(data), "count " + chip::oid_text(oid)};
}

Command get_random(std::uint16_t length, std::uint8_t param) {
  if (length < 8 || length > 256)
    throw UsageError("GetRandom of " + std::to_string(length) + " bytes: the chip returns 8..256 per call");
  Bytes data;
  put_u16(data, length);
  return Command{chip::cmd::get_random, param, std::move(data), "GetRandom " + std::to_string(length) + " bytes"};
}

Command gen_key_pair(chip::Algorithm algorithm, std::uint16_t key_oid, std::uint8_t usage) {
  Bytes data;
  put_tlv_u16(data, chip::tlv::key_oid, key_oid);
  put_tlv_u8(data, chip::tlv::key_usage, usage);
  return Command{chip::cmd::gen_key_pair, static_cast<std::uint8_t>(algorithm), std::move(data),
                 "GenKeyPair into " + chip::oid_text(key_oid)};
}

Bytes parse_gen_key_pair(ByteView out_data) {
  const auto tlvs = parse_tlvs(out_data);
  const auto key = find_tlv(tlvs, chip::tlv::public_key_out);
  if (!key || key->empty()) throw ProtocolError("GenKeyPair response carries no public key");
  return Bytes(key->begin(), key->end());
}

Command calc_sign(std::uint16_t key_oid, ByteView digest) {
  Bytes data;
  put_tlv(data, chip::tlv::digest, digest);
  put_tlv_u16(data, chip::tlv::sign_key_oid, key_oid);
  return Command{chip::cmd::calc_sign, chip::param::ecdsa_fips186, std::move(data), "sign with " + chip::oid_text(key_oid)};
}

Command verify_sign(ByteView digest, ByteView chip_signature, chip::Algorithm algorithm, ByteView public_key) {
  Bytes data;
  put_tlv(data, chip::tlv::digest, digest);
  put_tlv(data, chip::tlv::signature, chip_signature);
  put_tlv_u8(data, chip::tlv::algorithm, static_cast<std::uint8_t>(algorithm));
  put_tlv(data, chip::tlv::public_key, public_key);
  return Command{chip::cmd::verify_sign, chip::param::ecdsa_fips186, std::move(data), "verify with a public key"};
}

Command verify_sign_with_cert(ByteView digest, ByteView chip_signature, std::uint16_t cert_oid) {
  Bytes data;
  put_tlv(data, chip::tlv::digest, digest);
  put_tlv(data, chip::tlv::signature, chip_signature);
  put_tlv_u16(data, chip::tlv::cert_oid, cert_oid);
  return Command{chip::cmd::verify_sign, chip::param::ecdsa_fips186, std::move(data),
                 "verify with the certificate in " + chip::oid_text(cert_oid)};
}

Command calc_ssec(std::uint16_t key_oid, chip::Algorithm algorithm, ByteView peer_public_key) {
  Bytes data;
  put_tlv_u16(data, chip::tlv::key_oid, key_oid);
  put_tlv_u8(data, chip::tlv::algorithm, static_cast<std::uint8_t>(algorithm));
  put_tlv(data, chip::tlv::public_key, peer_public_key);
  put_tlv(data, chip::tlv::export_result, {});
  return Command{chip::cmd::calc_ssec, chip::param::ecdh, std::move(data), "ECDH with " + chip::oid_text(key_oid)};
}

}  // namespace optiga::cmd
