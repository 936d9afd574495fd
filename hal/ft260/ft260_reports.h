// The FT260's HID report vocabulary (spec §10; FTDI AN_394), shared by the transport and the
// emulated bridge so both speak exactly the same bytes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace optiga::hal::ft260 {

inline constexpr std::uint16_t usb_vendor_id = 0x0403;
inline constexpr std::uint16_t usb_product_id = 0x6030;
inline constexpr std::size_t report_size = 64;
inline constexpr unsigned usb_timeout_ms = 2000;

// Report IDs.
inline constexpr std::uint8_t report_chip_version = 0xA0;
inline constexpr std::uint8_t report_system_setting = 0xA1;
inline constexpr std::uint8_t report_gpio = 0xB0;
inline constexpr std::uint8_t report_i2c_status = 0xC0;
inline constexpr std::uint8_t report_i2c_read_request = 0xC2;
inline constexpr std::uint8_t report_i2c_data_first = 0xD0;  // 0xD0..0xDE: 4..60 payload bytes
inline constexpr std::uint8_t report_i2c_data_last = 0xDE;
inline constexpr std::size_t i2c_data_max = 60;

// System-setting (0xA1) sub-requests.
inline constexpr std::uint8_t setting_i2c_reset = 0x20;
inline constexpr std::uint8_t setting_i2c_clock = 0x22;  // followed by kHz, little-endian 16 bit

// I2C condition flags in data and read-request reports.
inline constexpr std::uint8_t flag_none = 0x00;
inline constexpr std::uint8_t flag_start = 0x02;
inline constexpr std::uint8_t flag_stop = 0x04;
inline constexpr std::uint8_t flag_start_stop = 0x06;

// Bits of the status byte in the 0xC0 report.
inline constexpr std::uint8_t status_controller_busy = 0x01;
inline constexpr std::uint8_t status_error = 0x02;
inline constexpr std::uint8_t status_address_nack = 0x04;
inline constexpr std::uint8_t status_data_nack = 0x08;
inline constexpr std::uint8_t status_arbitration_lost = 0x10;
inline constexpr std::uint8_t status_error_mask = 0x1E;
inline constexpr std::uint8_t status_controller_idle = 0x20;
inline constexpr std::uint8_t status_bus_busy = 0x40;

// GPIO report (0xB0): `B0 value direction ex_value ex_direction`; the OPTIGA's RST is on DIO9,
// which is GPIOF, bit 5 of the "ex" bytes.
inline constexpr std::uint8_t gpio_f_bit = 0x20;

// HID class requests on interface 0, feature reports (wValue high byte 3).
inline constexpr std::uint8_t hid_set_report_type = 0x21;  // host-to-device | class | interface
inline constexpr std::uint8_t hid_get_report_type = 0xA1;  // device-to-host | class | interface
inline constexpr std::uint8_t hid_set_report = 0x09;
inline constexpr std::uint8_t hid_get_report = 0x01;
inline constexpr std::uint16_t feature_report_value(std::uint8_t id) { return static_cast<std::uint16_t>(0x0300 | id); }

// The data report that carries `len` bytes: its ID encodes the capacity in steps of 4.
inline constexpr std::uint8_t data_report_id(std::size_t len) {
  return static_cast<std::uint8_t>(report_i2c_data_first + (len == 0 ? 0 : (len - 1) / 4));
}
inline constexpr std::size_t data_report_capacity(std::uint8_t id) { return (id - report_i2c_data_first + 1u) * 4u; }

}  // namespace optiga::hal::ft260
