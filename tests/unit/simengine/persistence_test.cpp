// The shared state file: creation, sharing between engine instances, corruption (docs/emulated-chip.md).
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "engine_harness.h"
#include "hal/sim/state_file.h"

namespace optiga::sim::test {
namespace {

using chip::Model;
namespace fs = std::filesystem;

class Persistence : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = temp_dir(); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path() const { return dir_ + "/chip.state"; }
  std::string dir_;
};

TEST_F(Persistence, MissingFileCreatesAFactoryFreshChip) {
  ASSERT_FALSE(fs::exists(path()));
  Harness h(options(Model::trust_m_v1, path()));
  EXPECT_TRUE(fs::exists(path()));
  EXPECT_EQ(state_file_model(path()), Model::trust_m_v1);
  EXPECT_EQ(state_file_model(dir_ + "/none.state"), std::nullopt);
}

// The state file holds private keys: created 0600 whatever the umask, and a mode the user chose
// survives every rewrite.
TEST_F(Persistence, StateFileIsPrivateAndKeepsItsMode) {
  const mode_t saved = ::umask(0);
  Harness h(options(Model::trust_m_v3, path()));
  ::umask(saved);
  EXPECT_EQ(fs::status(path()).permissions(), fs::perms::owner_read | fs::perms::owner_write);
  fs::permissions(path(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  ASSERT_TRUE(h.write(0xF1D0, from_hex("01 02 03")).ok());
  EXPECT_EQ(fs::status(path()).permissions(), fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

TEST_F(Persistence, TwoInstancesSeeEachOthersWrites) {
  Harness a(options(Model::trust_m_v3, path()));
  Harness b(options(Model::trust_m_v3, path()));
  EXPECT_EQ(a.read(0xE0C2).data, b.read(0xE0C2).data);  // one chip, one UID
  ASSERT_TRUE(a.write(0xF1D0, from_hex("01 02 03")).ok());
  EXPECT_EQ(b.read(0xF1D0).data, from_hex("01 02 03"));
  ASSERT_TRUE(b.write_metadata(0xF1D0, "20 03 C0 01 07").ok());
  EXPECT_FALSE(a.write(0xF1D0, from_hex("04")).ok());
  EXPECT_EQ(a.last_error(), chip::err::access_conditions);
  // A key generated through one instance signs through the other.
  const Response gen = a.gen_key(0xE0F1, 0x03, chip::key_usage::sign);
  ASSERT_TRUE(gen.ok());
  const Bytes digest(32, 0x33);
  const Response sig = b.sign(0xE0F1, digest);
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(openssl_verify(chip::Algorithm::nist_p256, public_key_from_genkey(gen.data), digest, sig.data));
}

TEST_F(Persistence, StateSurvivesANewInstance) {
  Bytes uid;
  {
    Harness h(options(Model::trust_x, path()));
    uid = h.read(0xE0C2).data;
    ASSERT_TRUE(h.write(0xF1DF, from_hex("AA BB")).ok());
  }
  Harness h(options(Model::trust_x, path()));
  EXPECT_EQ(h.read(0xE0C2).data, uid);
  EXPECT_EQ(h.read(0xF1DF).data, from_hex("AA BB"));
  // Volatile state is per instance: the new one starts with no error and a closed application.
  Harness closed(options(Model::trust_x, path()), false);
  EXPECT_FALSE(closed.read(0xE0C2).ok());
}

TEST_F(Persistence, CorruptFileIsAClearError) {
  { std::ofstream(path()) << "{ this is not json"; }
  try {
    ChipEngine e(options(Model::trust_m_v3, path()));
    FAIL() << "a corrupt state file must not yield a chip";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find(path()), std::string::npos) << e.what();
  }
  // Valid JSON but not a chip.
  { std::ofstream(path()) << R"({"generation": 3, "format": "optiga-sim-state", "version": 1, "model": "trust-m-v3", "objects": {}})"; }
  EXPECT_THROW(ChipEngine(options(Model::trust_m_v3, path())), std::runtime_error);
}

TEST_F(Persistence, CorruptionAfterStartIsReportedOnTheNextCommand) {
  Harness h(options(Model::trust_m_v3, path()));
  { std::ofstream(path()) << "garbage"; }
  EXPECT_THROW(h.engine().execute(from_hex("81 00 00 02 E0 C0"), 0), std::runtime_error);
}

TEST_F(Persistence, ModelMismatchIsRefused) {
  { Harness h(options(Model::trust_x, path())); }
  try {
    ChipEngine e(options(Model::trust_m_v3, path()));
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("trust-x"), std::string::npos) << e.what();
  }
}

TEST_F(Persistence, ConcurrentProcessesLoseNoUpdate) {
  {
    Harness h(options(Model::trust_m_v3, path()));
    ASSERT_TRUE(h.write(0xE121, from_hex("00 00 00 00 00 00 10 00")).ok());
  }
  constexpr int processes = 4;
  constexpr int counts = 25;
  std::vector<pid_t> children;
  for (int p = 0; p < processes; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // Child: its own engine on the shared file; exit status 0 only if every count succeeded.
      int failures = 0;
      try {
        ChipEngine e(options(Model::trust_m_v3, path()));
        Bytes open{0xF0, 0x00, 0x00, 0x10};
        append(open, ByteView(chip::application_id, 16));
        if (e.execute(open, 0).response.at(0) != 0) ++failures;
        for (int i = 0; i < counts; ++i)
          if (e.execute(from_hex("82 02 00 05 E1 21 00 00 01"), 0).response.at(0) != 0) ++failures;
      } catch (...) {
        ++failures;
      }
      _exit(failures == 0 ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  Harness h(options(Model::trust_m_v3, path()));
  EXPECT_EQ(get_u32(h.read(0xE121).data, 0), static_cast<std::uint32_t>(processes * counts));
}

TEST_F(Persistence, GenerationAdvancesOnlyWhenNvmChanges) {
  Harness h(options(Model::trust_m_v3, path()));
  auto generation = [&] {
    std::ifstream in(path());
    return nlohmann::json::parse(in).at("generation").get<std::uint64_t>();
  };
  const auto g0 = generation();
  EXPECT_TRUE(h.read(0xE0C2).ok());
  EXPECT_EQ(generation(), g0);
  EXPECT_TRUE(h.write(0xF1D1, Bytes{1}).ok());
  EXPECT_EQ(generation(), g0 + 1);
  // Private keys are stored, never the public data of another object.
  std::ifstream in(path());
  const auto j = nlohmann::json::parse(in);
  EXPECT_TRUE(j.at("objects").at("E0F0").contains("key"));
  EXPECT_FALSE(j.at("objects").at("E0F1").contains("key"));
}

}  // namespace
}  // namespace optiga::sim::test
