#include "core/cmd/command_session.h"

#include <gtest/gtest.h>

#include <deque>

#include "core/chip/chip_error.h"
#include "core/cmd/commands.h"
#include "core/util/error.h"

using namespace optiga;
using namespace optiga::cmd;

namespace {
// Replays canned responses and records what was sent.
class ScriptedChannel : public proto::ApduChannel {
 public:
  std::deque<Bytes> responses;
  std::vector<Bytes> sent;
  Bytes transceive(ByteView apdu) override {
    sent.emplace_back(apdu.begin(), apdu.end());
    if (responses.empty()) throw ProtocolError("script exhausted");
    Bytes r = responses.front();
    responses.pop_front();
    return r;
  }
  void reset() override {}
};
}  // namespace

TEST(CommandSession, SuccessReturnsData) {
  ScriptedChannel ch;
  ch.responses = {from_hex("00 00 00 02 06 15")};
  CommandSession s(ch);
  EXPECT_EQ(to_hex(s.run(get_data(0xE0C6, 0, 2))), "0615");
  ASSERT_EQ(ch.sent.size(), 1u);
  EXPECT_EQ(ch.sent[0][0], 0x81);
}

TEST(CommandSession, ErrorFlowThrowsChipErrorWithContext) {
  ScriptedChannel ch;
  ch.responses = {from_hex("ff 00 00 00"), from_hex("00 00 00 01 07")};
  CommandSession s(ch);
  try {
    s.run(gen_key_pair(chip::Algorithm::nist_p256, 0xE0F1, 0x10));
    FAIL() << "no ChipError";
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x07);
    EXPECT_EQ(e.name(), "access conditions not satisfied");
    EXPECT_NE(std::string(e.what()).find("GenKeyPair into 0xE0F1"), std::string::npos) << e.what();
  }
  ASSERT_EQ(ch.sent.size(), 2u);
  EXPECT_EQ(to_hex(ch.sent[1], " "), "01 00 00 06 f1 c2 00 00 00 01");
}

TEST(CommandSession, TrustXErrorReadAndNoClearBit) {
  ScriptedChannel ch;
  ch.responses = {from_hex("ff 00 00 00"), from_hex("00 00 00 01 08")};
  CommandSession s(ch, chip::Model::trust_x);
  try {
    s.run(get_data(0xE0E0, 0, 100));
    FAIL();
  } catch (const chip::ChipError& e) {
    EXPECT_EQ(e.code(), 0x08);
  }
  EXPECT_EQ(ch.sent[0][0], 0x01);
  EXPECT_EQ(to_hex(ch.sent[1], " "), "01 00 00 02 f1 c2");
}

TEST(CommandSession, MalformedResponsesAreProtocolErrors) {
  ScriptedChannel ch;
  ch.responses = {from_hex("00 00 00 09 01"), from_hex("ff 00 00 00"), from_hex("ff 00 00 00"),
                  from_hex("ff 00 00 00"), from_hex("00 00 00 02 01 02")};
  CommandSession s(ch);
  EXPECT_THROW(s.run(get_random(8)), ProtocolError);
  EXPECT_THROW(s.run(get_random(8)), ProtocolError);  // the error read itself refused
  EXPECT_THROW(s.run(get_random(8)), ProtocolError);  // error read of the wrong size
}
