// optiga_sim_counters SOCKET [--reset]: prints the counters of the emulator serving SOCKET
// (tools/optiga-emulator) as "name value" lines, or zeroes them. Shell tests take deltas of
// `apdus` and the bus counters around a flow to prove what it sent to the chip.
#include <cstring>
#include <exception>
#include <iostream>

#include "hal/socket_transport.h"

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || (argc == 3 && std::strcmp(argv[2], "--reset") != 0)) {
    std::cerr << "usage: optiga_sim_counters SOCKET [--reset]\n";
    return 2;
  }
  try {
    // The counters request touches no chip register, so asking does not change what it counts.
    optiga::hal::SocketTransport transport(argv[1]);
    if (argc == 3) transport.reset_counters();
    else std::cout << transport.counters().to_text();
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "optiga_sim_counters: " << e.what() << "\n";
    return 1;
  }
}
