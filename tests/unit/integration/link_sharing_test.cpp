// Two hosts on one emulated chip, the way two processes share a real one: one SimTransport (one
// chip, one link), two protocol stacks and two Devices on one lock file. A switch from one host
// to the other must cost no chip reset, no OpenApplication and no re-read of unchanged objects.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <vector>

#include "core/device/device.h"
#include "core/proto/ifx_i2c_stack.h"
#include "hal/sim/chip_engine.h"
#include "hal/sim/sim_transport.h"
#include "sim_fixture.h"

namespace optiga::testing {
namespace {

// Records the command code of every APDU the emulated chip executes.
class CountingEngine final : public sim::ApduEngine {
 public:
  CountingEngine(std::unique_ptr<sim::ApduEngine> inner, std::vector<std::uint8_t>& log)
      : inner_(std::move(inner)), log_(log) {}
  sim::ApduResult execute(ByteView apdu, std::uint64_t now_us) override {
    log_.push_back(static_cast<std::uint8_t>(apdu[0] & 0x7F));
    return inner_->execute(apdu, now_us);
  }
  void reset() override { inner_->reset(); }

 private:
  std::unique_ptr<sim::ApduEngine> inner_;
  std::vector<std::uint8_t>& log_;
};

// One host's stack on the shared chip, as a channel a Device owns.
class StackChannel final : public proto::ApduChannel {
 public:
  explicit StackChannel(hal::I2cTransport& bus) : stack(bus) {}
  Bytes transceive(ByteView apdu) override { return stack.transceive(apdu); }
  void reset() override { stack.reset(); }
  void resynchronise() override { stack.resynchronise(); }
  std::optional<proto::LinkState> export_link_state() const override { return stack.export_link_state(); }
  void adopt_link_state(const proto::LinkState& s) override { stack.adopt_link_state(s); }
  void set_model(chip::Model m) override { stack.set_model(m); }
  proto::IfxI2cStack stack;
};

struct Host {
  StackChannel* channel = nullptr;
  std::unique_ptr<device::Device> device;
  Host(hal::I2cTransport& bus, const std::filesystem::path& lock) {
    auto c = std::make_unique<StackChannel>(bus);
    channel = c.get();
    device::DeviceOptions o;
    o.lock_file = lock;
    device = std::make_unique<device::Device>(std::move(c), o);
  }
};

class LinkSharing : public ::testing::Test {
 protected:
  LinkSharing() {
    lock = std::filesystem::temp_directory_path() / ("optiga-linkshare-" + std::to_string(::getpid()));
    std::filesystem::remove(lock);
    sim::SimOptions o = sim_options(chip::Model::trust_m_v3);
    chip = std::make_unique<sim::SimTransport>(std::make_unique<CountingEngine>(sim::make_chip_engine(o), log), o);
  }
  ~LinkSharing() override { std::filesystem::remove(lock); }

  // Command codes executed by `f`, and the chip resets it caused.
  template <class F>
  std::vector<std::uint8_t> commands_of(F&& f, std::uint64_t* resets = nullptr) {
    log.clear();
    const auto before = chip->counters().resets;
    f();
    if (resets) *resets = chip->counters().resets - before;
    return log;
  }

  std::filesystem::path lock;
  std::vector<std::uint8_t> log;
  std::unique_ptr<sim::SimTransport> chip;
  const Bytes digest = Bytes(32, 0x5A);
};

constexpr std::uint8_t calc_sign = 0x31, open_app = 0x70;

TEST_F(LinkSharing, SwitchingProcessesCostsNoResetNoOpenApplicationNoReRead) {
  Host a(*chip, lock), b(*chip, lock);
  a.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  a.device->sign_digest(0xE0F1, digest);
  std::uint64_t resets = 99;
  // b's first operation continues a's link: no reset; it reads what it never knew (UID, buffer
  // size, the public key to verify with).
  auto first = commands_of([&] { b.device->sign_digest(0xE0F1, digest); }, &resets);
  EXPECT_EQ(resets, 0u);
  EXPECT_EQ(first.back(), calc_sign);
  const auto epoch_a = a.device->epoch();
  for (int round = 0; round < 5; ++round) {
    for (Host* h : {&a, &b}) {
      const auto cmds = commands_of([&] { h->device->sign_digest(0xE0F1, digest); }, &resets);
      EXPECT_EQ(cmds, std::vector<std::uint8_t>{calc_sign}) << "round " << round;
      EXPECT_EQ(resets, 0u);
    }
  }
  EXPECT_EQ(a.device->epoch(), epoch_a);  // signatures in between change nothing cached
  EXPECT_EQ(a.channel->stack.stats().resets + b.channel->stack.stats().resets, 1u);  // a's cold open only
  EXPECT_EQ(b.channel->stack.stats().resyncs, 0u);
}

TEST_F(LinkSharing, ANewProcessSignsWithUidPublicKeyAndCalcSignOnly) {
  // Cold start on a chip another process opened: no OpenApplication (the record says it is
  // open), no comms-buffer read (a public key fits the first read), no reset.
  Host a(*chip, lock);
  a.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  Host b(*chip, lock);
  std::uint64_t resets = 99;
  auto cmds = commands_of([&] { b.device->sign_digest(0xE0F1, digest); }, &resets);
  EXPECT_EQ(cmds, (std::vector<std::uint8_t>{0x01, 0x01, calc_sign}));  // UID, 0xF1D1, CalcSign
  EXPECT_EQ(resets, 0u);
  // Chunked reads still learn the buffer size when they need it.
  Bytes big(1500, 0x42);
  b.device->write_object(0xF1E0, big, true);
  Host c(*chip, lock);
  EXPECT_EQ(c.device->read_object(0xF1E0), big);
}

TEST_F(LinkSharing, AWriteInvalidatesOnlyWhatItWrote) {
  Host a(*chip, lock), b(*chip, lock);
  a.device->generate_key(0xE0F1, chip::Algorithm::nist_p256, chip::key_usage::sign);
  a.device->generate_key(0xE0F2, chip::Algorithm::nist_p256, chip::key_usage::sign);
  a.device->sign_digest(0xE0F1, digest);
  a.device->sign_digest(0xE0F2, digest);
  const auto since = a.device->epoch();

  b.device->write_object(0xF1D5, Bytes{1, 2, 3}, true);                       // an unrelated object
  b.device->generate_key(0xE0F2, chip::Algorithm::nist_p256, chip::key_usage::sign);  // a's second key

  // a's next operation notices exactly those: 0xE0F1's key stays cached, 0xE0F2's is re-read.
  auto cmds = commands_of([&] { a.device->sign_digest(0xE0F1, digest); });
  EXPECT_EQ(cmds, std::vector<std::uint8_t>{calc_sign});
  EXPECT_GT(a.device->epoch(), since);
  EXPECT_TRUE(a.device->changed_since(0xF1D5, since));
  EXPECT_TRUE(a.device->changed_since(0xE0F2, since));
  EXPECT_TRUE(a.device->changed_since(0xF1D2, since));  // where GenKeyPair stored the public key
  EXPECT_FALSE(a.device->changed_since(0xE0F1, since));
  EXPECT_FALSE(a.device->changed_since(0xF1D1, since));
  const auto changed = a.device->changed_objects(since);
  ASSERT_TRUE(changed.has_value());
  EXPECT_EQ(*changed, (std::vector<std::uint16_t>{0xE0F2, 0xF1D2, 0xF1D5}));

  cmds = commands_of([&] { a.device->sign_digest(0xE0F2, digest); });
  ASSERT_EQ(cmds.size(), 2u);
  EXPECT_EQ(cmds[0], 0x01);  // GetDataObject 0xF1D2: the new public key
  EXPECT_EQ(cmds[1], calc_sign);
}

TEST_F(LinkSharing, AHolderThatFailedMidExchangeIsFollowedByAResyncNotAReset) {
  Host a(*chip, lock), b(*chip, lock);
  a.device->random(8);
  b.device->random(8);
  // a's link state in the record says "not clean", as if a had died mid-exchange.
  {
    device::Device::Operation op(*a.device);
    a.device->random(8);
    a.channel->stack.adopt_link_state([&] {
      auto s = *a.channel->stack.export_link_state();
      s.clean = false;
      s.last_sent = static_cast<std::uint8_t>((s.last_sent + 2) % 4);  // and wrong counters
      return s;
    }());
  }
  std::uint64_t resets = 99;
  auto cmds = commands_of([&] { EXPECT_EQ(b.device->random(8).size(), 8u); }, &resets);
  EXPECT_EQ(resets, 0u);
  EXPECT_EQ(b.channel->stack.stats().resyncs, 1u);
  EXPECT_EQ(cmds.back(), 0x0C);
  // a continues after b without further ado.
  cmds = commands_of([&] { a.device->random(8); }, &resets);
  EXPECT_EQ(cmds, std::vector<std::uint8_t>{0x0C});
  EXPECT_EQ(resets, 0u);
}

TEST_F(LinkSharing, AfterAnUnrecordedPowerCycleTheNextOperationRecoversWithoutAReset) {
  Host a(*chip, lock), b(*chip, lock);
  a.device->random(8);
  b.device->random(8);
  // A power cycle nobody recorded: application closed, frame counters back at 3. The operation
  // that runs into it fails (the chip refuses everything, even the error-code read).
  ASSERT_TRUE(chip->hardware_reset());
  const auto resets_before = chip->counters().resets;
  EXPECT_THROW(a.device->random(8), ProtocolError);
  // The next one, in either process, re-synchronises and re-opens the application: no reset.
  auto cmds = commands_of([&] { EXPECT_EQ(b.device->random(8).size(), 8u); });
  EXPECT_EQ(cmds, (std::vector<std::uint8_t>{open_app, 0x0C}));
  cmds = commands_of([&] { a.device->random(8); });
  EXPECT_EQ(cmds, std::vector<std::uint8_t>{0x0C});
  EXPECT_EQ(chip->counters().resets, resets_before);
}

}  // namespace
}  // namespace optiga::testing
