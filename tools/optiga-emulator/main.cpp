// optiga-emulator: serves one emulated OPTIGA chip on a Unix socket until SIGTERM/SIGINT or the
// time-out, then removes the socket. Clients use `sim+unix:PATH` (hal/socket_transport.h).
#include <CLI/CLI.hpp>

#include <signal.h>

#include <cerrno>
#include <ctime>
#include <exception>
#include <iostream>
#include <memory>
#include <thread>

#include "core/chip/ids.h"
#include "hal/sim/chip_engine.h"
#include "hal/sim/fault_spec.h"
#include "hal/sim/sim_transport.h"
#include "hal/sim/socket_server.h"

namespace {

// Waits for SIGTERM/SIGINT (blocked in every thread, so only this wait sees them) or the time-out.
// Signals are taken synchronously so no handler and no global flag is needed.
void wait_for_stop(const sigset_t& signals, double timeout_s) {
  if (timeout_s <= 0) {
    int sig = 0;
    while (sigwait(&signals, &sig) != 0) {
    }
    return;
  }
  timespec timeout{};
  timeout.tv_sec = static_cast<time_t>(timeout_s);
  timeout.tv_nsec = static_cast<long>((timeout_s - static_cast<double>(timeout.tv_sec)) * 1e9);
  while (sigtimedwait(&signals, nullptr, &timeout) < 0 && errno == EINTR) {
  }
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Emulated OPTIGA Trust X / Trust M served over a Unix socket"};
  std::string socket_path;
  std::string state_path;
  std::string model_token = "trust-m-v3";
  std::string faults;
  double timeout_s = 0;
  unsigned scl_khz = 400;
  bool real_sleep = false;
  app.add_option("--socket", socket_path, "Unix socket to listen on")->required();
  app.add_option("--state", state_path, "chip state file (created factory-fresh if missing; memory only if omitted)");
  app.add_option("--model", model_token, "trust-x, trust-m-v1 or trust-m-v3")->capture_default_str();
  app.add_option("--faults", faults, "fault spec, e.g. corrupt=0.01,nack=0.01,seed=7 (see docs/emulator-socket.md)");
  app.add_option("--timeout", timeout_s, "stop after this many seconds (0: run until SIGTERM/SIGINT)");
  app.add_option("--scl", scl_khz, "SCL frequency in kHz the bus time is modelled at")->capture_default_str();
  app.add_flag("--real-sleep", real_sleep, "also sleep for real for modelled bus and wait times");
  app.set_version_flag("--version", "optiga-emulator " OPTIGA_VERSION);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Help and --version exit 0; every bad command line is a usage error (2), as for optigactl.
    return app.exit(e) == 0 ? 0 : 2;
  }

  try {
    optiga::sim::SimOptions opts;
    const auto model = optiga::chip::model_from_token(model_token);
    if (!model) {
      std::cerr << "optiga-emulator: unknown model '" << model_token << "'\n";
      return 2;
    }
    opts.model = *model;
    opts.state_path = state_path;
    opts.timing.scl_khz = scl_khz;
    opts.timing.real_sleep = real_sleep;
    optiga::sim::apply_env_faults(opts.faults);
    if (!faults.empty()) optiga::sim::parse_fault_spec(faults, opts.faults);

    // Block the stop signals before any thread starts so the server thread inherits the mask.
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    auto chip = std::make_unique<optiga::sim::SimTransport>(optiga::sim::make_chip_engine(opts), opts);
    const std::string description = chip->describe();
    optiga::sim::SocketServer server(socket_path, std::move(chip));
    std::cerr << "optiga-emulator: " << description << " listening on " << socket_path << "\n";
    std::thread serving([&server] { server.run(); });
    wait_for_stop(signals, timeout_s);
    server.stop();
    serving.join();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "optiga-emulator: " << e.what() << "\n";
    return 1;
  }
}
