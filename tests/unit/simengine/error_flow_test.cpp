// APDU framing and the Last Error Code (spec §5.1, §5.2).
#include "engine_harness.h"

namespace optiga::sim::test {
namespace {

using chip::Model;
namespace err = chip::err;

TEST(ErrorFlow, ErrorThenReadGivesCodeAndSecondReadGivesZero) {
  Harness h(options(Model::trust_m_v3));
  const Response bad = h.run_hex("01 00 00 02 E0 F0");  // key objects are never readable
  EXPECT_EQ(bad.sta, 0xFF);
  EXPECT_TRUE(bad.data.empty());
  EXPECT_EQ(h.last_error(), err::access_conditions);
  EXPECT_EQ(h.last_error(), err::no_error);
}

TEST(ErrorFlow, TrustXWholeObjectErrorRead) {
  Harness h(options(Model::trust_x));
  EXPECT_FALSE(h.run_hex("01 00 00 02 12 34").ok());
  const Response r = h.run_hex("01 00 00 02 F1 C2");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.data, Bytes{err::invalid_oid});
}

TEST(ErrorFlow, HighestCodeIsKept) {
  Harness h(options(Model::trust_m_v3));
  EXPECT_FALSE(h.run_hex("01 00 00 02 E0 F0").ok());  // 0x07
  EXPECT_FALSE(h.run_hex("01 00 00 02 12 34").ok());  // 0x01, lower
  EXPECT_EQ(h.last_error(), err::access_conditions);
  EXPECT_FALSE(h.run_hex("01 00 00 02 12 34").ok());  // 0x01
  EXPECT_FALSE(h.run_hex("01 00 00 06 F1 D0 00 05 00 01").ok());  // 0x08 past end of an empty object
  EXPECT_EQ(h.last_error(), err::boundary_exceeded);
}

TEST(ErrorFlow, ClearBitClearsBeforeExecuting) {
  Harness h(options(Model::trust_m_v3));
  EXPECT_FALSE(h.run_hex("01 00 00 02 E0 F0").ok());
  EXPECT_TRUE(h.run_hex("81 00 00 02 E0 C0").ok());  // same command with bit 7
  EXPECT_EQ(h.last_error(), err::no_error);
  // The clearing read itself reports 0.
  EXPECT_FALSE(h.run_hex("01 00 00 02 E0 F0").ok());
  const Response r = h.run_hex("81 00 00 02 F1 C2");
  EXPECT_EQ(r.data, Bytes{0x00});
}

TEST(ErrorFlow, FramingErrors) {
  Harness h(options(Model::trust_m_v3));
  EXPECT_FALSE(h.run_hex("01 00 00 05 E0 C2").ok());  // InLen says 5, 2 follow
  EXPECT_EQ(h.last_error(), err::invalid_length);
  EXPECT_FALSE(h.run_hex("01 00").ok());
  EXPECT_EQ(h.last_error(), err::invalid_length);
  EXPECT_FALSE(h.run(0x82, 0x00, Bytes(1554, 0x00)).ok());  // more than the comms buffer allows
  EXPECT_EQ(h.last_error(), err::invalid_length);
  EXPECT_FALSE(h.run_hex("55 00 00 00").ok());
  EXPECT_EQ(h.last_error(), err::invalid_command);
  EXPECT_FALSE(h.run_hex("81 07 00 02 E0 C2").ok());
  EXPECT_EQ(h.last_error(), err::invalid_param);
}

TEST(ErrorFlow, CommandsBeforeOpenApplicationAreNotAvailable) {
  Harness h(options(Model::trust_m_v3), /*open=*/false);
  EXPECT_FALSE(h.run_hex("81 00 00 02 E0 C2").ok());
  EXPECT_TRUE(h.open_application(false).ok());
  EXPECT_EQ(h.last_error(), err::command_not_available);
  // After a reset the application is closed again.
  h.engine().reset();
  EXPECT_FALSE(h.run_hex("81 00 00 02 E0 C2").ok());
}

TEST(ErrorFlow, OpenApplicationChecksTheAid) {
  Harness h(options(Model::trust_m_v3), false);
  Bytes aid(chip::application_id, chip::application_id + 16);
  aid[15] ^= 1;
  EXPECT_FALSE(h.run(0xF0, 0x00, aid).ok());
  EXPECT_TRUE(h.open_application(false).ok());
  EXPECT_EQ(h.last_error(), err::invalid_parameter_in_data);
  // OpenApplication with the clear bit (as the hosts send it) starts with a clean error code.
  EXPECT_FALSE(h.run(0x70, 0x00, aid).ok());
  EXPECT_TRUE(h.open_application(true).ok());
  EXPECT_EQ(h.last_error(), err::no_error);
}

TEST(ErrorFlow, CloseApplicationThenCommandsRefused) {
  Harness h(options(Model::trust_m_v3));
  EXPECT_TRUE(h.run_hex("F1 00 00 00").ok());
  EXPECT_FALSE(h.run_hex("81 00 00 02 E0 C2").ok());
  Harness x(options(Model::trust_x));
  EXPECT_FALSE(x.run_hex("F1 00 00 00").ok());  // Trust X has no CloseApplication
  EXPECT_EQ(x.last_error(), err::invalid_command);
}

TEST(ErrorFlow, HibernateAndRestore) {
  Harness h(options(Model::trust_m_v3));
  EXPECT_TRUE(h.gen_key(0xE101, 0x03, 0x10).ok());
  const Response close = h.run_hex("F1 01 00 00");
  ASSERT_TRUE(close.ok());
  ASSERT_EQ(close.data.size(), 8u);
  h.engine().reset();
  Bytes restore(chip::application_id, chip::application_id + 16);
  append(restore, close.data);
  ASSERT_TRUE(h.run(0xF0, 0x01, restore).ok());
  // The session key survived the hibernation.
  EXPECT_TRUE(h.sign(0xE101, Bytes(32, 0x5A)).ok());
}

TEST(ErrorFlow, ResponseLongerThanTheCommsBufferIsInsufficientBuffer) {
  Harness h(options(Model::trust_m_v3));
  ASSERT_TRUE(h.write(0xE0E1, Bytes(1549, 0x11)).ok());
  ASSERT_TRUE(h.write(0xE0E1, Bytes(179, 0x22), 1549).ok());
  EXPECT_FALSE(h.run_hex("81 00 00 02 E0 E1").ok());  // whole 1728-byte object in one response
  EXPECT_EQ(h.last_error(), err::insufficient_buffer);
}

}  // namespace
}  // namespace optiga::sim::test
