#include <gtest/gtest.h>

#include "core/chip/chip_error.h"
#include "core/util/error.h"
#include "device_test_support.h"

using namespace optiga;
using optiga::test::Rig;

namespace {
Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i * 7 + 1);
  return b;
}
}  // namespace

TEST(DeviceOpen, OpensAndReadsUidOnly) {
  // The comms buffer size (0xE0C6) is read only when a chunked transfer needs it (cold start).
  Rig rig;
  rig.device->open();
  ASSERT_EQ(rig.chip->sent.size(), 2u);
  EXPECT_EQ(rig.chip->sent[0][0], 0xF0);
  EXPECT_EQ(to_hex(rig.chip->sent[1], " "), "81 00 00 06 e0 c2 00 00 00 1b");
  EXPECT_EQ(rig.device->model(), chip::Model::trust_m_v3);
  EXPECT_EQ(rig.device->uid().build, 0x2440);
  const auto sent = rig.chip->sent.size();
  rig.device->open();  // idempotent: nothing re-sent
  EXPECT_EQ(rig.chip->sent.size(), sent);
}

TEST(DeviceOpen, Info) {
  Rig rig;
  rig.device->open();
  rig.chip->last_error = 0x07;  // left by an earlier refused command
  const auto info = rig.device->info();
  EXPECT_EQ(info.comms_buffer_size, 0x0615);
  EXPECT_EQ(info.lcs_global, 0x07);
  EXPECT_EQ(info.lcs_application, 0x01);
  EXPECT_EQ(info.security_event_counter, 0x03);
  EXPECT_EQ(info.last_error, 0x07);
  EXPECT_EQ(info.firmware_version, info.uid.firmware_version());
  // The last-error read goes first and without the clear bit.
  EXPECT_EQ(to_hex(rig.chip->sent.at(2), " "), "01 00 00 06 f1 c2 00 00 00 01");
}

TEST(DeviceObjects, ChunkedRead1728) {
  Rig rig;
  rig.chip->objects[0xE0E1] = pattern(1728);
  EXPECT_EQ(rig.device->read_object(0xE0E1), pattern(1728));
  std::vector<Bytes> reads;
  for (const auto& a : rig.sent_with(0x01))
    if (get_u16(a, 4) == 0xE0E1) reads.push_back(a);
  ASSERT_EQ(reads.size(), 2u);
  // The first read fits any buffer (256 bytes); a full answer makes the device learn the buffer
  // size and go on in chunks of 1553.
  EXPECT_EQ(to_hex(reads[0], " "), "81 00 00 06 e0 e1 00 00 01 00");  // offset 0, 256
  EXPECT_EQ(to_hex(reads[1], " "), "81 00 00 06 e0 e1 01 00 06 11");  // offset 256, 1553 → 1472 back
  EXPECT_EQ(rig.sent_with(0x01).size(), 4u);  // UID, the two reads and 0xE0C6 in between
}

TEST(DeviceObjects, ReadEndsAtBoundaryErrorAfterFirstChunk) {
  Rig rig;
  rig.chip->objects[0xF1E0] = pattern(1553);
  EXPECT_EQ(rig.device->read_object(0xF1E0).size(), 1553u);
}

TEST(DeviceObjects, BoundaryErrorOnFirstChunkIsAnError) {
  Rig rig;
  EXPECT_THROW(rig.device->read_object(0xF1D5), chip::ChipError);  // fake: unknown object → 0x01
}

TEST(DeviceObjects, ChunkedWrite1728) {
  Rig rig;
  rig.device->write_object(0xE0E1, pattern(1728), true);
  const auto writes = rig.sent_with(0x02);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(writes[0][1], 0x40);
  EXPECT_EQ(get_u16(writes[0], 2), 4u + 1549u);
  EXPECT_EQ(get_u16(writes[0], 6), 0u);
  EXPECT_EQ(writes[1][1], 0x00);
  EXPECT_EQ(get_u16(writes[1], 2), 4u + 179u);
  EXPECT_EQ(get_u16(writes[1], 6), 1549u);
  EXPECT_EQ(rig.chip->objects[0xE0E1], pattern(1728));
}

TEST(DeviceObjects, WriteWithoutEraseUsesParamZero) {
  Rig rig;
  rig.device->write_object(0xF1D1, pattern(10), false);
  const auto writes = rig.sent_with(0x02);
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0][1], 0x00);
}

TEST(DeviceObjects, UsageErrorsSendNothing) {
  Rig rig;
  rig.device->open();
  const auto before = rig.chip->sent.size();
  EXPECT_THROW(rig.device->write_object(0xF1D0, pattern(141), true), UsageError);  // max 140
  EXPECT_THROW(rig.device->read_object(0xE0F1), UsageError);                       // key object
  EXPECT_THROW(rig.device->write_object(0xE0F1, pattern(4), true), UsageError);
  EXPECT_EQ(rig.chip->sent.size(), before);
}

TEST(DeviceObjects, WriteRefusedSurfacesChipError) {
  Rig rig;
  rig.chip->write_protected.insert(0xE0E2);
  try {
    rig.device->write_object(0xE0E2, pattern(5), true);
    FAIL();
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x07);
    EXPECT_NE(std::string(e.what()).find("write 0xE0E2"), std::string::npos);
  }
}

TEST(DeviceObjects, RandomSplitsAndPads) {
  Rig rig;
  EXPECT_EQ(rig.device->random(300).size(), 300u);
  auto calls = rig.sent_with(0x0C);
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(get_u16(calls[0], 4), 256u);
  EXPECT_EQ(get_u16(calls[1], 4), 44u);
  EXPECT_EQ(rig.device->random(3).size(), 3u);
  calls = rig.sent_with(0x0C);
  EXPECT_EQ(get_u16(calls.back(), 4), 8u);
}
