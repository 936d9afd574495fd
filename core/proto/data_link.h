// Data link layer of IFX I2C (spec §2): sequence numbers, acknowledgement, retransmission and
// re-synchronisation over the register interface. Window size 1: one data frame in flight.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/proto/frame_codec.h"
#include "core/proto/ifx_i2c_constants.h"
#include "core/proto/link_stats.h"
#include "core/proto/register_bus.h"

namespace optiga::proto {

class DataLink {
 public:
  DataLink(RegisterBus& bus, LinkStats& stats) : bus_(bus), stats_(stats) {}

  void set_frame_size(std::size_t frame_size) { frame_size_ = frame_size; }
  std::size_t frame_size() const { return frame_size_; }
  std::size_t max_packet_size() const { return frame_size_ - frame_overhead; }

  // Both sides start at 3 after a chip reset or re-sync.
  void reset_counters();
  // Sends the re-sync control frame and resets the counters.
  void resynchronise();
  // The frame counters, to hand the link to another process (core/proto/link_state.h).
  std::uint8_t last_sent() const { return last_sent_; }
  std::uint8_t last_received() const { return last_received_; }
  void set_counters(std::uint8_t last_sent, std::uint8_t last_received) {
    last_sent_ = last_sent % sequence_modulus;
    last_received_ = last_received % sequence_modulus;
  }

  // Sends one packet and waits until the chip acknowledges it, retransmitting on time-out or
  // NAK and re-synchronising after 3 failed retransmissions. When the chip acknowledges by
  // sending its next data frame (piggy-backed ACK) that frame's packet is returned (already
  // acknowledged by us). Throws ProtocolError past deadline_us or when re-sync does not help.
  // quiet_us: the chip is expected to work this long on the command this packet ends (its
  // expected latency): sleep through it before the first I2C_STATE poll, then poll briskly (1 ms,
  // backing off to the usual 5 ms). Its response usually arrives on the first poll, and
  // acknowledges the packet.
  std::optional<Bytes> send_packet(ByteView packet, std::uint64_t deadline_us, std::uint64_t quiet_us = 0);

  // Waits for the chip's next data frame and acknowledges it. mid_chain: part of a response
  // chain was received, so a silence means our ACK may have been lost and is repeated.
  // brisk: the chip's answer is due (its expected latency has passed): poll at 1 ms, backing off
  // to the usual 5 ms.
  Bytes receive_packet(std::uint64_t deadline_us, bool mid_chain, bool brisk = false);

 private:
  struct RawFrame {
    Bytes bytes;
    bool truncated = false;  // I2C_STATE announced more than a frame; only a frame was drained
  };

  // Polls I2C_STATE every `poll_us` (doubling up to the usual interval after each poll) until a
  // frame is ready or until_us.
  std::optional<RawFrame> wait_for_frame(std::uint64_t until_us, std::uint64_t* poll_us = nullptr);
  // BUSY as seen by the last I2C_STATE poll of wait_for_frame().
  bool chip_was_busy_ = false;
  FrameDecodeResult decode(const RawFrame& raw) const;
  void write_frame(ByteView frame);
  void send_ack();
  void send_nak();
  void count_bad_frame(FrameError error, ByteView raw);
  [[noreturn]] void fail(const std::string& what);

  RegisterBus& bus_;
  LinkStats& stats_;
  std::size_t frame_size_ = default_frame_size;
  std::uint8_t last_sent_ = counters_after_reset;
  std::uint8_t last_received_ = counters_after_reset;
};

}  // namespace optiga::proto
