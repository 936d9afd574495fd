#include "hal/sim/socket_protocol.h"

#include <sys/socket.h>

#include <cerrno>

namespace optiga::sim::wire {
namespace {

bool send_all(int fd, ByteView data) {
  while (!data.empty()) {
    // MSG_NOSIGNAL: a vanished peer is an error return, not a SIGPIPE that kills the process.
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data = data.subspan(static_cast<std::size_t>(n));
  }
  return true;
}

bool receive_all(int fd, std::uint8_t* out, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::recv(fd, out, size, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    out += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

}  // namespace

bool send_message(int fd, std::uint8_t code, ByteView data) {
  if (data.size() > max_data) return false;
  Bytes message{code};
  put_u16(message, static_cast<std::uint16_t>(data.size()));
  append(message, data);
  return send_all(fd, message);
}

std::optional<Message> receive_message(int fd) {
  std::uint8_t header[3];
  if (!receive_all(fd, header, sizeof header)) return std::nullopt;
  Message m;
  m.code = header[0];
  m.data.resize(get_u16(header, 1));
  if (!m.data.empty() && !receive_all(fd, m.data.data(), m.data.size())) return std::nullopt;
  return m;
}

}  // namespace optiga::sim::wire
