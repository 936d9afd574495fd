#include "core/config/settings.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "core/util/error.h"

namespace optiga::config {
namespace {

namespace fs = std::filesystem;

// A private directory of config files, removed at the end of each test.
class SettingsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("optiga-settings-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  fs::path write(const std::string& name, const std::string& content) {
    const auto path = dir_ / name;
    std::ofstream(path) << content;
    return path;
  }

  SettingsSources sources(std::map<std::string, std::string> env, std::optional<fs::path> explicit_path = {}) {
    SettingsSources s;
    s.explicit_path = std::move(explicit_path);
    s.env = [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    s.system_path = dir_ / "etc-optiga.conf";
    return s;
  }

  fs::path dir_;
};

TEST_F(SettingsTest, NoDeviceAnywhereSaysHowToConfigureOne) {
  try {
    resolve_device(sources({}));
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "no OPTIGA device configured: set OPTIGA_DEVICE (e.g. i2c:/dev/i2c-1) or device= in "
              "/etc/optiga/optiga.conf (to use the emulator, name it: OPTIGA_DEVICE=sim:)");
  }
}

TEST_F(SettingsTest, SystemFileIsUsedLast) {
  write("etc-optiga.conf", "device = i2c:1\nlog_level = warn\n");
  const auto settings = load_settings(sources({}));
  EXPECT_EQ(settings.device, "i2c:1");
  EXPECT_EQ(settings.file.log_level, "warn");
  EXPECT_EQ(settings.file.source, dir_ / "etc-optiga.conf");
  EXPECT_EQ(resolve_device(settings).path, "/dev/i2c-1");
}

TEST_F(SettingsTest, OptigaConfBeatsSystemFile) {
  write("etc-optiga.conf", "device = i2c:1\n");
  const auto conf = write("env.conf", "device = ft260:\n");
  EXPECT_EQ(resolve_device(sources({{"OPTIGA_CONF", conf.string()}})).kind, DeviceKind::ft260);
}

TEST_F(SettingsTest, ExplicitPathBeatsOptigaConf) {
  const auto conf = write("env.conf", "device = ft260:\n");
  const auto mine = write("mine.conf", "device = sim+unix:/tmp/s.sock\n");
  EXPECT_EQ(resolve_device(sources({{"OPTIGA_CONF", conf.string()}}, mine)).kind, DeviceKind::sim_unix);
}

TEST_F(SettingsTest, EnvironmentDeviceOverridesFoundFile) {
  const auto conf = write("env.conf", "device = i2c:1\nuser_pin = 1234\n");
  const auto settings = load_settings(sources({{"OPTIGA_DEVICE", "sim:"}, {"OPTIGA_CONF", conf.string()}}));
  EXPECT_EQ(settings.device, "sim:");
  EXPECT_EQ(settings.device_origin, "$OPTIGA_DEVICE");
  EXPECT_EQ(settings.file.user_pin, "1234");  // the rest of the file still applies
  EXPECT_EQ(resolve_device(settings).kind, DeviceKind::sim);
}

TEST_F(SettingsTest, EnvironmentDeviceOverridesSystemFile) {
  write("etc-optiga.conf", "device = i2c:1\n");
  EXPECT_EQ(load_settings(sources({{"OPTIGA_DEVICE", "ft260:"}})).device, "ft260:");
}

// explicit argument > $OPTIGA_DEVICE > $OPTIGA_CONF > /etc/optiga/optiga.conf
TEST_F(SettingsTest, ExplicitDeviceBeatsEverything) {
  const auto conf = write("env.conf", "device = i2c:1\nuser_pin = 1234\n");
  const auto mine = write("mine.conf", "device = i2c:2\n");
  auto s = sources({{"OPTIGA_DEVICE", "sim:"}, {"OPTIGA_CONF", conf.string()}});
  s.explicit_device = "ft260:";
  s.explicit_device_origin = "the provider's device parameter";
  auto settings = load_settings(s);
  EXPECT_EQ(settings.device, "ft260:");
  EXPECT_EQ(settings.device_origin, "the provider's device parameter");
  EXPECT_EQ(settings.file.user_pin, "1234");  // the found file's other keys still apply
  s.explicit_path = mine;
  EXPECT_EQ(load_settings(s).device, "ft260:");
}

TEST_F(SettingsTest, NamedFileBeatsEnvironmentDevice) {
  const auto mine = write("mine.conf", "device = i2c:1\nuser_pin = 1234\n");
  const auto settings = load_settings(sources({{"OPTIGA_DEVICE", "sim:"}}, mine));
  EXPECT_EQ(settings.device, "i2c:1");
  EXPECT_EQ(settings.device_origin, mine.string() + ": device");
}

TEST_F(SettingsTest, NamedFileWithoutDeviceLeavesItToTheEnvironment) {
  const auto mine = write("mine.conf", "user_pin = 1234\n");
  const auto settings = load_settings(sources({{"OPTIGA_DEVICE", "sim:"}}, mine));
  EXPECT_EQ(settings.device, "sim:");
  EXPECT_EQ(settings.device_origin, "$OPTIGA_DEVICE");
  EXPECT_EQ(settings.file.user_pin, "1234");
}

TEST_F(SettingsTest, MissingExplicitFileIsAnErrorNotAFallback) {
  write("etc-optiga.conf", "device = i2c:1\n");
  EXPECT_THROW(load_settings(sources({}, dir_ / "missing.conf")), UsageError);
  try {
    load_settings(sources({{"OPTIGA_CONF", (dir_ / "gone.conf").string()}}));
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot read configuration file"), std::string::npos);
  }
}

TEST_F(SettingsTest, BadDeviceStringNamesWhereItCameFrom) {
  const auto mine = write("mine.conf", "device = i3c:0\n");
  try {
    resolve_device(sources({}, mine));
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown device kind 'i3c'; use i2c:, ft260:, sim: or sim+unix: (device string from " +
                                         mine.string() + ": device)");
  }
}

TEST_F(SettingsTest, NoDeviceMessageNamesTheFileThatWasRead) {
  const auto mine = write("mine.conf", "log_level = info\n");
  try {
    resolve_device(sources({}, mine));
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_NE(std::string(e.what()).find("device= in " + mine.string()), std::string::npos);
  }
}

}  // namespace
}  // namespace optiga::config
