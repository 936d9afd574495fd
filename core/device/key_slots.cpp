#include "core/device/key_slots.h"

#include "core/chip/ids.h"

namespace optiga::device {

std::optional<std::uint16_t> public_key_object(std::uint16_t key_oid) {
  using namespace chip::oid;
  if (key_oid >= ecc_key_1 && key_oid <= ecc_key_1 + 3) return data_type3_first + (key_oid - ecc_key_1);
  if (key_oid == rsa_key_1) return data_type2_first;
  if (key_oid == rsa_key_2) return data_type2_first + 1;
  return std::nullopt;
}

std::optional<std::uint16_t> paired_certificate(std::uint16_t key_oid) {
  using namespace chip::oid;
  if (key_oid >= ecc_key_1 && key_oid <= ecc_key_1 + 3) return device_cert_1 + (key_oid - ecc_key_1);
  return std::nullopt;
}

}  // namespace optiga::device
