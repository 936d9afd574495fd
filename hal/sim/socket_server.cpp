#include "hal/sim/socket_server.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/util/error.h"
#include "hal/sim/socket_protocol.h"

namespace optiga::sim {
namespace {

std::uint8_t wire_status(hal::I2cStatus s) {
  switch (s) {
    case hal::I2cStatus::ok: return wire::status::ok;
    case hal::I2cStatus::nack: return wire::status::nack;
    case hal::I2cStatus::bus_error: break;
  }
  return wire::status::bus_error;
}

[[noreturn]] void fail(const std::string& what) {
  throw TransportError("emulator socket: " + what + ": " + std::strerror(errno));
}

}  // namespace

SocketServer::SocketServer(std::string path, std::unique_ptr<SimTransport> chip)
    : path_(std::move(path)), chip_(std::move(chip)) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof addr.sun_path) throw TransportError("emulator socket: path too long: " + path_);
  std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
  listener_ = UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!listener_) fail("socket");
  ::unlink(path_.c_str());
  if (::bind(listener_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) fail("bind " + path_);
  if (::listen(listener_.get(), 16) != 0) fail("listen");
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC | O_NONBLOCK) != 0) fail("pipe");
  wake_read_ = UniqueFd(pipe_fds[0]);
  wake_write_ = UniqueFd(pipe_fds[1]);
}

SocketServer::~SocketServer() {
  listener_.reset();
  ::unlink(path_.c_str());
}

void SocketServer::stop() {
  const char byte = 1;
  [[maybe_unused]] const auto n = ::write(wake_write_.get(), &byte, 1);
}

void SocketServer::run() {
  std::vector<UniqueFd> clients;
  for (;;) {
    std::vector<pollfd> fds{{wake_read_.get(), POLLIN, 0}, {listener_.get(), POLLIN, 0}};
    for (const auto& c : clients) fds.push_back({c.get(), POLLIN, 0});
    if (::poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      fail("poll");
    }
    if (fds[0].revents != 0) return;
    if (fds[1].revents & POLLIN) {
      UniqueFd client(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (client) clients.push_back(std::move(client));
    }
    // Walk backwards so erasing keeps the remaining indices valid.
    for (std::size_t i = fds.size(); i-- > 2;) {
      if (fds[i].revents == 0) continue;
      if (!serve(fds[i].fd)) clients.erase(clients.begin() + static_cast<std::ptrdiff_t>(i - 2));
    }
  }
}

bool SocketServer::serve(int client) {
  const auto request = wire::receive_message(client);
  if (!request) return false;
  const Bytes& d = request->data;
  std::uint8_t status = wire::status::ok;
  Bytes reply;
  switch (request->code) {
    case wire::op::write:
      status = wire_status(chip_->write(d));
      break;
    case wire::op::read: {
      if (d.size() != 2) {
        status = wire::status::bus_error;
        break;
      }
      Bytes out(get_u16(d, 0));
      status = wire_status(chip_->read(out));
      if (status == wire::status::ok) reply = std::move(out);
      break;
    }
    case wire::op::hardware_reset:
      chip_->hardware_reset();
      break;
    case wire::op::counters: {
      const std::string text = chip_->counters().to_text();
      reply.assign(text.begin(), text.end());
      break;
    }
    case wire::op::reset_counters:
      chip_->reset_counters();
      break;
    case wire::op::advance:
      if (d.size() == 8) {
        chip_->clock().sleep_us((std::uint64_t{get_u32(d, 0)} << 32) | get_u32(d, 4));
      } else {
        status = wire::status::bus_error;
      }
      break;
    case wire::op::bitrate:
      if (d.size() != 2 || !chip_->set_bitrate_khz(get_u16(d, 0))) status = wire::status::bus_error;
      break;
    case wire::op::describe: {
      const std::string text = chip_->describe();
      reply.assign(text.begin(), text.end());
      break;
    }
    default:
      status = wire::status::bus_error;
      break;
  }
  return wire::send_message(client, status, reply);
}

}  // namespace optiga::sim
