#include "core/config/config_file.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

namespace optiga::config {
namespace {

std::string rejection(std::string_view text) {
  try {
    parse_config_text(text, "test.conf");
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(ConfigFile, KeysCommentsBlanksAndQuotes) {
  const auto config = parse_config_text(
      "# OPTIGA settings\n"
      "\n"
      "device = i2c:/dev/i2c-1?addr=0x30\n"
      "; PIN for later\n"
      "user_pin=\" 12 34 \"\r\n"
      "  log_level   =   debug  \n",
      "test.conf");
  EXPECT_EQ(config.device, "i2c:/dev/i2c-1?addr=0x30");
  EXPECT_EQ(config.user_pin, " 12 34 ");
  EXPECT_EQ(config.log_level, "debug");
}

TEST(ConfigFile, EmptyFileSetsNothing) {
  const auto config = parse_config_text("", "test.conf");
  EXPECT_FALSE(config.device.has_value());
  EXPECT_FALSE(config.log_level.has_value());
}

TEST(ConfigFile, UnknownKeyNamesLine) {
  EXPECT_EQ(rejection("device = sim:\ndevise = i2c:1\n"),
            "test.conf:2: unknown key 'devise'; known keys: device, user_pin, log_level");
}

TEST(ConfigFile, LineWithoutEquals) {
  EXPECT_EQ(rejection("device i2c:1"), "test.conf:1: expected 'key = value', got 'device i2c:1'");
}

TEST(ConfigFile, DuplicateKey) {
  EXPECT_EQ(rejection("device = sim:\ndevice = i2c:1"), "test.conf:2: 'device' is set twice");
}

TEST(ConfigFile, BadLogLevel) {
  EXPECT_NE(rejection("log_level = loud").find("log_level 'loud' is not one of error, warn, info, debug, trace"),
            std::string::npos);
}

TEST(ConfigFile, UnreadableFile) {
  try {
    read_config_file("/nonexistent/optiga.conf");
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "cannot read configuration file /nonexistent/optiga.conf: No such file or directory");
  }
}

}  // namespace
}  // namespace optiga::config
