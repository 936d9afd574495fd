// Wire format between the standalone emulator (SocketServer) and SocketTransport, documented in
// docs/emulator-socket.md. Every request is op(1) | length(2, BE) | data; every response is
// status(1) | length(2, BE) | data. One request is answered before the next is read.
#pragma once

#include <cstdint>
#include <optional>

#include "core/util/bytes.h"

namespace optiga::sim::wire {

namespace op {
inline constexpr std::uint8_t write = 'W';           // data: the write transaction (register address first)
inline constexpr std::uint8_t read = 'R';            // data: count(2, BE); response data: the bytes read
inline constexpr std::uint8_t hardware_reset = 'X';  // pulse the reset line
inline constexpr std::uint8_t counters = 'C';        // response data: SimCounters::to_text()
inline constexpr std::uint8_t reset_counters = 'Z';
inline constexpr std::uint8_t advance = 'T';         // data: microseconds(8, BE) the client slept
inline constexpr std::uint8_t bitrate = 'B';         // data: SCL kHz(2, BE)
inline constexpr std::uint8_t describe = 'D';        // response data: the chip's description, text
}  // namespace op

namespace status {
inline constexpr std::uint8_t ok = 0;
inline constexpr std::uint8_t nack = 1;
inline constexpr std::uint8_t bus_error = 2;  // also: the request was malformed or refused
}  // namespace status

inline constexpr std::size_t max_data = 0xFFFF;

struct Message {
  std::uint8_t code = 0;  // op in a request, status in a response
  Bytes data;
};

// Both return false / nullopt when the peer went away or the message is malformed.
bool send_message(int fd, std::uint8_t code, ByteView data);
std::optional<Message> receive_message(int fd);

}  // namespace optiga::sim::wire
