// A chunked write that fails half-way says exactly what the object holds afterwards.
#include <gtest/gtest.h>

#include "core/chip/chip_error.h"
#include "sim_fixture.h"

namespace optiga::testing {
namespace {

// Forwards to the real stack, but the chip "refuses" the second SetDataObject: the response is
// an error and the following error read reports access conditions (0x07).
class RefuseSecondWrite final : public proto::ApduChannel {
 public:
  explicit RefuseSecondWrite(proto::ApduChannel& inner) : inner_(inner) {}
  Bytes transceive(ByteView apdu) override {
    const std::uint8_t cmd = apdu[0] & 0x7F;
    if (cmd == chip::cmd::set_data_object && apdu[1] != chip::param::write_metadata && ++writes_ == 2) {
      refused_ = true;
      return Bytes{0xFF, 0x00, 0x00, 0x00};
    }
    if (refused_ && cmd == chip::cmd::get_data_object && apdu.size() >= 6 && apdu[4] == 0xF1 && apdu[5] == 0xC2) {
      refused_ = false;
      return Bytes{0x00, 0x00, 0x00, 0x01, 0x07};
    }
    return inner_.transceive(apdu);
  }
  void reset() override { inner_.reset(); }

 private:
  proto::ApduChannel& inner_;
  int writes_ = 0;
  bool refused_ = false;
};

TEST(PartialWrite, FailureAfterTheFirstChunkNamesWhatWasWritten) {
  sim::SimOptions opts = sim_options(chip::Model::trust_m_v3);
  auto transport = std::make_unique<sim::SimTransport>(sim::make_chip_engine(opts), opts);
  device::TransportChannel real(std::move(transport));
  device::Device dev(std::make_unique<RefuseSecondWrite>(real));
  dev.open();
  Bytes data(1728, 0x5A);
  try {
    dev.write_object(0xE0E1, data, true);
    FAIL() << "the refused second chunk was not reported";
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x07);
    EXPECT_NE(std::string(e.what()).find("only the first 1549 of 1728 bytes were written"), std::string::npos)
        << e.what();
  }
  // And that is indeed what the object holds.
  EXPECT_EQ(dev.read_object(0xE0E1), Bytes(1549, 0x5A));
}

}  // namespace
}  // namespace optiga::testing
