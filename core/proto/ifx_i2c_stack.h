// The IFX I2C host protocol stack (spec §1–§3 plus the Trust M plain presentation record):
// turns command APDUs into frames on one hal::I2cTransport and reassembles the responses.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/chip/ids.h"
#include "core/proto/apdu_channel.h"
#include "core/proto/data_link.h"
#include "core/proto/ifx_i2c_constants.h"
#include "core/proto/link_stats.h"
#include "core/proto/presentation_record.h"
#include "core/proto/register_bus.h"
#include "core/proto/i2c_transport.h"

namespace optiga::proto {

struct IfxI2cOptions {
  std::size_t frame_size = default_frame_size;  // DATA_REG_LEN requested (16..65535)
  unsigned scl_khz = 400;                       // wanted bus speed; > 400 switches the chip to Fm+
  PresentationMode presentation = PresentationMode::automatic;
  std::uint64_t apdu_deadline_us = timing::trust_m_deadline_us;  // per transceive(), clock time
  std::uint64_t startup_us = timing::startup_us;                 // wait after a reset

  // Defaults matching the Infineon host library of the model (Trust X: 6 s, no presentation layer).
  static IfxI2cOptions for_model(chip::Model model);
};

class IfxI2cStack final : public ApduChannel {
 public:
  // The transport must outlive the stack. Nothing is sent before open() or the first transceive().
  explicit IfxI2cStack(hal::I2cTransport& transport, IfxI2cOptions options = {});

  IfxI2cStack(const IfxI2cStack&) = delete;
  IfxI2cStack& operator=(const IfxI2cStack&) = delete;

  // Resets the chip and negotiates speed and frame size. Throws TransportError when no chip
  // answers, ProtocolError when negotiation fails, UsageError for impossible options.
  void open();
  // Opens first if needed. Throws ProtocolError when the link cannot recover.
  Bytes transceive(ByteView apdu) override;
  // Same as open(): reset, negotiate, counters to 3. The chip's application is closed afterwards.
  void reset() override;
  // Sends the re-sync frame (spec §2.5): counters to 3 on both sides, the application stays open.
  // Opens (with a reset) when the link was never opened.
  void resynchronise() override;
  // The link as this process leaves it; nullopt before open().
  std::optional<LinkState> export_link_state() const override;
  // Continues the link another process left: no reset, no negotiation. A state that is not clean
  // makes the next exchange start with a re-sync.
  void adopt_link_state(const LinkState& state) override;

  // The chip model, once the host knows it (polling follows the command's expected latency).
  void set_model(chip::Model model) override { model_ = model; }

  bool is_open() const { return open_; }
  std::size_t frame_size() const { return link_.frame_size(); }
  bool presentation_layer() const { return presentation_; }
  const LinkStats& stats() const { return stats_; }
  void clear_stats() { stats_ = {}; }
  const IfxI2cOptions& options() const { return options_; }

 private:
  // expected_us: the command's expected latency (core/proto/command_latency.h), 0 if unknown.
  Bytes exchange(const std::vector<Bytes>& packets, std::uint64_t deadline_us, std::uint64_t expected_us);
  Bytes transceive_open(ByteView apdu);

  hal::I2cTransport& transport_;
  IfxI2cOptions options_;
  LinkStats stats_;
  RegisterBus bus_;
  DataLink link_;
  bool open_ = false;
  bool presentation_ = false;
  std::optional<chip::Model> model_;
  // Set when an exchange failed half-way: the next one starts with a re-sync so both sides agree.
  bool needs_resync_ = false;
};

}  // namespace optiga::proto
