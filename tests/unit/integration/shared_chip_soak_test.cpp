// Eight processes on one emulated chip served over a socket (one chip, one link, as on a real
// bus), 1,000 mixed operations each over a bus that corrupts and drops frames: every process
// continues the link the previous one left (and re-synchronises after a failed exchange), and no
// operation returns a wrong result.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "core/config/device_spec.h"
#include "runtime/open_chip.h"
#include "hal/sim/socket_server.h"
#include "sim_fixture.h"

namespace optiga::testing {
namespace {

constexpr int processes = 8;

std::size_t operations() {
  const char* v = std::getenv("OPTIGA_SOAK_OPERATIONS");
  return v ? std::strtoul(v, nullptr, 10) : 1000;
}

// Exit status: 0 = no wrong result; the count of failed (thrown) operations goes to `errors`.
int worker(const std::string& device, int index, const Bytes& spki_key, int errors_fd) {
  auto dev = runtime::open_device(config::parse_device_string(device));
  const std::uint16_t own = static_cast<std::uint16_t>(0xF1D4 + index);
  const std::uint16_t key = static_cast<std::uint16_t>(0xE0F1 + index % 3);
  Bytes mine;
  unsigned wrong = 0, errors = 0;
  for (std::size_t i = 0; i < operations(); ++i) {
    try {
      switch (i % 4) {
        case 0:
          mine = Bytes(1 + i % 64, static_cast<std::uint8_t>(i * (index + 1)));
          dev->write_object(own, mine, true);
          break;
        case 1:
          if (!mine.empty() && dev->read_object(own) != mine) ++wrong;
          break;
        case 2:
          if (dev->random(16).size() != 16) ++wrong;
          break;
        case 3: {
          Bytes digest(32, static_cast<std::uint8_t>(i));
          const auto sig = dev->sign_digest(key, digest);  // verified by the device too
          if (index % 3 == 0 && !openssl_verify(spki_key, digest, sig.der)) ++wrong;
          break;
        }
      }
    } catch (const std::exception& e) {
      // A write that failed may or may not have happened: its read-back proves nothing.
      if (i % 4 == 0) mine.clear();
      ++errors;
    }
  }
  if (::write(errors_fd, &errors, sizeof errors) != sizeof errors) return 30;
  return wrong ? 10 : 0;
}

TEST(SharedChipSoak, EightProcessesOverALossyBusGiveNoWrongResult) {
  const auto dir = std::filesystem::temp_directory_path() / ("optiga-soak-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string socket = (dir / "chip.sock").string();

  sim::SimOptions opts = sim_options(chip::Model::trust_m_v3);
  opts.timing.chip_latency = false;
  opts.faults.corrupt_to_chip = 0.01;
  opts.faults.corrupt_from_chip = 0.01;
  opts.faults.drop_to_chip = 0.01;
  opts.faults.drop_from_chip = 0.01;
  opts.faults.nack_burst = 0.01;
  opts.faults.seed = 20261129;
  sim::SocketServer server(socket, std::make_unique<sim::SimTransport>(sim::make_chip_engine(opts), opts));
  std::thread serving([&] { server.run(); });
  // Stops the server however the test ends (a joinable thread must not be destroyed).
  struct Stop {
    sim::SocketServer& server;
    std::thread& thread;
    ~Stop() {
      server.stop();
      if (thread.joinable()) thread.join();
    }
  } stop{server, serving};

  const std::string device = "sim+unix:" + socket;
  Bytes spki;
  {
    auto dev = runtime::open_device(config::parse_device_string(device));
    for (std::uint16_t k = 0; k < 3; ++k)
      dev->generate_key(static_cast<std::uint16_t>(0xE0F1 + k), chip::Algorithm::nist_p256, chip::key_usage::sign);
    spki = spki_of(*dev, 0xE0F1);
  }
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  pid_t pids[processes];
  for (int k = 0; k < processes; ++k) {
    pids[k] = ::fork();
    ASSERT_GE(pids[k], 0);
    if (pids[k] == 0) {
      int status = 20;
      try {
        status = worker(device, k, spki, fds[1]);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "worker %d: %s\n", k, e.what());
      }
      ::_exit(status);
    }
  }
  unsigned errors = 0;
  for (int k = 0; k < processes; ++k) {
    int status = 0;
    ASSERT_EQ(::waitpid(pids[k], &status, 0), pids[k]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "worker " << k;
    unsigned e = 0;
    if (::read(fds[0], &e, sizeof e) == sizeof e) errors += e;
  }
  ::close(fds[0]);
  ::close(fds[1]);
  std::printf("%d x %zu operations: %u failed with an error\n", processes, operations(), errors);
  // Link faults are recovered inside the stack; an operation may still fail now and then.
  EXPECT_LT(errors, processes * operations() / 50);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace optiga::testing
