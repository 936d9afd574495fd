// Access condition grammar, evaluation and text (spec §7.2).
#include <gtest/gtest.h>

#include "core/chip/ids.h"
#include "core/chip/metadata.h"

using namespace optiga;
using namespace optiga::chip;

namespace {
AccessCondition ac(const char* hex) { return AccessCondition(from_hex(hex)); }

AcContext with_lcso(std::uint8_t v) {
  AcContext c;
  c.lcs_object = v;
  return c;
}
}  // namespace

TEST(AccessCondition, ToStringOfCommonExpressions) {
  EXPECT_EQ(ac("00").to_string(), "ALW");
  EXPECT_EQ(ac("FF").to_string(), "NEV");
  EXPECT_EQ(AccessCondition().to_string(), "NEV (absent)");
  EXPECT_EQ(ac("E1 FC 07").to_string(), "LcsO < op");
  EXPECT_EQ(ac("E1 FC 07 FE 20 E1 40").to_string(), "LcsO < op || Conf(E140)");
  EXPECT_EQ(ac("20 E1 40 FD 23 F1 D0").to_string(), "Conf(E140) && Auto(F1D0)");
  EXPECT_EQ(ac("E1 FB 03 FE 70 FC 04").to_string(), "LcsO > in || LcsG < 0x04");
  EXPECT_EQ(ac("21 E0 E8 FD 20 F1 D4").to_string(), "Int(E0E8) && Conf(F1D4)");
  EXPECT_EQ(ac("10 20 FD 90 01 FD E0 FA 01").to_string(), "SecStaG(0x20) && SecStaA(0x01) && LcsA == cr");
  EXPECT_EQ(ac("40 E1 20").to_string(), "Luc(E120)");
  EXPECT_EQ(ac("E1 FC").to_string(), "invalid(e1 fc)");
}

TEST(AccessCondition, AlwaysNeverAndAbsent) {
  const AcContext c;
  EXPECT_TRUE(AccessCondition::always().evaluate(c));
  EXPECT_FALSE(AccessCondition::never().evaluate(c));
  EXPECT_FALSE(AccessCondition().evaluate(c));
}

TEST(AccessCondition, LifeCycleComparisons) {
  EXPECT_TRUE(ac("E1 FC 07").evaluate(with_lcso(lcs::creation)));
  EXPECT_TRUE(ac("E1 FC 07").evaluate(with_lcso(lcs::initialization)));
  EXPECT_FALSE(ac("E1 FC 07").evaluate(with_lcso(lcs::operational)));
  EXPECT_TRUE(ac("E1 FA 07").evaluate(with_lcso(lcs::operational)));
  EXPECT_FALSE(ac("E1 FA 07").evaluate(with_lcso(lcs::creation)));
  EXPECT_TRUE(ac("E1 FB 03").evaluate(with_lcso(lcs::operational)));
  EXPECT_FALSE(ac("E1 FB 03").evaluate(with_lcso(lcs::initialization)));
  AcContext c;
  c.lcs_application = 0x01;
  c.lcs_global = 0x07;
  EXPECT_TRUE(ac("E0 FA 01").evaluate(c));
  EXPECT_FALSE(ac("E0 FB 01").evaluate(c));
  EXPECT_TRUE(ac("70 FB 03").evaluate(c));
  EXPECT_FALSE(ac("70 FC 04").evaluate(c));
}

TEST(AccessCondition, OrOfAndTokens) {
  // LcsO > in || LcsG < 4
  AcContext c = with_lcso(lcs::creation);
  c.lcs_global = 0x07;
  EXPECT_FALSE(ac("E1 FB 03 FE 70 FC 04").evaluate(c));
  c.lcs_global = 0x03;
  EXPECT_TRUE(ac("E1 FB 03 FE 70 FC 04").evaluate(c));
  // && binds tighter than ||: cr < op && LcsG == 7 || NEV-like false token
  c.lcs_global = 0x07;
  EXPECT_TRUE(ac("E1 FC 07 FD 70 FA 07 FE 23 F1 D0").evaluate(c));
  c.lcs_global = 0x03;
  EXPECT_FALSE(ac("E1 FC 07 FD 70 FA 07 FE 23 F1 D0").evaluate(c));
}

TEST(AccessCondition, SecurityStatusMasks) {
  AcContext c;
  c.security_status_global = 0x21;
  c.security_status_application = 0x20;
  EXPECT_TRUE(ac("10 21").evaluate(c));
  EXPECT_FALSE(ac("10 23").evaluate(c));
  EXPECT_TRUE(ac("90 20").evaluate(c));
  EXPECT_FALSE(ac("90 01").evaluate(c));
}

TEST(AccessCondition, ProtectionFlagsSatisfyConfAndIntOfE140Only) {
  AcContext c = with_lcso(lcs::operational);
  const AccessCondition binding = ac("E1 FC 07 FE 20 E1 40");
  EXPECT_FALSE(binding.evaluate(c));
  c.command_protected = true;
  EXPECT_TRUE(binding.evaluate(c));
  EXPECT_TRUE(ac("21 E1 40").evaluate(c));
  EXPECT_FALSE(ac("21 E0 E8").evaluate(c));
  AcContext r;
  r.response_protected = true;
  EXPECT_TRUE(ac("20 E1 40").evaluate(r));
  // Auto and Luc are never achieved.
  c.command_protected = true;
  EXPECT_FALSE(ac("20 E1 40 FD 23 F1 D0").evaluate(c));
  EXPECT_FALSE(ac("40 E1 20").evaluate(c));
}

TEST(AccessCondition, ValidateAcceptsWellFormed) {
  for (const char* ok : {"00", "FF", "E1 FC 07", "E1 FC 07 FE 20 E1 40", "20 E1 40 FD 23 F1 D0",
                         "10 20 FD 10 20 FD 10 20 FD 10 20 FD 10 20 FD 10 20 FD 10 20",
                         "00", "90 01 FE 90 02 FE 90 04"})
    EXPECT_EQ(ac(ok).validate(), std::nullopt) << ok;
}

TEST(AccessCondition, ValidateRejectsWithReasons) {
  auto reason = [](const char* hex) { return ac(hex).validate().value_or(""); };
  EXPECT_NE(AccessCondition().validate(), std::nullopt);
  EXPECT_NE(reason("00 FD E1 FC 07").find("ALW"), std::string::npos);
  EXPECT_NE(reason("FF FE 00").find("NEV"), std::string::npos);
  EXPECT_NE(reason("33 00 00").find("unknown identifier"), std::string::npos);
  EXPECT_NE(reason("E1 FC").find("truncated"), std::string::npos);
  EXPECT_NE(reason("E1 FD 07").find("comparison operator"), std::string::npos);
  EXPECT_NE(reason("E1 FC 07 FD").find("ends with an operator"), std::string::npos);
  EXPECT_NE(reason("E1 FC 07 E1 FC 07").find("expected && or ||"), std::string::npos);
  EXPECT_NE(reason("10 20 FD 10 20 FD 10 20 FD 10 20 FD 10 20 FD 10 20 FD 10 20 FD 10 20").find("7"), std::string::npos);
  EXPECT_NE(reason("90 01 FE 90 02 FE 90 04 FE 90 08").find("3"), std::string::npos);
  // Malformed expressions never grant access.
  EXPECT_FALSE(ac("00 FD E1 FC 07").evaluate(AcContext{}));
}
