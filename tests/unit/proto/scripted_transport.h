// A transport that plays a fixed list of I2C transactions and fails the test on any deviation:
// used to check the stack byte for byte against datasheet logs.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "core/util/bytes.h"
#include "core/util/clock.h"
#include "core/proto/i2c_transport.h"

namespace optiga::proto::testing {

class ScriptedTransport final : public hal::I2cTransport {
 public:
  struct Step {
    bool is_write;
    Bytes bytes;  // written bytes, or the bytes the read returns
  };

  void expect_write(std::string_view hex) { steps_.push_back({true, from_hex(hex)}); }
  void expect_read(std::string_view hex) { steps_.push_back({false, from_hex(hex)}); }
  void expect_write(Bytes b) { steps_.push_back({true, std::move(b)}); }
  void expect_read(Bytes b) { steps_.push_back({false, std::move(b)}); }
  // A register read: write [reg], then read the value.
  void expect_register(std::uint8_t reg, std::string_view value_hex) {
    steps_.push_back({true, Bytes{reg}});
    expect_read(value_hex);
  }

  void steps_add_register_read(std::uint8_t reg, Bytes value) {
    steps_.push_back({true, Bytes{reg}});
    expect_read(std::move(value));
  }

  hal::I2cStatus write(ByteView data) override {
    const Bytes got(data.begin(), data.end());
    if (next_ >= steps_.size()) {
      ADD_FAILURE() << "unexpected write after the script ended: " << to_hex(got, " ");
      return hal::I2cStatus::ok;
    }
    const Step& step = steps_[next_++];
    EXPECT_TRUE(step.is_write) << "step " << next_ << ": write " << to_hex(got, " ") << " where a read was scripted";
    EXPECT_EQ(to_hex(got, " "), to_hex(step.bytes, " ")) << "step " << next_;
    return hal::I2cStatus::ok;
  }

  hal::I2cStatus read(std::span<std::uint8_t> out) override {
    if (next_ >= steps_.size()) {
      ADD_FAILURE() << "unexpected read of " << out.size() << " bytes after the script ended";
      std::fill(out.begin(), out.end(), 0xFF);
      return hal::I2cStatus::ok;
    }
    const Step& step = steps_[next_++];
    EXPECT_FALSE(step.is_write) << "step " << next_ << ": read where write " << to_hex(step.bytes, " ") << " was scripted";
    EXPECT_EQ(out.size(), step.bytes.size()) << "step " << next_ << ": read length";
    std::fill(out.begin(), out.end(), 0xFF);
    std::copy_n(step.bytes.begin(), std::min(out.size(), step.bytes.size()), out.begin());
    return hal::I2cStatus::ok;
  }

  bool set_bitrate_khz(unsigned khz) override {
    bitrates.push_back(khz);
    return true;
  }
  Clock& clock() override { return clock_; }
  std::string describe() const override { return "scripted"; }

  bool finished() const { return next_ == steps_.size(); }
  std::size_t position() const { return next_; }

  std::vector<unsigned> bitrates;

 private:
  std::vector<Step> steps_;
  std::size_t next_ = 0;
  VirtualClock clock_;
};

}  // namespace optiga::proto::testing
