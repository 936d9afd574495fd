// Builds a Device over a FakeChip and keeps a non-owning view of the fake for assertions.
#pragma once

#include <memory>

#include "core/device/device.h"
#include "fake_chip.h"

namespace optiga::test {

struct Rig {
  FakeChip* chip = nullptr;  // owned by device
  std::unique_ptr<device::Device> device;

  explicit Rig(device::DeviceOptions options = {}) {
    auto fake = std::make_unique<FakeChip>();
    chip = fake.get();
    device = std::make_unique<device::Device>(std::move(fake), std::move(options));
  }
  // APDUs with this command code (clear bit ignored) sent since the fake was created.
  std::vector<Bytes> sent_with(std::uint8_t cmd) const {
    std::vector<Bytes> out;
    for (const auto& a : chip->sent)
      if ((a[0] & 0x7F) == cmd) out.push_back(a);
    return out;
  }
};

}  // namespace optiga::test
