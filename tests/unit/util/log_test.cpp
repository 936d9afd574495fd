#include "core/util/log.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace optiga {
namespace {

// A sink that keeps every line, shared by the copies of a Logger.
struct Captured {
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  LogSink sink() {
    return [lines = lines](std::string_view line) { lines->emplace_back(line); };
  }
};

TEST(LogLevel, ParsesTheFiveWordsOnly) {
  EXPECT_EQ(parse_log_level("error"), LogLevel::error);
  EXPECT_EQ(parse_log_level("warn"), LogLevel::warn);
  EXPECT_EQ(parse_log_level("info"), LogLevel::info);
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("trace"), LogLevel::trace);
  EXPECT_FALSE(parse_log_level("DEBUG"));
  EXPECT_FALSE(parse_log_level("warning"));
  EXPECT_FALSE(parse_log_level(""));
  EXPECT_FALSE(parse_log_level("debug "));
  for (auto level : {LogLevel::error, LogLevel::warn, LogLevel::info, LogLevel::debug, LogLevel::trace})
    EXPECT_EQ(parse_log_level(log_level_name(level)), level);
}

TEST(Logger, WritesOnlyAtOrBelowItsLevel) {
  Captured out;
  const Logger log("optiga-pkcs11", LogLevel::info, out.sink());
  log.error("e");
  log.warn("w");
  log.info("i");
  log.debug("d");
  log.trace("t");
  ASSERT_EQ(out.lines->size(), 3u);
  EXPECT_EQ((*out.lines)[0], "optiga-pkcs11: error: e\n");
  EXPECT_EQ((*out.lines)[1], "optiga-pkcs11: warn: w\n");
  EXPECT_EQ((*out.lines)[2], "optiga-pkcs11: info: i\n");
  EXPECT_TRUE(log.enabled(LogLevel::info));
  EXPECT_FALSE(log.enabled(LogLevel::debug));
}

TEST(Logger, TraceShowsEverything) {
  Captured out;
  const Logger log("optigactl", LogLevel::trace, out.sink());
  log.trace("apdu");
  log.debug("d");
  ASSERT_EQ(out.lines->size(), 2u);
  EXPECT_EQ((*out.lines)[0], "optigactl: trace: apdu\n");
}

TEST(Logger, ErrorLevelKeepsOnlyErrors) {
  Captured out;
  const Logger log("x", LogLevel::error, out.sink());
  log.warn("w");
  log.error("e");
  ASSERT_EQ(out.lines->size(), 1u);
  EXPECT_EQ((*out.lines)[0], "x: error: e\n");
}

TEST(Logger, DefaultConstructedIsSilent) {
  const Logger log;
  EXPECT_FALSE(log.enabled(LogLevel::error));
  log.error("nowhere");  // must not crash without a sink
}

TEST(Logger, OneEventIsOneLine) {
  Captured out;
  const Logger log("c", LogLevel::debug, out.sink());
  log.debug("first\nc: error: forged\r\tend");
  ASSERT_EQ(out.lines->size(), 1u);
  EXPECT_EQ((*out.lines)[0], "c: debug: first c: error: forged  end\n");
}

TEST(Logger, CopiesShareTheSinkAndLevel) {
  Captured out;
  const Logger original("c", LogLevel::debug, out.sink());
  const Logger copy = original;
  copy.debug("from the copy");
  ASSERT_EQ(out.lines->size(), 1u);
  EXPECT_EQ(copy.component(), "c");
  EXPECT_EQ(copy.level(), LogLevel::debug);
}

}  // namespace
}  // namespace optiga
