// The one chip-error → CK_RV table (docs/pkcs11.md, "Error codes"): the errors with a PKCS#11
// meaning of their own, and CKR_DEVICE_ERROR for every other, including the chip's
// "invalid parameter" family, which is never the caller's CKR_ARGUMENTS_BAD.
#include <gtest/gtest.h>

#include "core/chip/ids.h"
#include "pkcs11/errors.h"

namespace optiga::pkcs11 {
namespace {

TEST(ChipErrorTable, ErrorsWithAPkcs11Meaning) {
  EXPECT_EQ(ck_rv_of_chip_error(chip::err::access_conditions), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(ck_rv_of_chip_error(chip::err::boundary_exceeded), CKR_DEVICE_MEMORY);
  EXPECT_EQ(ck_rv_of_chip_error(chip::err::insufficient_buffer), CKR_DEVICE_MEMORY);
  EXPECT_EQ(ck_rv_of_chip_error(chip::err::counter_threshold), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(ck_rv_of_chip_error(chip::err::signature_verification), CKR_SIGNATURE_INVALID);
}

TEST(ChipErrorTable, EveryOtherChipErrorIsADeviceError) {
  for (const std::uint8_t code : {chip::err::invalid_oid, chip::err::invalid_param, chip::err::invalid_length,
                                  chip::err::invalid_parameter_in_data, chip::err::unsupported_parameters}) {
    EXPECT_EQ(ck_rv_of_chip_error(code), CKR_DEVICE_ERROR) << "chip error 0x" << std::hex << int{code};
  }
  EXPECT_EQ(ck_rv_of_chip_error(0x05), CKR_DEVICE_ERROR);
  EXPECT_EQ(ck_rv_of_chip_error(0xFF), CKR_DEVICE_ERROR);
}

}  // namespace
}  // namespace optiga::pkcs11
