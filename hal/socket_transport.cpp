#include "hal/socket_transport.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "core/util/error.h"
#include "hal/sim/bus_timing.h"

namespace optiga::hal {
namespace {

I2cStatus from_wire(std::uint8_t status) {
  switch (status) {
    case sim::wire::status::ok: return I2cStatus::ok;
    case sim::wire::status::nack: return I2cStatus::nack;
    default: return I2cStatus::bus_error;
  }
}

}  // namespace

SocketTransport::SocketTransport(std::string socket_path, unsigned scl_khz)
    : path_(std::move(socket_path)), scl_khz_(scl_khz) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path_.size() >= sizeof addr.sun_path) throw TransportError("emulator socket path too long: " + path_);
  std::memcpy(addr.sun_path, path_.c_str(), path_.size() + 1);
  fd_ = sim::UniqueFd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd_ || ::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    throw TransportError("cannot connect to the emulator at " + path_ + ": " + std::strerror(errno) +
                         " (is optiga-emulator running?)");
  }
}

sim::wire::Message SocketTransport::call(std::uint8_t op, ByteView data) {
  if (!sim::wire::send_message(fd_.get(), op, data)) throw TransportError("emulator connection lost: " + path_);
  auto reply = sim::wire::receive_message(fd_.get());
  if (!reply) throw TransportError("emulator connection lost: " + path_);
  return std::move(*reply);
}

void SocketTransport::sync_clock() {
  const std::uint64_t now = clock_.now_us();
  if (now <= synced_us_) return;
  Bytes delta;
  put_u32(delta, static_cast<std::uint32_t>((now - synced_us_) >> 32));
  put_u32(delta, static_cast<std::uint32_t>(now - synced_us_));
  call(sim::wire::op::advance, delta);
  synced_us_ = now;
}

void SocketTransport::charge_bus(I2cStatus status, std::size_t data_bytes) {
  // The server charged the same amount to the chip's clock, so this is not sent back.
  clock_.sleep_us(sim::bus_time_us(status == I2cStatus::nack ? 0 : data_bytes, scl_khz_));
  synced_us_ = clock_.now_us();
}

I2cStatus SocketTransport::write(ByteView data) {
  sync_clock();
  const I2cStatus status = from_wire(call(sim::wire::op::write, data).code);
  charge_bus(status, data.size());
  return status;
}

I2cStatus SocketTransport::read(std::span<std::uint8_t> out) {
  sync_clock();
  Bytes count;
  put_u16(count, static_cast<std::uint16_t>(out.size()));
  const auto reply = call(sim::wire::op::read, count);
  const I2cStatus status = from_wire(reply.code);
  if (status == I2cStatus::ok) {
    if (reply.data.size() != out.size()) throw TransportError("emulator sent a short read: " + path_);
    std::copy(reply.data.begin(), reply.data.end(), out.begin());
  }
  charge_bus(status, out.size());
  return status;
}

bool SocketTransport::hardware_reset() {
  sync_clock();
  return call(sim::wire::op::hardware_reset).code == sim::wire::status::ok;
}

bool SocketTransport::set_bitrate_khz(unsigned khz) {
  if (khz == 0 || khz > 0xFFFF) return false;
  Bytes value;
  put_u16(value, static_cast<std::uint16_t>(khz));
  if (call(sim::wire::op::bitrate, value).code != sim::wire::status::ok) return false;
  scl_khz_ = khz;
  return true;
}

sim::SimCounters SocketTransport::counters() {
  const auto reply = call(sim::wire::op::counters);
  return sim::SimCounters::from_text(std::string(reply.data.begin(), reply.data.end()));
}

void SocketTransport::reset_counters() { call(sim::wire::op::reset_counters); }

std::string SocketTransport::server_description() {
  const auto reply = call(sim::wire::op::describe);
  return std::string(reply.data.begin(), reply.data.end());
}

}  // namespace optiga::hal
