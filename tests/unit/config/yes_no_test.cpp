#include "core/util/yes_no.h"

#include <gtest/gtest.h>

#include <string>

#include "core/util/error.h"

namespace optiga {
namespace {

TEST(YesNo, AcceptsEveryPairInAnyCase) {
  for (const char* word : {"yes", "on", "true", "1", "YES", "On", "TRUE"}) EXPECT_TRUE(parse_yes_no(word, "x")) << word;
  for (const char* word : {"no", "off", "false", "0", "NO", "Off", "False"}) EXPECT_FALSE(parse_yes_no(word, "x")) << word;
}

TEST(YesNo, RefusesOtherWordsNamingSettingValueAndChoices) {
  for (const char* word : {"", "y", "n", "enable", "2", " yes", "yes ", "onn"}) {
    try {
      parse_yes_no(word, "optiga-replace");
      ADD_FAILURE() << "accepted '" << word << "'";
    } catch (const UsageError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("optiga-replace"), std::string::npos) << what;
      EXPECT_NE(what.find(std::string("'") + word + "'"), std::string::npos) << what;
      EXPECT_NE(what.find("on/off"), std::string::npos) << what;
    }
  }
}

}  // namespace
}  // namespace optiga
