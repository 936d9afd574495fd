// Runs commands over an ApduChannel and turns a refusal into a ChipError via the error flow of
// spec §5.2 (read 0xF1C2 without the clear bit). At log level trace every exchanged APDU is
// logged here, redacted by apdu_trace.h.
#pragma once

#include <cstdint>

#include "core/chip/ids.h"
#include "core/cmd/apdu.h"
#include "core/proto/apdu_channel.h"
#include "core/util/log.h"

namespace optiga::cmd {

class CommandSession {
 public:
  // Until the model is known (the UID says it), the Trust M policy is used: it only differs for
  // the clear-error bit, which Trust X ignores on commands it does not expect it on.
  explicit CommandSession(proto::ApduChannel& channel, chip::Model model = chip::Model::trust_m_v3)
      : channel_(channel), model_(model) {}

  void set_model(chip::Model model) { model_ = model; }
  chip::Model model() const { return model_; }
  proto::ApduChannel& channel() { return channel_; }
  // Where the APDU trace goes (silent until set).
  void set_logger(Logger logger) { log_ = std::move(logger); }

  // Returns OutData. Throws chip::ChipError (code + command.context) when the chip refuses,
  // ProtocolError on a malformed response or a failed error read.
  Bytes run(const Command& command);
  // Reads and thereby clears the Last Error Code, without the clear bit.
  std::uint8_t read_last_error();

 private:
  // One command/response pair over the channel, traced.
  Bytes exchange(ByteView apdu);

  proto::ApduChannel& channel_;
  chip::Model model_;
  Logger log_;
};

}  // namespace optiga::cmd
