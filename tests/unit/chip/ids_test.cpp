#include "core/chip/ids.h"

#include <gtest/gtest.h>

namespace optiga::chip {
namespace {

TEST(OidText, FourUpperCaseDigitsWithAndWithoutPrefix) {
  EXPECT_EQ(oid_text(0xE0F1), "0xE0F1");
  EXPECT_EQ(oid_label(0xE0F1), "E0F1");
  EXPECT_EQ(oid_text(0x0000), "0x0000");
  EXPECT_EQ(oid_label(0x00AB), "00AB");  // leading zeros kept: labels compare as text
  EXPECT_EQ(oid_text(0xFFFF), "0xFFFF");
  EXPECT_EQ(oid_label(oid::platform_binding), "E140");
}

}  // namespace
}  // namespace optiga::chip
