#include "core/config/device_spec.h"

#include <gtest/gtest.h>

#include "core/util/error.h"

namespace optiga::config {
namespace {

// Runs the parser and returns the message it rejects the text with ("" if it accepts it).
std::string rejection(std::string_view text) {
  try {
    parse_device_string(text);
  } catch (const UsageError& e) {
    return e.what();
  }
  return "";
}

TEST(DeviceSpec, I2cPathWithAddressAndReset) {
  const auto spec = parse_device_string("i2c:/dev/i2c-1?addr=0x31&reset=gpiochip0:17");
  EXPECT_EQ(spec.kind, DeviceKind::i2c);
  EXPECT_EQ(spec.path, "/dev/i2c-1");
  EXPECT_EQ(spec.bus, 1);
  EXPECT_EQ(spec.address, 0x31);
  ASSERT_TRUE(spec.reset.has_value());
  EXPECT_EQ(*spec.reset, (GpioLine{"gpiochip0", 17}));
  EXPECT_EQ(spec.options.at("reset"), "gpiochip0:17");
}

TEST(DeviceSpec, I2cBusNumberShorthandDefaultsToAddress0x30) {
  const auto spec = parse_device_string("i2c:7");
  EXPECT_EQ(spec.path, "/dev/i2c-7");
  EXPECT_EQ(spec.bus, 7);
  EXPECT_EQ(spec.address, 0x30);
  EXPECT_FALSE(spec.reset.has_value());
}

TEST(DeviceSpec, I2cOtherNodeHasNoBusNumber) {
  const auto spec = parse_device_string("i2c:/dev/optiga-bus");
  EXPECT_EQ(spec.path, "/dev/optiga-bus");
  EXPECT_EQ(spec.bus, -1);
}

TEST(DeviceSpec, Ft260FirstBridge) {
  const auto spec = parse_device_string("ft260:");
  EXPECT_EQ(spec.kind, DeviceKind::ft260);
  EXPECT_EQ(spec.serial, "");
  EXPECT_EQ(spec.address, 0x30);
  EXPECT_FALSE(spec.khz.has_value());
}

TEST(DeviceSpec, Ft260BySerialWithClock) {
  const auto spec = parse_device_string("ft260:FT4XK1PA?addr=0x30&khz=400");
  EXPECT_EQ(spec.serial, "FT4XK1PA");
  EXPECT_EQ(spec.khz, 400u);
  EXPECT_EQ(spec.address, 0x30);
}

TEST(DeviceSpec, SimWithDecodedOptions) {
  const auto spec = parse_device_string("sim:/tmp/chip.state?model=trust-m-v3&scl=1000&timing=off&faults=corrupt%3D0.01");
  EXPECT_EQ(spec.kind, DeviceKind::sim);
  EXPECT_EQ(spec.path, "/tmp/chip.state");
  EXPECT_EQ(spec.options.at("model"), "trust-m-v3");
  EXPECT_EQ(spec.options.at("scl"), "1000");
  EXPECT_EQ(spec.options.at("timing"), "off");
  EXPECT_EQ(spec.options.at("faults"), "corrupt=0.01");
}

TEST(DeviceSpec, SimInMemory) {
  const auto spec = parse_device_string("sim:");
  EXPECT_EQ(spec.kind, DeviceKind::sim);
  EXPECT_TRUE(spec.path.empty());
  EXPECT_TRUE(spec.options.empty());
}

TEST(DeviceSpec, SimOverUnixSocket) {
  const auto spec = parse_device_string("sim+unix:/run/optiga/sim.sock");
  EXPECT_EQ(spec.kind, DeviceKind::sim_unix);
  EXPECT_EQ(spec.path, "/run/optiga/sim.sock");
  EXPECT_EQ(to_string(spec.kind), "sim+unix");
}

TEST(DeviceSpec, KeepsOriginalText) {
  EXPECT_EQ(parse_device_string("i2c:1?addr=0x30").text, "i2c:1?addr=0x30");
}

TEST(DeviceSpecErrors, UnknownKind) {
  EXPECT_EQ(rejection("i3c:/dev/i3c-0"), "unknown device kind 'i3c'; use i2c:, ft260:, sim: or sim+unix:");
}

TEST(DeviceSpecErrors, AddressNotSevenBit) {
  EXPECT_EQ(rejection("i2c:1?addr=0x90"),
            "address 0x90 is not a 7-bit I2C address: use 0x08…0x77 (the OPTIGA default is 0x30)");
}

TEST(DeviceSpecErrors, ReservedAddress) {
  EXPECT_NE(rejection("ft260:?addr=0x03").find("address 0x03 is reserved"), std::string::npos);
}

TEST(DeviceSpecErrors, AddressNotANumber) {
  EXPECT_NE(rejection("i2c:1?addr=thirty").find("address 'thirty' is not a number"), std::string::npos);
}

TEST(DeviceSpecErrors, MissingKindSuggestsPrefix) {
  EXPECT_EQ(rejection("/dev/i2c-1"), "device string '/dev/i2c-1' has no kind: write i2c:/dev/i2c-1 (or ft260:, sim:, sim+unix:)");
}

TEST(DeviceSpecErrors, EmptyString) { EXPECT_NE(rejection("").find("empty device string"), std::string::npos); }

TEST(DeviceSpecErrors, I2cWithoutBus) {
  EXPECT_EQ(rejection("i2c:"), "'i2c:' names no I2C bus: write i2c:/dev/i2c-1 or i2c:1");
}

TEST(DeviceSpecErrors, I2cRelativeName) {
  EXPECT_NE(rejection("i2c:bus1").find("neither a device node nor a bus number"), std::string::npos);
}

TEST(DeviceSpecErrors, UnknownOptionListsKnownOnes) {
  EXPECT_EQ(rejection("i2c:1?adr=0x30"), "unknown option 'adr' for i2c: devices; known options: addr, reset");
}

TEST(DeviceSpecErrors, OptionWithoutValue) {
  EXPECT_NE(rejection("ft260:?khz").find("option 'khz' has no value"), std::string::npos);
}

TEST(DeviceSpecErrors, RepeatedOption) {
  EXPECT_NE(rejection("i2c:1?addr=0x30&addr=0x31").find("option 'addr' is given twice"), std::string::npos);
}

TEST(DeviceSpecErrors, BadEscape) {
  EXPECT_NE(rejection("sim:?faults=corrupt%3").find("bad escape '%3'"), std::string::npos);
}

TEST(DeviceSpecErrors, BadResetLine) {
  EXPECT_NE(rejection("i2c:1?reset=17").find("names no GPIO chip"), std::string::npos);
  EXPECT_NE(rejection("i2c:1?reset=gpiochip0:x").find("has no line number"), std::string::npos);
}

TEST(DeviceSpecErrors, Ft260ClockOutOfRange) {
  EXPECT_NE(rejection("ft260:?khz=5000").find("use 60…3400"), std::string::npos);
}

TEST(DeviceSpecErrors, Ft260ResetValue) {
  EXPECT_NE(rejection("ft260:?reset=gpio3").find("use reset=dio9"), std::string::npos);
}

TEST(DeviceSpecErrors, SocketWithoutPath) {
  EXPECT_EQ(rejection("sim+unix:"), "'sim+unix:' names no socket: write sim+unix:/run/optiga/sim.sock");
}

TEST(I2cAddress, DecimalAndHex) {
  EXPECT_EQ(parse_i2c_address("48"), 0x30);
  EXPECT_EQ(parse_i2c_address("0x30"), 0x30);
  EXPECT_EQ(parse_i2c_address("0X77"), 0x77);
}

}  // namespace
}  // namespace optiga::config
