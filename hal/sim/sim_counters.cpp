#include "hal/sim/sim_counters.h"

#include <array>
#include <charconv>
#include <utility>

namespace optiga::sim {
namespace {

using Field = std::pair<std::string_view, std::uint64_t SimCounters::*>;

// One table drives both directions so the text form cannot drift from the struct.
constexpr std::array<Field, 22> fields{{
    {"transactions", &SimCounters::transactions},
    {"bytes_to_chip", &SimCounters::bytes_to_chip},
    {"bytes_from_chip", &SimCounters::bytes_from_chip},
    {"nacks", &SimCounters::nacks},
    {"bus_time_us", &SimCounters::bus_time_us},
    {"frames_to_chip", &SimCounters::frames_to_chip},
    {"frames_from_chip", &SimCounters::frames_from_chip},
    {"crc_errors", &SimCounters::crc_errors},
    {"naks_sent", &SimCounters::naks_sent},
    {"resyncs", &SimCounters::resyncs},
    {"retransmissions", &SimCounters::retransmissions},
    {"chain_errors", &SimCounters::chain_errors},
    {"apdus", &SimCounters::apdus},
    {"resets", &SimCounters::resets},
    {"fault_nack_bursts", &SimCounters::fault_nack_bursts},
    {"fault_corrupt_to_chip", &SimCounters::fault_corrupt_to_chip},
    {"fault_corrupt_from_chip", &SimCounters::fault_corrupt_from_chip},
    {"fault_drop_to_chip", &SimCounters::fault_drop_to_chip},
    {"fault_drop_from_chip", &SimCounters::fault_drop_from_chip},
    {"fault_busy", &SimCounters::fault_busy},
    {"fault_reset_mid_command", &SimCounters::fault_reset_mid_command},
    {"fault_power_loss", &SimCounters::fault_power_loss},
}};

}  // namespace

std::string SimCounters::to_text() const {
  std::string out;
  for (const auto& [name, member] : fields) {
    out.append(name).append(" ").append(std::to_string(this->*member)).append("\n");
  }
  return out;
}

SimCounters SimCounters::from_text(std::string_view text) {
  SimCounters c;
  while (!text.empty()) {
    const auto eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text = eol == std::string_view::npos ? std::string_view{} : text.substr(eol + 1);
    const auto space = line.find(' ');
    if (space == std::string_view::npos) continue;
    const auto name = line.substr(0, space);
    const auto digits = line.substr(space + 1);
    for (const auto& [field_name, member] : fields) {
      if (field_name != name) continue;
      std::uint64_t value = 0;
      std::from_chars(digits.data(), digits.data() + digits.size(), value);
      c.*member = value;
    }
  }
  return c;
}

}  // namespace optiga::sim
