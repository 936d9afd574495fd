// Benchmark (not a test): several processes sharing one chip. Each configuration starts its own
// `optiga-emulator --real-sleep` (memory only, a fresh chip: the security event counter starts
// low and stays below 128, so the monitor never throttles) and forks client processes that each
// open the chip over its socket as any front end would (device string sim+unix:, the chip's lock
// file), wait for a common start, then work for the run time:
//   - 1, 2, 4 and 8 processes signing back to back (P-256, CalcSign);
//   - mixed: 6 back-to-back signers, 1 signer every 400 ms, 1 GetRandom every 300 ms.
// Printed beside their targets (issue "Sharing the chip"):
//   - aggregate signatures per second as a share of the chip's rate, 1 / (chip time + bus time of
//     one signature); target >= 95 % at 2 and 8 processes;
//   - among equal clients, the fewest operations as a share of the most; target >= 80 %;
//   - the paced clients' longest wait (call to return, minus what the same call takes on an idle
//     chip) in operation times; target <= 2.
//   bench_sharing [--seconds S]   (default 5 per configuration)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/chip/ids.h"
#include "core/config/device_spec.h"
#include "core/device/device.h"
#include "core/device/device_factory.h"
#include "hal/socket_transport.h"

namespace {

using namespace optiga;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

constexpr std::uint16_t kKey = 0xE0F1;
constexpr double kChipSignUs = 65'000;  // CalcSign P-256, Trust M V3 (spec §9.2; the emulator's figure)

double us_since(Clock::time_point t0, Clock::time_point t) {
  return std::chrono::duration<double, std::micro>(t - t0).count();
}

// One emulator process serving a fresh in-memory chip on a socket; stopped on destruction.
class Emulator {
 public:
  explicit Emulator(const fs::path& dir) : socket_(dir / "chip.sock") {
    fs::remove(socket_);
    fs::remove(fs::path(socket_.string() + ".bus.lock"));
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const std::string sock = socket_.string();
      if (std::freopen("/dev/null", "w", stdout) == nullptr || std::freopen("/dev/null", "w", stderr) == nullptr)
        ::_exit(127);
      ::execl(OPTIGA_EMULATOR_PATH, "optiga-emulator", "--socket", sock.c_str(), "--real-sleep", "--timeout", "600",
              static_cast<char*>(nullptr));
      std::perror("exec optiga-emulator");
      ::_exit(127);
    }
    // The socket file appears at bind(), a moment before listen(): wait until a connection works.
    for (int i = 0;; ++i) {
      try {
        hal::SocketTransport probe(socket_.string());
        break;
      } catch (const std::exception&) {
        if (i == 300) throw std::runtime_error("the emulator did not start");
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
      }
    }
  }
  ~Emulator() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;
  std::string device_string() const { return "sim+unix:" + socket_.string(); }
  const fs::path& socket() const { return socket_; }

 private:
  fs::path socket_;
  pid_t pid_ = -1;
};

std::unique_ptr<device::Device> open_device(const std::string& device_string) {
  const auto spec = config::parse_device_string(device_string);
  auto dev = device::make_device(spec, std::make_unique<hal::SocketTransport>(spec.path));
  dev->open();
  return dev;
}

enum class Role { signer, paced_signer, paced_random };

struct ClientSpec {
  Role role;
  int period_ms = 0;  // paced clients
};

// What one client reports through its pipe.
struct ClientResult {
  std::uint64_t ops = 0;
  std::uint64_t errors = 0;
  double last_done_us = 0;  // since the common start
  double longest_us = 0;    // longest single call
  double longest_wait_us = 0;
};

// Runs in the child: open, wait for the start byte, work until the deadline.
ClientResult run_client(const std::string& dev_string, const ClientSpec& spec, int start_fd, double seconds,
                        double idle_sign_us, double idle_random_us) {
  ClientResult r;
  auto dev = open_device(dev_string);
  dev->public_key(kKey);  // read once before the start, as a long-running client would have
  const Bytes digest(32, 0x5A);
  char go = 0;
  if (::read(start_fd, &go, 1) != 1) throw std::runtime_error("no start");
  const auto t0 = Clock::now();
  const auto deadline = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
  // Paced clients first ask one period in: at the start every client is new and queues in order.
  auto next = t0 + std::chrono::milliseconds(spec.period_ms);
  for (;;) {
    if (spec.role != Role::signer) {
      std::this_thread::sleep_until(next);
      next += std::chrono::milliseconds(spec.period_ms);
    }
    const auto begin = Clock::now();
    if (begin >= deadline) break;
    try {
      if (spec.role == Role::paced_random) dev->random(32);
      else dev->sign_digest(kKey, digest);
      ++r.ops;
    } catch (const std::exception&) {
      ++r.errors;
    }
    const auto end = Clock::now();
    const double took = us_since(begin, end);
    r.longest_us = std::max(r.longest_us, took);
    const double idle = spec.role == Role::paced_random ? idle_random_us : idle_sign_us;
    r.longest_wait_us = std::max(r.longest_wait_us, took - idle);
    r.last_done_us = us_since(t0, end);
  }
  return r;
}

struct RunResult {
  std::string name;
  std::vector<ClientSpec> specs;
  std::vector<ClientResult> results;
  double op_us = 0;  // the chip's time for one signature (chip + bus)
  double idle_sign_us = 0;
  unsigned sec_after = 0;
  sim::SimCounters counters;  // the emulator's, over the run
};

struct Calibration {
  double bus_us = 0;          // bus time of one signature (emulator counters)
  double idle_sign_us = 0;    // one signature on an idle chip, call to return
  double idle_random_us = 0;  // one GetRandom on an idle chip
};

Calibration calibrate(const Emulator& emu) {
  Calibration c;
  auto dev = open_device(emu.device_string());
  dev->generate_key(kKey, chip::Algorithm::nist_p256, chip::key_usage::sign);
  const Bytes digest(32, 0x5A);
  dev->sign_digest(kKey, digest);  // warm-up: public key cached, link settled
  dev->random(32);
  hal::SocketTransport counters(emu.socket().string());
  counters.reset_counters();
  auto t = Clock::now();
  dev->sign_digest(kKey, digest);
  c.idle_sign_us = us_since(t, Clock::now());
  c.bus_us = static_cast<double>(counters.counters().bus_time_us);
  t = Clock::now();
  dev->random(32);
  c.idle_random_us = us_since(t, Clock::now());
  return c;
}

RunResult run(const fs::path& dir, const std::string& name, const std::vector<ClientSpec>& specs, double seconds) {
  Emulator emu(dir);
  const Calibration cal = calibrate(emu);
  RunResult out;
  out.name = name;
  out.specs = specs;
  out.op_us = kChipSignUs + cal.bus_us;
  out.idle_sign_us = cal.idle_sign_us;

  int start[2];
  if (::pipe(start) != 0) throw std::runtime_error("pipe failed");
  std::vector<pid_t> pids;
  std::vector<int> result_fds;
  for (const auto& spec : specs) {
    int res[2];
    if (::pipe(res) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      ::close(start[1]);
      ::close(res[0]);
      ClientResult r;
      int rc = 0;
      try {
        r = run_client(emu.device_string(), spec, start[0], seconds, cal.idle_sign_us, cal.idle_random_us);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "client %d: %s\n", static_cast<int>(::getpid()), e.what());
        rc = 1;
      }
      const bool sent = ::write(res[1], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
      ::_exit(sent ? rc : 1);
    }
    ::close(res[1]);
    pids.push_back(pid);
    result_fds.push_back(res[0]);
  }
  ::close(start[0]);
  hal::SocketTransport counters(emu.socket().string());
  // Every client has opened the chip once it can read; give them a moment, then start all at once.
  std::this_thread::sleep_for(std::chrono::milliseconds(300 + 50 * static_cast<int>(specs.size())));
  const std::string go(specs.size(), 'g');
  counters.reset_counters();
  if (::write(start[1], go.data(), go.size()) != static_cast<ssize_t>(go.size())) throw std::runtime_error("start");
  ::close(start[1]);
  for (std::size_t i = 0; i < pids.size(); ++i) {
    ClientResult r;
    if (::read(result_fds[i], &r, sizeof r) != static_cast<ssize_t>(sizeof r))
      throw std::runtime_error("a client reported nothing");
    ::close(result_fds[i]);
    int status = 0;
    ::waitpid(pids[i], &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) throw std::runtime_error("a client failed");
    out.results.push_back(r);
  }
  out.counters = counters.counters();
  out.sec_after = open_device(emu.device_string())->info().security_event_counter;
  return out;
}

const char* verdict(bool ok) { return ok ? "ok" : "MISSED"; }

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seconds") == 0 && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: bench_sharing [--seconds S]   (per configuration, default 5)\n");
      return 2;
    }
  }
  if (seconds <= 0 || seconds > 8) {
    // 8 s of back-to-back signatures is ~115: more would reach SEC 128 and measure the monitor.
    std::fprintf(stderr, "bench_sharing: --seconds takes 0 < S <= 8\n");
    return 2;
  }
  const fs::path dir = fs::temp_directory_path() / ("bench_sharing." + std::to_string(::getpid()));
  fs::create_directories(dir);
  int rc = 0;
  try {
    std::vector<RunResult> runs;
    for (int n : {1, 2, 4, 8})
      runs.push_back(run(dir, std::to_string(n) + " signer" + (n > 1 ? "s" : ""),
                         std::vector<ClientSpec>(static_cast<std::size_t>(n), ClientSpec{Role::signer}), seconds));
    std::vector<ClientSpec> mixed(6, ClientSpec{Role::signer});
    mixed.push_back({Role::paced_signer, 400});
    mixed.push_back({Role::paced_random, 300});
    runs.push_back(run(dir, "mixed", mixed, seconds));

    std::printf("One emulated Trust M V3 (optiga-emulator --real-sleep, 400 kHz), processes sharing it through "
                "its lock file, %.1f s per configuration\n",
                seconds);
    std::printf("chip's time per signature: %.1f ms (%.1f chip + %.1f bus) -> chip's rate %.2f/s\n",
                runs[0].op_us / 1e3, kChipSignUs / 1e3, (runs[0].op_us - kChipSignUs) / 1e3, 1e6 / runs[0].op_us);
    std::printf("one signature on the idle chip, call to return: %.1f ms (the rest is host, socket and scheduling)\n\n",
                runs[0].idle_sign_us / 1e3);
    std::printf("%-10s %6s %8s %10s  %-22s %-26s %s\n", "run", "sigs", "sigs/s", "SEC after", "share of chip's rate",
                "fewest/most (equal)", "paced: longest wait");
    bool all_ok = true;
    for (const auto& r : runs) {
      std::uint64_t sigs = 0, errors = 0, fewest = ~0ull, most = 0;
      double end_us = 0, paced_wait = 0;
      bool paced = false;
      for (std::size_t i = 0; i < r.results.size(); ++i) {
        const auto& c = r.results[i];
        errors += c.errors;
        end_us = std::max(end_us, c.last_done_us);
        if (r.specs[i].role != Role::paced_random) sigs += c.ops;
        if (r.specs[i].role == Role::signer) {
          fewest = std::min(fewest, c.ops);
          most = std::max(most, c.ops);
        } else {
          paced = true;
          paced_wait = std::max(paced_wait, c.longest_wait_us);
        }
      }
      const double rate = end_us > 0 ? static_cast<double>(sigs) / (end_us / 1e6) : 0;
      const double share = rate * r.op_us / 1e6;
      const bool rate_target = r.name == "2 signers" || r.name == "8 signers";
      const double fair = most ? static_cast<double>(fewest) / static_cast<double>(most) : 0;
      const bool fair_target = r.results.size() > 1;
      char share_text[64], fair_text[64], wait_text[80];
      std::snprintf(share_text, sizeof share_text, "%5.1f %%%s", 100 * share,
                    rate_target ? (share >= 0.95 ? " (>=95 ok)" : " (>=95 MISSED)") : "");
      std::snprintf(fair_text, sizeof fair_text, fair_target ? "%llu/%llu = %3.0f %% (>=80 %s)" : "-",
                    static_cast<unsigned long long>(fewest), static_cast<unsigned long long>(most), 100 * fair,
                    verdict(fair >= 0.8));
      if (paced)
        std::snprintf(wait_text, sizeof wait_text, "%.0f ms = %.2f op times (<=2 %s)", paced_wait / 1e3,
                      paced_wait / r.op_us, verdict(paced_wait <= 2 * r.op_us));
      else
        std::snprintf(wait_text, sizeof wait_text, "-");
      std::printf("%-10s %6llu %8.2f %10u  %-22s %-26s %s%s\n", r.name.c_str(), static_cast<unsigned long long>(sigs),
                  rate, r.sec_after, share_text, fair_text, wait_text,
                  errors ? (" ERRORS: " + std::to_string(errors)).c_str() : "");
      for (std::size_t i = 0; i < r.results.size(); ++i) {
        if (r.specs[i].role == Role::signer) continue;
        const auto& c = r.results[i];
        std::printf("%12s%s every %d ms: %llu ops, longest call %.0f ms, longest wait %.0f ms\n", "",
                    r.specs[i].role == Role::paced_signer ? "signer" : "GetRandom", r.specs[i].period_ms,
                    static_cast<unsigned long long>(c.ops), c.longest_us / 1e3, c.longest_wait_us / 1e3);
      }
      if (rate_target && share < 0.95) all_ok = false;
      if (fair_target && fair < 0.8) all_ok = false;
      if (paced && paced_wait > 2 * r.op_us) all_ok = false;
      if (errors || r.sec_after >= 128) all_ok = false;
    }
    std::printf("\nWhat the chip saw per operation (emulator counters; a switch between processes costs no reset\n"
                "and no OpenApplication when the link state is handed over)\n");
    std::printf("%-10s %8s %8s %10s %10s %8s\n", "run", "ops", "APDUs/op", "bytes/op", "bus us/op", "resets");
    for (const auto& r : runs) {
      std::uint64_t ops = 0;
      for (const auto& c : r.results) ops += c.ops;
      const double d = ops ? static_cast<double>(ops) : 1;
      const auto& c = r.counters;
      std::printf("%-10s %8llu %8.2f %10.1f %10.1f %8llu\n", r.name.c_str(), static_cast<unsigned long long>(ops),
                  static_cast<double>(c.apdus) / d, static_cast<double>(c.bytes_to_chip + c.bytes_from_chip) / d,
                  static_cast<double>(c.bus_time_us) / d, static_cast<unsigned long long>(c.resets));
    }
    std::printf("\n%s\n", all_ok ? "all targets met" : "some targets missed");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_sharing: %s\n", e.what());
    rc = 1;
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return rc;
}
