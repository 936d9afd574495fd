#include <gtest/gtest.h>

#include "core/util/error.h"
#include "fake_usb_bus.h"

namespace optiga::hal::ft260 {
namespace {

using test::FakeUsbBus;
Ft260Candidate bridge(int address, std::optional<std::string> serial, bool denied = false) {
  return FakeUsbBus::bridge(address, std::move(serial), denied);
}

std::string failure(FakeUsbBus& bus, const std::string& serial) {
  try {
    open_ft260_bridge(bus, serial);
  } catch (const TransportError& e) {
    return e.what();
  }
  return "";
}

TEST(BridgeSelection, FirstBridgeWhenNoSerial) {
  FakeUsbBus bus;
  bus.candidates = {bridge(5, "AAA"), bridge(6, "BBB")};
  auto device = open_ft260_bridge(bus, "");
  EXPECT_EQ(device->describe(), "FT260 AAA (emulated)");
  EXPECT_EQ(bus.opened, (std::vector<std::string>{"bus 1 device 5"}));
}

TEST(BridgeSelection, BySerial) {
  FakeUsbBus bus;
  bus.candidates = {bridge(5, "AAA"), bridge(6, "BBB")};
  auto device = open_ft260_bridge(bus, "BBB");
  EXPECT_EQ(device->describe(), "FT260 BBB (emulated)");
  EXPECT_EQ(bus.opened, (std::vector<std::string>{"bus 1 device 6"}));
}

TEST(BridgeSelection, NoBridge) {
  FakeUsbBus bus;
  EXPECT_EQ(failure(bus, ""),
            "no FT260 (0403:6030) found: check the USB cable, and that the udev rule 60-optiga.rules grants access "
            "(lsusb should list 0403:6030)");
}

TEST(BridgeSelection, PermissionDeniedGivesUdevHint) {
  FakeUsbBus bus;
  bus.candidates = {bridge(5, std::nullopt, true)};
  const auto message = failure(bus, "");
  EXPECT_NE(message.find("permission denied opening the FT260 at bus 1 device 5"), std::string::npos) << message;
  EXPECT_NE(message.find("60-optiga.rules"), std::string::npos) << message;
  EXPECT_NE(message.find("group plugdev"), std::string::npos) << message;
  EXPECT_TRUE(bus.opened.empty());
}

TEST(BridgeSelection, SerialNotFoundListsSerials) {
  FakeUsbBus bus;
  bus.candidates = {bridge(5, "AAA"), bridge(6, "BBB")};
  EXPECT_EQ(failure(bus, "CCC"),
            "no FT260 with serial number 'CCC'; found: AAA, BBB (write ft260:SERIAL with one of these, or ft260: for "
            "the first)");
}

TEST(BridgeSelection, UnreadableSerialIsAPermissionProblem) {
  FakeUsbBus bus;
  bus.candidates = {bridge(5, "AAA"), bridge(7, std::nullopt, true)};
  const auto message = failure(bus, "CCC");
  EXPECT_NE(message.find("cannot read the serial number of the FT260 at bus 1 device 7"), std::string::npos) << message;
}

}  // namespace
}  // namespace optiga::hal::ft260
