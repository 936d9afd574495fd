#include "core/proto/ifx_i2c_stack.h"

#include <optional>
#include <string>

#include "core/proto/command_latency.h"
#include "core/proto/link_startup.h"
#include "core/proto/packet_chain.h"
#include "core/util/error.h"

namespace optiga::proto {

IfxI2cOptions IfxI2cOptions::for_model(chip::Model model) {
  IfxI2cOptions o;
  if (!chip::model_has_presentation_layer(model)) {
    o.presentation = PresentationMode::off;
    o.apdu_deadline_us = timing::trust_x_deadline_us;
  }
  return o;
}

IfxI2cStack::IfxI2cStack(hal::I2cTransport& transport, IfxI2cOptions options)
    : transport_(transport), options_(options), bus_(transport, stats_), link_(bus_, stats_) {}

void IfxI2cStack::open() {
  if (options_.frame_size < min_frame_size || options_.frame_size > 0xFFFF) {
    throw UsageError("IFX I2C frame size must be 16..65535, not " + std::to_string(options_.frame_size));
  }
  if (options_.scl_khz == 0) throw UsageError("IFX I2C bus speed must not be 0 kHz");
  open_ = false;
  const ResetKind reset = reset_chip(bus_, options_.startup_us);
  if (reset != ResetKind::none) ++stats_.resets;
  link_.set_frame_size(negotiate_link(bus_, options_.frame_size, options_.scl_khz));
  const I2cState state = bus_.read_state();
  presentation_ = options_.presentation == PresentationMode::on ||
                  (options_.presentation == PresentationMode::automatic && state.presentation_layer);
  // Without any reset the chip's frame counters are unknown: re-sync sets both sides to 3.
  if (reset == ResetKind::none) {
    link_.resynchronise();
  } else {
    link_.reset_counters();
  }
  needs_resync_ = false;
  open_ = true;
}

void IfxI2cStack::reset() { open(); }

void IfxI2cStack::resynchronise() {
  if (!open_) {
    open();
    return;
  }
  link_.resynchronise();
  needs_resync_ = false;
}

std::optional<LinkState> IfxI2cStack::export_link_state() const {
  if (!open_) return std::nullopt;
  LinkState s;
  s.frame_size = static_cast<std::uint16_t>(link_.frame_size());
  s.scl_khz = static_cast<std::uint16_t>(options_.scl_khz);
  s.last_sent = link_.last_sent();
  s.last_received = link_.last_received();
  s.presentation = presentation_;
  s.clean = !needs_resync_;
  return s;
}

void IfxI2cStack::adopt_link_state(const LinkState& state) {
  if (state.frame_size < min_frame_size) throw ProtocolError("shared IFX I2C link state names an impossible frame size");
  if (state.scl_khz) transport_.set_bitrate_khz(state.scl_khz);
  link_.set_frame_size(state.frame_size);
  link_.set_counters(state.last_sent, state.last_received);
  presentation_ = state.presentation;
  needs_resync_ = !state.clean;
  open_ = true;
}

Bytes IfxI2cStack::transceive(ByteView apdu) {
  if (apdu.empty()) throw UsageError("empty command APDU");
  if (!open_) open();
  try {
    Bytes response = transceive_open(apdu);
    ++stats_.apdus;
    return response;
  } catch (const ProtocolError&) {
    needs_resync_ = true;
    throw;
  }
}

Bytes IfxI2cStack::transceive_open(ByteView apdu) {
  const std::uint64_t deadline = transport_.clock().now_us() + options_.apdu_deadline_us;
  if (needs_resync_) {
    link_.resynchronise();
    needs_resync_ = false;
  }
  // Hosts with the presentation layer flag every packet and always send an SCTR (spec §3.3).
  const Bytes message = presentation_ ? wrap_plain_record(apdu) : Bytes(apdu.begin(), apdu.end());
  const std::uint8_t flags = presentation_ ? pctr::presence : 0;
  const std::uint64_t expected = model_ ? expected_latency_us(*model_, apdu) : 0;
  const Bytes response = exchange(split_into_packets(message, link_.max_packet_size(), flags), deadline, expected);
  return presentation_ ? unwrap_plain_record(response) : response;
}

Bytes IfxI2cStack::exchange(const std::vector<Bytes>& packets, std::uint64_t deadline_us, std::uint64_t expected_us) {
  bool command_resent = false;
  bool resend_requested = false;
  for (;;) {
    // Send the command chain; the chip may acknowledge the last packet with its first response
    // packet, or answer a broken chain early with 0x07.
    std::optional<Bytes> early;
    std::size_t sent = 0;
    for (const Bytes& packet : packets) {
      // The chip starts working once it has the last frame; its answer is not expected earlier.
      const bool last = sent + 1 == packets.size();
      early = link_.send_packet(packet, deadline_us, last ? expected_us : 0);
      ++sent;
      if (early) break;
    }
    bool brisk = expected_us != 0 && sent == packets.size();

    ChainAssembler assembler(link_.max_packet_size());
    bool awaiting_restart = false;  // after our 0x07: drop the rest of the broken chain
    for (;;) {
      const Bytes packet =
          early ? std::move(*early) : link_.receive_packet(deadline_us, assembler.in_progress(), brisk);
      early.reset();
      brisk = false;  // only the first response packet waits for the chip
      if (awaiting_restart) {
        const std::uint8_t chain = packet.empty() ? pctr::middle : (packet[0] & pctr::chain_mask);
        if (chain == pctr::middle || chain == pctr::last) continue;
        awaiting_restart = false;
      }
      const auto status = assembler.add(packet);
      if (status == ChainAssembler::Status::peer_chain_error) {
        ++stats_.chain_errors_received;
        if (command_resent) throw ProtocolError("OPTIGA rejected the command chain twice (0x07)");
        command_resent = true;
        break;  // resend the whole chain once (spec §3.2)
      }
      if (sent < packets.size()) throw ProtocolError("OPTIGA answered before the command chain was complete");
      if (status == ChainAssembler::Status::incomplete) continue;
      if (status == ChainAssembler::Status::malformed) {
        ++stats_.chain_errors_sent;
        if (resend_requested) throw ProtocolError("OPTIGA sent a malformed response chain twice");
        resend_requested = true;
        awaiting_restart = true;
        const std::uint8_t chain_error[1] = {pctr::chain_error};
        early = link_.send_packet(chain_error, deadline_us);
        continue;
      }
      const std::uint8_t first_pctr[1] = {assembler.first_pctr()};
      const bool flagged = (first_pctr[0] & pctr::presence) != 0;
      if (flagged != presentation_) {
        throw ProtocolError(std::string("OPTIGA response ") + (flagged ? "has" : "lacks") +
                            " the presentation-layer flag (PCTR 0x" + to_hex(first_pctr) + ")");
      }
      return assembler.message();
    }
  }
}

}  // namespace optiga::proto
