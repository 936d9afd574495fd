// Two processes on one emulated chip state file, 1,000 mixed operations each: the state stays
// consistent, nothing is corrupted and no write is lost. Each process writes its own object and
// reads it back between the other's writes: had one process's save overwritten the other's
// (a lost update at the file level), the read-back would differ.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "core/config/device_spec.h"
#include "runtime/open_chip.h"
#include "sim_fixture.h"

namespace optiga::testing {
namespace {

constexpr std::size_t operations = 1000;

// Runs in a child process; returns the exit status (0 = every check held).
int worker(const std::string& device, int index) {
  try {
    auto dev = runtime::open_device(config::parse_device_string(device));
    dev->open();
    // 0xF1D0‥0xF1D3 hold the key slots' public keys (architecture note): use objects beyond them.
    const std::uint16_t own = static_cast<std::uint16_t>(0xF1DA + index);
    const std::uint16_t key = static_cast<std::uint16_t>(0xE0F1 + index);
    dev->generate_key(key, chip::Algorithm::nist_p256, chip::key_usage::sign);
    Bytes mine;
    for (std::size_t i = 0; i < operations; ++i) {
      switch (i % 4) {
        case 0:
          mine = Bytes(1 + i % 64, static_cast<std::uint8_t>(i * (index + 1)));
          dev->write_object(own, mine, true);
          break;
        case 1:
          if (dev->read_object(own) != mine) return 10;
          break;
        case 2:
          // Reads that touch other state: a torn or clobbered state file shows up here or in case 1.
          if (dev->random(16).size() != 16) return 11;
          if (!dev->read_metadata(own).used_size) return 12;
          break;
        case 3: {
          Bytes digest(32, static_cast<std::uint8_t>(i));
          dev->sign_digest(key, digest);  // the device verifies every signature itself
          break;
        }
      }
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "worker %d: %s\n", index, e.what());
    return 20;
  }
}

TEST(MultiProcess, TwoProcessesShareOneStateFileWithoutLosingWrites) {
  const auto dir = std::filesystem::temp_directory_path() / ("optiga-mp-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string device = "sim:" + (dir / "chip.state").string() + "?timing=off";
  {
    // Create the chip once, so both processes start from the same factory state.
    auto dev = runtime::open_device(config::parse_device_string(device + "&create=1"));
    dev->open();
  }
  pid_t pids[2];
  for (int k = 0; k < 2; ++k) {
    pids[k] = ::fork();
    ASSERT_GE(pids[k], 0);
    if (pids[k] == 0) ::_exit(worker(device, k));
  }
  for (int k = 0; k < 2; ++k) {
    int status = 0;
    ASSERT_EQ(::waitpid(pids[k], &status, 0), pids[k]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "worker " << k;
  }
  auto dev = runtime::open_device(config::parse_device_string(device));
  dev->open();
  EXPECT_EQ(dev->read_object(0xF1DA).size(), 1 + (operations - 4) % 64);
  EXPECT_EQ(dev->read_object(0xF1DB).size(), 1 + (operations - 4) % 64);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optiga::testing
