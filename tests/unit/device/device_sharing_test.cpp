#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <cstddef>
#include <fstream>

#include "core/chip/chip_error.h"
#include "core/device/shared_state.h"
#include "core/util/error.h"
#include "device_test_support.h"

using namespace optiga;
using optiga::test::Rig;

namespace {
std::filesystem::path temp_lock(const char* name) {
  auto p = std::filesystem::temp_directory_path() / (std::string("optiga-test-") + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove(p);
  return p;
}

// The operation counter in the shared record the lock file holds (core/device/shared_state.h).
std::uint64_t generation(const std::filesystem::path& lock) {
  std::ifstream in(lock, std::ios::binary);
  in.seekg(offsetof(device::shared::Record, generation));
  std::uint64_t g = 0;
  in.read(reinterpret_cast<char*>(&g), sizeof g);
  return g;
}

// Whether the last reset was followed by an OpenApplication before any other command.
bool reopened_after_reset(const test::FakeChip& chip, std::size_t from) {
  return chip.sent.size() > from && chip.sent[from][0] == 0xF0;
}
}  // namespace

TEST(DeviceSharing, ReopensAfterAnotherProcessUsedTheChip) {
  const auto lock = temp_lock("gen");
  Rig a({lock}), b({lock});
  a.device->open();
  a.device->random(8);
  EXPECT_EQ(a.chip->resets, 0);  // own generation: no re-open

  b.device->random(8);  // "another process" bumps the generation
  const auto from = a.chip->sent.size();
  a.device->random(8);
  EXPECT_EQ(a.chip->resets, 1);
  EXPECT_TRUE(reopened_after_reset(*a.chip, from));
  EXPECT_EQ(a.chip->sent.back()[0] & 0x7F, 0x0C);  // and then the operation itself

  a.device->random(8);
  EXPECT_EQ(a.chip->resets, 1);
  std::filesystem::remove(lock);
}

TEST(DeviceSharing, NestedOperationsLockOnce) {
  const auto lock = temp_lock("nested");
  Rig a({lock}), b({lock});
  a.device->open();
  b.device->open();
  const auto before = generation(lock);
  {
    device::Device::Operation op(*a.device);
    a.device->random(8);
    a.device->random(8);
  }
  EXPECT_EQ(generation(lock), before + 1);  // one operation, one bump
  b.device->random(8);
  b.device->random(8);
  EXPECT_EQ(b.chip->resets, 1);
  std::filesystem::remove(lock);
}

TEST(DeviceSharing, ChildReinitialisesAfterFork) {
  Rig rig;  // no lock file: the pid change alone must trigger re-initialisation
  rig.device->open();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    const auto from = rig.chip->sent.size();
    int status = 0;
    try {
      rig.device->random(8);
      if (rig.chip->resets != 1) status = 2;
      else if (!reopened_after_reset(*rig.chip, from)) status = 3;
      rig.device->random(8);
      if (rig.chip->resets != 1) status = 4;
    } catch (...) {
      status = 5;
    }
    ::_exit(status);
  }
  int status = -1;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  rig.device->random(8);
  EXPECT_EQ(rig.chip->resets, 0);  // the parent's own link is untouched
}

TEST(DeviceSharing, ParentNoticesChildUseThroughTheLock) {
  const auto lock = temp_lock("fork");
  Rig rig({lock});
  rig.device->open();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    int status = 0;
    try {
      rig.device->random(8);
      status = rig.chip->resets == 1 ? 0 : 2;
    } catch (...) {
      status = 5;
    }
    ::_exit(status);
  }
  int status = -1;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  rig.device->random(8);
  EXPECT_EQ(rig.chip->resets, 1);
  std::filesystem::remove(lock);
}

TEST(DeviceSharing, LinkFaultResetsBeforeTheNextOperation) {
  Rig rig;
  rig.device->open();
  rig.chip->garble_next = true;
  EXPECT_THROW(rig.device->random(8), ProtocolError);
  EXPECT_EQ(rig.chip->resets, 0);
  const auto from = rig.chip->sent.size();
  EXPECT_EQ(rig.device->random(8).size(), 8u);
  EXPECT_EQ(rig.chip->resets, 1);
  EXPECT_TRUE(reopened_after_reset(*rig.chip, from));
}

TEST(DeviceSharing, ChipRefusalDoesNotReset) {
  Rig rig;
  rig.chip->write_protected.insert(0xF1D4);
  EXPECT_THROW(rig.device->write_object(0xF1D4, Bytes(4, 1), true), chip::ChipError);
  rig.device->random(8);
  EXPECT_EQ(rig.chip->resets, 0);
}
