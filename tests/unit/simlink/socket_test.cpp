// The standalone emulator's socket server with SocketTransport as the client.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <thread>

#include "core/util/error.h"
#include "hal/sim/socket_server.h"
#include "hal/socket_transport.h"
#include "tests/unit/simlink/sim_test_support.h"

namespace optiga::sim::test {
namespace {

class SocketRig {
 public:
  SocketRig() {
    path_ = (std::filesystem::temp_directory_path() / ("optiga-simlink-" + std::to_string(::getpid()) + ".sock")).string();
    server_ = std::make_unique<SocketServer>(path_, std::make_unique<SimTransport>(std::make_unique<FakeEngine>(log), SimOptions{}));
    thread_ = std::thread([this] { server_->run(); });
  }
  ~SocketRig() {
    server_->stop();
    thread_.join();
    server_.reset();
  }
  const std::string& path() const { return path_; }
  std::shared_ptr<EngineLog> log = std::make_shared<EngineLog>();

 private:
  std::string path_;
  std::unique_ptr<SocketServer> server_;
  std::thread thread_;
};

Bytes read_reg(hal::I2cTransport& t, std::uint8_t reg, std::size_t n) {
  EXPECT_EQ(t.write(Bytes{reg}), hal::I2cStatus::ok);
  Bytes out(n);
  EXPECT_EQ(t.read(out), hal::I2cStatus::ok);
  return out;
}

TEST(SocketServer, RoundTripWithModelledLatency) {
  std::string path;
  {
    SocketRig rig;
    path = rig.path();
    rig.log->respond = [](ByteView) { return ApduResult{{0x00, 0x00, 0x00, 0x00}, 20'000}; };
    hal::SocketTransport client(rig.path());
    EXPECT_EQ(client.describe(), "sim+unix:" + rig.path());
    EXPECT_EQ(client.server_description(), "emulated OPTIGA Trust M V3 (sim:memory)");
    EXPECT_EQ(read_reg(client, 0x82, 4), from_hex("08 80 00 00"));

    Bytes w{0x80};
    append(w, from_hex("03 00 15 00 70 00 00 10 D2 76 00 00 04 47 65 6E 41 75 74 68 41 70 70 6C 04 1A"));
    EXPECT_EQ(client.write(w), hal::I2cStatus::ok);
    EXPECT_EQ(read_reg(client, 0x82, 4), from_hex("C8 80 00 05"));
    // Sleeping on the client's clock lets the command finish on the server.
    client.clock().sleep_us(20'000);
    EXPECT_EQ(read_reg(client, 0x82, 4), from_hex("48 80 00 0A"));
    EXPECT_EQ(read_reg(client, 0x80, 10), from_hex("00 00 05 00 00 00 00 00 14 87"));

    // A second client shares the same chip and its counters.
    hal::SocketTransport other(rig.path());
    const SimCounters c = other.counters();
    EXPECT_EQ(c.transactions, 9u);
    EXPECT_EQ(c.frames_to_chip, 1u);
    EXPECT_EQ(c.frames_from_chip, 1u);
    EXPECT_EQ(rig.log->apdus.size(), 1u);
    other.reset_counters();
    EXPECT_EQ(client.counters().transactions, 0u);

    // The client's clock advanced by the modelled bus time plus its sleep.
    EXPECT_GT(client.clock().now_us(), 20'000u);
    EXPECT_TRUE(client.set_bitrate_khz(1000));
    EXPECT_TRUE(client.hardware_reset());
    EXPECT_EQ(rig.log->resets, 1);
    EXPECT_EQ(client.write(Bytes{0x82}), hal::I2cStatus::nack);  // chip starting up
  }
  EXPECT_FALSE(std::filesystem::exists(path));  // the server removed its socket
  EXPECT_THROW(hal::SocketTransport{path}, TransportError);
}

}  // namespace
}  // namespace optiga::sim::test
