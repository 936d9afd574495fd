#include "core/cmd/apdu.h"

#include "core/util/error.h"

namespace optiga::cmd {

namespace {
constexpr std::size_t header_size = 4;
constexpr std::uint8_t clear_bit = 0x80;
}  // namespace

Bytes encode_command(const Command& command, bool clear_error) {
  if (command.data.size() > 0xFFFF) throw UsageError(command.context + ": command data too long");
  Bytes out;
  out.reserve(header_size + command.data.size());
  out.push_back(static_cast<std::uint8_t>(command.code | (clear_error ? clear_bit : 0)));
  out.push_back(command.param);
  put_u16(out, static_cast<std::uint16_t>(command.data.size()));
  append(out, command.data);
  return out;
}

bool uses_clear_error_bit(chip::Model model, std::uint8_t code, bool is_error_read) {
  if (is_error_read) return false;
  if (model == chip::Model::trust_x) return code == chip::cmd::open_application;
  return true;
}

std::variant<Response, MalformedResponse> parse_response(ByteView apdu) {
  if (apdu.size() < header_size)
    return MalformedResponse{"response of " + std::to_string(apdu.size()) + " bytes is shorter than its header"};
  const std::uint8_t status = apdu[0];
  if (status != chip::status_ok && status != chip::status_error)
    return MalformedResponse{"unknown response status 0x" + to_hex(apdu.first(1))};
  const std::size_t out_len = get_u16(apdu, 2);
  const std::size_t available = apdu.size() - header_size;
  if (out_len > available)
    return MalformedResponse{"OutLen " + std::to_string(out_len) + " runs past the " +
                             std::to_string(available) + " data bytes received"};
  if (out_len < available)
    return MalformedResponse{std::to_string(available - out_len) + " bytes trail the response data"};
  Response response;
  response.status = status;
  // An error response carries no data (§5.1); whatever a faulty chip sends there is meaningless.
  if (status == chip::status_ok) response.data.assign(apdu.begin() + header_size, apdu.end());
  return response;
}

Response decode_response(ByteView apdu) {
  auto parsed = parse_response(apdu);
  if (auto* bad = std::get_if<MalformedResponse>(&parsed)) throw ProtocolError("malformed response APDU: " + bad->reason);
  return std::get<Response>(std::move(parsed));
}

}  // namespace optiga::cmd
