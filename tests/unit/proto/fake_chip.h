// A small in-test chip peer: register file, enough of the data-link and transport layers to
// acknowledge, chain and answer, and knobs that inject the faults the stack must survive.
// It builds and parses frames itself (only the CRC is shared) so it checks the stack
// independently of the stack's own codec.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/proto/i2c_transport.h"

namespace optiga::proto::testing {

// How the next response data frame the chip offers is garbled (once; a NAK gets the clean one).
enum class Garble {
  bad_crc,
  oversized_len,     // LEN field far larger than the frame
  short_read,        // frame cut short, I2C_STATE announces the short length
  unknown_fctr,      // RFU bit set in FCTR, valid CRC
  huge_state_length, // I2C_STATE announces 0xFFFF bytes
};

class FakeChip final : public hal::I2cTransport {
 public:
  using Handler = std::function<Bytes(const Bytes& apdu)>;

  // Default handler: success with the command's InData echoed as OutData.
  explicit FakeChip(Handler handler = {});

  hal::I2cStatus write(ByteView data) override;
  hal::I2cStatus read(std::span<std::uint8_t> out) override;
  bool hardware_reset() override;
  Clock& clock() override { return clock_; }
  std::string describe() const override { return name; }

  // ---- knobs --------------------------------------------------------------------------------
  std::string name = "fake:chip";
  bool presentation_capable = true;  // I2C_STATE bit 23
  bool has_reset_line = false;
  bool piggyback = false;            // answer with the response frame alone (ACK inside it)
  bool always_nack = false;
  int drop_host_frames = 0;          // next n host data frames vanish (no ACK, not processed)
  int lose_acks = 0;                 // next n control ACKs for host data frames vanish
  int nak_host_frames = 0;           // next n host data frames are NAKed instead of accepted
  std::deque<Garble> garble;         // applied to the next response data frames
  std::size_t max_frame_size = 277;
  int chain_error_replies = 0;       // answer the next n complete commands with a 0x07 packet
  int break_response_chains = 0;     // mark the 2nd packet of the next n response chains "first"

  // ---- observations -------------------------------------------------------------------------
  std::vector<Bytes> host_frames;   // every frame written to DATA, in order
  std::vector<Bytes> apdus;         // complete commands (SCTR stripped)
  std::vector<std::uint8_t> command_pctrs;  // PCTR of each host data packet
  int data_frames_sent = 0;         // response data frames offered (first offers only)
  int resyncs_seen = 0;
  int naks_seen = 0;
  int soft_resets = 0;
  int hardware_resets = 0;
  int chain_errors_seen = 0;

 private:
  void on_frame(const Bytes& frame);
  void on_data_packet(ByteView packet);
  void queue_control(std::uint8_t fctr);
  void queue_ack(std::uint8_t number);
  void offer_next_response_packet();
  void reset_link();
  Bytes state_register() const;

  Handler handler_;
  VirtualClock clock_;
  std::uint8_t selected_ = 0;
  std::size_t frame_size_ = 277;
  struct Offer {
    Bytes frame;
    std::optional<std::uint16_t> announced_length;  // what I2C_STATE claims, if not the truth
  };
  std::deque<Offer> outbox_;
  std::uint8_t tx_last_ = 3;
  std::uint8_t rx_last_ = 3;
  std::optional<Bytes> outstanding_;  // our last data frame until the host acknowledges it
  Bytes command_;
  bool chain_open_ = false;
  bool presence_ = false;
  std::vector<Bytes> response_packets_;
  std::size_t next_response_ = 0;
};

}  // namespace optiga::proto::testing
