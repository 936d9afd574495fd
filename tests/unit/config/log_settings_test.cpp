#include "core/config/log_settings.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "core/util/error.h"

namespace optiga::config {
namespace {

EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

ConfigFile file_with(std::optional<std::string> level) {
  ConfigFile f;
  f.log_level = std::move(level);
  return f;
}

TEST(LogSettings, WarnWithoutAnySetting) {
  EXPECT_EQ(resolve_log_level(ConfigFile{}, env_of({})), LogLevel::warn);
}

TEST(LogSettings, TheFileSetsTheLevel) {
  EXPECT_EQ(resolve_log_level(file_with("debug"), env_of({})), LogLevel::debug);
  EXPECT_EQ(resolve_log_level(parse_config_text("log_level = trace\n", "t.conf"), env_of({})), LogLevel::trace);
}

TEST(LogSettings, TheEnvironmentOverridesTheFile) {
  EXPECT_EQ(resolve_log_level(file_with("error"), env_of({{"OPTIGA_LOG_LEVEL", "trace"}})), LogLevel::trace);
  EXPECT_EQ(resolve_log_level(file_with("trace"), env_of({{"OPTIGA_LOG_LEVEL", "error"}})), LogLevel::error);
  // Set but empty counts as unset, as for $OPTIGA_DEVICE.
  EXPECT_EQ(resolve_log_level(file_with("info"), env_of({{"OPTIGA_LOG_LEVEL", ""}})), LogLevel::info);
}

TEST(LogSettings, ABadEnvironmentValueIsAUsageErrorNamingIt) {
  try {
    resolve_log_level(file_with("info"), env_of({{"OPTIGA_LOG_LEVEL", "verbose"}}));
    FAIL() << "no error";
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(), "$OPTIGA_LOG_LEVEL 'verbose' is not one of error, warn, info, debug, trace");
  }
}

TEST(LogSettings, ABadFileValueIsRefusedWhenTheFileIsRead) {
  EXPECT_THROW(parse_config_text("log_level = verbose\n", "t.conf"), UsageError);
}

TEST(LogSettings, LibrariesWarnAndKeepTheFileLevelOnABadEnvironmentValue) {
  auto lines = std::make_shared<std::vector<std::string>>();
  const Logger log = library_logger("optiga-provider", file_with("info"), env_of({{"OPTIGA_LOG_LEVEL", "loud"}}),
                                    [lines](std::string_view line) { lines->emplace_back(line); });
  EXPECT_EQ(log.level(), LogLevel::info);
  EXPECT_EQ(log.component(), "optiga-provider");
  ASSERT_EQ(lines->size(), 1u);
  EXPECT_EQ((*lines)[0],
            "optiga-provider: warn: $OPTIGA_LOG_LEVEL 'loud' is not one of error, warn, info, debug, trace; "
            "using log level info\n");
}

TEST(LogSettings, LibrariesUseTheEnvironmentWhenValid) {
  auto lines = std::make_shared<std::vector<std::string>>();
  const Logger log = library_logger("optiga-pkcs11", ConfigFile{}, env_of({{"OPTIGA_LOG_LEVEL", "debug"}}),
                                    [lines](std::string_view line) { lines->emplace_back(line); });
  EXPECT_EQ(log.level(), LogLevel::debug);
  EXPECT_TRUE(lines->empty());
}

}  // namespace
}  // namespace optiga::config
