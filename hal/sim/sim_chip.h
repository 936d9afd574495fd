// The emulated OPTIGA as an I2C target: register file, data link, transport chaining and the
// presentation byte in front of an ApduEngine, with injected faults. It knows nothing about bus
// time: the transport tells it the modelled time of each transaction. Every transaction is an
// address phase (address_ack) followed, if acknowledged, by a data phase (write or read).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>

#include "core/util/bytes.h"
#include "core/proto/i2c_transport.h"
#include "hal/sim/apdu_engine.h"
#include "hal/sim/fault_injector.h"
#include "hal/sim/packet_chain.h"
#include "hal/sim/presentation_gate.h"
#include "hal/sim/register_file.h"
#include "hal/sim/sim_counters.h"
#include "hal/sim/sim_link.h"
#include "hal/sim/sim_options.h"

namespace optiga::sim {

class SimChip {
 public:
  // counters must outlive the chip.
  SimChip(std::unique_ptr<ApduEngine> engine, const SimOptions& options, SimCounters& counters);

  // False: the chip does not acknowledge its address now (starting up after a reset, or an
  // injected NACK burst); the transaction ends there.
  bool address_ack(std::uint64_t now);
  // data[0] is the register address; a write of only the address sets the read pointer.
  void write(ByteView data, std::uint64_t now);
  // Reads from the register the pointer names; bytes past its end (or of an invalid register) are 0xFF.
  void read(std::span<std::uint8_t> out, std::uint64_t now);

  // Reset line / power cycle: link, transport and engine reset; the chip NACKs during start-up.
  void hardware_reset(std::uint64_t now);
  unsigned max_scl_khz() const { return registers_.max_scl_khz(); }

  // Start-up time after a reset during which the address is NACKed (spec §1.5 tSTARTUP).
  std::uint64_t startup_us() const;

 private:
  void on_frame(ByteView frame, std::uint64_t now);
  void on_packet(ByteView packet, std::uint64_t now);
  void on_message(ByteView message, std::uint8_t first_pctr, std::uint64_t now);
  // Queues an answer message as packets and sends the first, readable from ready_at.
  void answer(ByteView message, std::uint8_t presence_bits, std::uint64_t ready_at);
  void send_next_packet(std::uint64_t ready_at);
  Bytes read_data(std::uint64_t now);
  void settle(std::uint64_t now);
  bool presentation_supported() const { return chip::model_has_presentation_layer(options_.model); }
  void reset_chip(std::uint64_t at);

  std::unique_ptr<ApduEngine> engine_;
  SimOptions options_;
  SimCounters& counters_;
  FaultInjector faults_;
  RegisterFile registers_;
  SimLink link_;
  ChainAssembler assembler_;
  PresentationGate presentation_;
  std::vector<Bytes> answer_packets_;  // the current answer, kept whole for a host chain-error retry
  std::size_t next_packet_ = 0;
  std::optional<std::uint64_t> pending_reset_at_;  // injected reset during a command
  std::uint64_t startup_until_ = 0;
};

}  // namespace optiga::sim
