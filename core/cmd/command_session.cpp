#include "core/cmd/command_session.h"

#include "core/chip/chip_error.h"
#include "core/cmd/apdu_trace.h"
#include "core/cmd/commands.h"
#include "core/util/error.h"

namespace optiga::cmd {

Bytes CommandSession::run(const Command& command) {
  const bool clear = uses_clear_error_bit(model_, command.code, false);
  Response response = decode_response(exchange(encode_command(command, clear)));
  if (response.ok()) return std::move(response.data);
  throw chip::ChipError(read_last_error(), command.context);
}

Bytes CommandSession::exchange(ByteView apdu) {
  const bool tracing = log_.enabled(LogLevel::trace);
  if (tracing) log_.trace("apdu > " + trace_command(apdu));
  Bytes response = channel_.transceive(apdu);
  if (tracing) log_.trace("apdu < " + trace_response(apdu, response));
  return response;
}

std::uint8_t CommandSession::read_last_error() {
  const Command read = get_last_error(model_);
  const Response response = decode_response(exchange(encode_command(read, false)));
  // A refused error read leaves nothing to report but a broken link.
  if (!response.ok()) throw ProtocolError("the chip refused to read its last error code (0xF1C2)");
  if (response.data.size() != 1)
    throw ProtocolError("last error code (0xF1C2) read returned " + std::to_string(response.data.size()) + " bytes");
  return response.data[0];
}

}  // namespace optiga::cmd
