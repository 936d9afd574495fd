// The one opener: the precedence it applies, and the emulator library behind the C boundary —
// errors keep their type across it, a missing library says which package to install.
#include "runtime/open_chip.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <string>

#include "core/util/error.h"
#include "runtime/emulator_library.h"

namespace optiga::runtime {
namespace {

namespace fs = std::filesystem;

class OpenChipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("optiga-runtime-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    // Kept as the run gives it: sanitizer runs name the library by path (tests/CMakeLists.txt).
    if (const char* v = std::getenv("OPTIGA_SIM_LIBRARY")) saved_library_ = v;
  }
  void TearDown() override {
    if (saved_library_) ::setenv("OPTIGA_SIM_LIBRARY", saved_library_->c_str(), 1);
    else ::unsetenv("OPTIGA_SIM_LIBRARY");
    fs::remove_all(dir_);
  }

  // Settings from the given environment only (no /etc file).
  config::SettingsSources sources(std::map<std::string, std::string> env) {
    config::SettingsSources s;
    s.env = [env = std::move(env)](const std::string& name) -> std::optional<std::string> {
      auto it = env.find(name);
      if (it == env.end()) return std::nullopt;
      return it->second;
    };
    s.system_path = dir_ / "absent.conf";
    return s;
  }

  template <class E>
  std::string message_of(const std::string& device) {
    try {
      open_device(config::parse_device_string(device));
    } catch (const E& e) {
      return e.what();
    }
    return "no exception of the expected type";
  }

  fs::path dir_;
  std::optional<std::string> saved_library_;
};

TEST_F(OpenChipTest, ExplicitDeviceBeatsTheEnvironment) {
  auto s = sources({{"OPTIGA_DEVICE", "i2c:/nonexistent/i2c-9"}});
  s.explicit_device = "sim:?timing=off";
  const OpenedChip chip = open_chip(s);
  ASSERT_NE(chip.device, nullptr);
  EXPECT_EQ(chip.spec.kind, config::DeviceKind::sim);
  EXPECT_EQ(chip.settings.device_origin, "--device");
  EXPECT_EQ(chip.device->info().model, chip::Model::trust_m_v3);
}

TEST_F(OpenChipTest, EnvironmentDeviceIsOpenedWhenNothingExplicitNamesOne) {
  const OpenedChip chip = open_chip(sources({{"OPTIGA_DEVICE", "sim:?model=trust-x&timing=off"}}));
  EXPECT_EQ(chip.settings.device_origin, "$OPTIGA_DEVICE");
  EXPECT_EQ(chip.device->info().model, chip::Model::trust_x);
}

TEST_F(OpenChipTest, NoDeviceConfiguredIsAUsageError) { EXPECT_THROW(open_chip(sources({})), UsageError); }

TEST_F(OpenChipTest, EmulatorErrorsKeepTheirTypeAcrossTheLibrary) {
  EXPECT_NE(message_of<UsageError>("sim:?model=trust-z").find("unknown model 'trust-z'"), std::string::npos);
  const std::string missing = (dir_ / "none.state").string();
  EXPECT_NE(message_of<TransportError>("sim:" + missing).find("no emulated chip at " + missing),
            std::string::npos);
  EXPECT_NE(
      message_of<TransportError>("sim+unix:" + (dir_ / "none.sock").string()).find("no emulator listens"),
      std::string::npos);
}

TEST_F(OpenChipTest, ChipCreatedThroughTheLibraryOpensWithItsModel) {
  const std::string path = (dir_ / "chip.state").string();
  create_emulated_chip(path, "trust-m-v1");
  ASSERT_TRUE(fs::exists(path));
  auto device = open_device(config::parse_device_string("sim:" + path + "?model=trust-m-v1&timing=off"));
  device->open();
  EXPECT_EQ(device->info().model, chip::Model::trust_m_v1);
  EXPECT_THROW(create_emulated_chip((dir_ / "x.state").string(), "trust-z"), UsageError);
}

// docs/configuration.md: an unknown option is an error (a typo must not run another chip), and
// with no model named the state file's own model is used.
TEST_F(OpenChipTest, UnknownSimOptionsAreRefusedAndTheStateFileNamesTheModel) {
  const std::string path = (dir_ / "x.state").string();
  create_emulated_chip(path, "trust-x");
  EXPECT_NE(message_of<UsageError>("sim:" + path + "?modle=trust-x").find("unknown option 'modle'"), std::string::npos);
  EXPECT_NE(message_of<UsageError>("sim+unix:" + path + "?timing=off").find("unknown option 'timing'"),
            std::string::npos);
  EXPECT_NE(message_of<UsageError>("sim:" + path + "?timing=maybe").find("maybe"), std::string::npos);
  auto device = open_device(config::parse_device_string("sim:" + path + "?timing=off"));
  device->open();
  EXPECT_EQ(device->info().model, chip::Model::trust_x);
  // A file that is not a state file is corrupt, and says so.
  const std::string bad = (dir_ / "bad.state").string();
  { std::ofstream(bad) << "not json"; }
  EXPECT_NE(message_of<TransportError>("sim:" + bad).find("corrupt"), std::string::npos);
}

TEST_F(OpenChipTest, MissingLibrarySaysWhatToInstall) {
  const std::string absent = (dir_ / "liboptiga-sim.so.0").string();
  ::setenv("OPTIGA_SIM_LIBRARY", absent.c_str(), 1);
  const std::string message = message_of<TransportError>("sim:");
  EXPECT_NE(message.find(
                "sim: device strings need the emulator library liboptiga-sim.so.0 (package optiga-emulator)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(absent), std::string::npos) << message;
  EXPECT_THROW(create_emulated_chip((dir_ / "chip.state").string(), "trust-m-v3"), TransportError);
  EXPECT_FALSE(fs::exists(dir_ / "chip.state"));
}

TEST_F(OpenChipTest, ALibraryWithoutTheEntryPointsIsRefused) {
  ::setenv("OPTIGA_SIM_LIBRARY", "libc.so.6", 1);
  EXPECT_NE(message_of<TransportError>("sim:").find("is not the emulator library"), std::string::npos);
}

TEST_F(OpenChipTest, HardwareStringsNeverLoadTheEmulator) {
  // With no library available, an i2c: string still reaches hal (and fails there, on no bus).
  ::setenv("OPTIGA_SIM_LIBRARY", (dir_ / "absent.so").string().c_str(), 1);
  const std::string message = message_of<TransportError>("i2c:/nonexistent/i2c-9");
  EXPECT_EQ(message.find("emulator library"), std::string::npos) << message;
  EXPECT_NE(message.find("/nonexistent/i2c-9"), std::string::npos) << message;
}

}  // namespace
}  // namespace optiga::runtime
