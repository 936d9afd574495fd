#include "core/cmd/apdu_trace.h"

#include <gtest/gtest.h>

#include <deque>
#include <memory>

#include "core/chip/chip_error.h"
#include "core/cmd/command_session.h"
#include "core/cmd/commands.h"
#include "core/util/error.h"

using namespace optiga;
using namespace optiga::cmd;

namespace {

Bytes encoded(const Command& c) { return encode_command(c, true); }

// A byte pattern nobody else sends, and its hex as a trace would print it.
Bytes pattern(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(0xA5 ^ i);
  return b;
}
bool shows(const std::string& trace, ByteView secret) {
  // Any 4 consecutive secret bytes in the trace count as a leak.
  for (std::size_t i = 0; i + 4 <= secret.size(); ++i)
    if (trace.find(to_hex(secret.subspan(i, 4), " ")) != std::string::npos) return true;
  return false;
}

TEST(ApduTrace, NamesCommandsWithAndWithoutTheClearBit) {
  EXPECT_EQ(command_name(0x01), "GetDataObject");
  EXPECT_EQ(command_name(0x81), "GetDataObject");
  EXPECT_EQ(command_name(0xB1), "CalcSign");
  EXPECT_EQ(command_name(0x38), "GenKeyPair");
  EXPECT_EQ(command_name(0x70), "OpenApplication");
  EXPECT_EQ(command_name(0x5A), "command 0x5A");
}

TEST(ApduTrace, PlainObjectsShowTheirData) {
  const Bytes cert = pattern(20);
  const Bytes cmd = encoded(set_data(0xE0E1, 0, cert, true));
  EXPECT_EQ(trace_command(cmd), "SetDataObject 0xE0E1: " + to_hex(cmd, " "));
  const Bytes read = encoded(get_data(0xE0E1, 0, 0xFFFF));
  const Bytes response = from_hex("00 00 00 03 30 01 02");
  EXPECT_EQ(trace_response(read, response), "GetDataObject 0xE0E1: 00 00 00 03 30 01 02");
}

TEST(ApduTrace, BindingSecretWritesShowOnlyTheHeader) {
  const Bytes secret = pattern(64);
  const Bytes cmd = encoded(set_data(chip::oid::platform_binding, 0, secret, true));
  const std::string t = trace_command(cmd);
  EXPECT_EQ(t, "SetDataObject 0xE140: 82 40 00 44 e1 40 00 00 <64 bytes redacted>");
  EXPECT_FALSE(shows(t, secret));
  EXPECT_EQ(trace_response(cmd, from_hex("00 00 00 00")), "SetDataObject 0xE140: 00 00 00 00");
}

TEST(ApduTrace, BindingSecretReadsAreRedacted) {
  const Bytes secret = pattern(64);
  const Bytes cmd = encoded(get_data(chip::oid::platform_binding, 0, 0x0611));
  Bytes response = from_hex("00 00 00 40");
  append(response, secret);
  const std::string t = trace_response(cmd, response);
  EXPECT_EQ(t, "GetDataObject 0xE140: 00 00 00 40 <64 bytes redacted>");
  // The request itself (OID, offset, length) is no secret.
  EXPECT_EQ(trace_command(cmd), "GetDataObject 0xE140: 81 00 00 06 e1 40 00 00 06 11");
}

TEST(ApduTrace, ObjectsThatMayBeAuthorizationReferencesAreRedacted) {
  for (const std::uint16_t oid : {0xF1D0, 0xF1D5, 0xF1DB, 0xF1E0, 0xF1E1}) {
    const Bytes secret = pattern(32);
    const Bytes write = encoded(set_data(oid, 0, secret, false));
    EXPECT_FALSE(shows(trace_command(write), secret)) << chip::oid_text(oid);
    Bytes response = from_hex("00 00 00 20");
    append(response, secret);
    EXPECT_FALSE(shows(trace_response(encoded(get_data(oid, 0, 32)), response), secret)) << chip::oid_text(oid);
  }
  EXPECT_TRUE(object_data_secret(0xE140));
  EXPECT_TRUE(object_data_secret(0xE0F1));
  EXPECT_TRUE(object_data_secret(0xE200));
  EXPECT_TRUE(object_data_secret(0xE101));
  EXPECT_FALSE(object_data_secret(0xE0E0));
  EXPECT_FALSE(object_data_secret(0xE0E8));
  EXPECT_FALSE(object_data_secret(0xE120));
  EXPECT_FALSE(object_data_secret(0xF1DC));
}

TEST(ApduTrace, MetadataOfASecretObjectIsShown) {
  const Bytes md = from_hex("20 03 c0 01 07");
  const Bytes cmd = encoded(set_metadata(chip::oid::platform_binding, md));
  EXPECT_NE(trace_command(cmd).find("20 03 c0 01 07"), std::string::npos) << trace_command(cmd);
  EXPECT_EQ(trace_command(cmd).rfind("SetDataObject 0xE140 metadata: ", 0), 0u);
}

TEST(ApduTrace, RandomNumbersAndSharedSecretsAreRedacted) {
  const Bytes secret = pattern(32);
  Bytes response = from_hex("00 00 00 20");
  append(response, secret);
  EXPECT_EQ(trace_response(encoded(get_random(32)), response), "GetRandom: 00 00 00 20 <32 bytes redacted>");
  const Bytes peer = from_hex("03 42 00 04") ;
  const std::string ecdh = trace_response(encoded(calc_ssec(0xE0F1, chip::Algorithm::nist_p256, peer)), response);
  EXPECT_EQ(ecdh, "CalcSSec: 00 00 00 20 <32 bytes redacted>");
}

TEST(ApduTrace, GeneratedPublicKeysShowButAnExportedPrivateKeyDoesNot) {
  const Bytes cmd = encoded(gen_key_pair(chip::Algorithm::nist_p256, 0xE0F1, 0x13));
  const Bytes pub = from_hex("00 00 00 07 02 00 04 03 02 00 04");
  EXPECT_EQ(trace_response(cmd, pub), "GenKeyPair: " + to_hex(pub, " "));
  const Bytes secret = pattern(32);
  Bytes exported = from_hex("00 00 00 27 01 00 20");
  append(exported, secret);
  append(exported, from_hex("02 00 01 04"));
  EXPECT_FALSE(shows(trace_response(cmd, exported), secret));
}

TEST(ApduTrace, ProtectedUpdatesAndUnknownCommandsAreRedacted) {
  const Bytes secret = pattern(40);
  Bytes cmd = from_hex("83 00 00 28");
  append(cmd, secret);
  EXPECT_EQ(trace_command(cmd), "SetObjectProtected: 83 00 00 28 <40 bytes redacted>");
  cmd[0] = 0x5A;
  EXPECT_EQ(trace_command(cmd), "command 0x5A: 5a 00 00 28 <40 bytes redacted>");
}

TEST(ApduTrace, SignaturesShowInFull) {
  const Bytes digest = pattern(32);
  const Bytes cmd = encoded(calc_sign(0xE0F1, digest));
  EXPECT_EQ(trace_command(cmd), "CalcSign: " + to_hex(cmd, " "));
}

// Replays canned responses.
class ScriptedChannel : public proto::ApduChannel {
 public:
  std::deque<Bytes> responses;
  Bytes transceive(ByteView) override {
    if (responses.empty()) throw ProtocolError("script exhausted");
    Bytes r = responses.front();
    responses.pop_front();
    return r;
  }
  void reset() override {}
};

TEST(CommandSessionTrace, TracesEachExchangeIncludingTheErrorRead) {
  auto lines = std::make_shared<std::vector<std::string>>();
  ScriptedChannel ch;
  ch.responses = {from_hex("ff 00 00 00"), from_hex("00 00 00 01 07")};
  CommandSession s(ch);
  s.set_logger(Logger("t", LogLevel::trace, [lines](std::string_view l) { lines->emplace_back(l); }));
  const Bytes secret = pattern(64);
  EXPECT_THROW(s.run(set_data(chip::oid::platform_binding, 0, secret, true)), chip::ChipError);
  ASSERT_EQ(lines->size(), 4u);
  EXPECT_EQ((*lines)[0], "t: trace: apdu > SetDataObject 0xE140: 82 40 00 44 e1 40 00 00 <64 bytes redacted>\n");
  EXPECT_EQ((*lines)[1], "t: trace: apdu < SetDataObject 0xE140: ff 00 00 00\n");
  EXPECT_EQ((*lines)[2], "t: trace: apdu > GetDataObject 0xF1C2: 01 00 00 06 f1 c2 00 00 00 01\n");
  EXPECT_EQ((*lines)[3], "t: trace: apdu < GetDataObject 0xF1C2: 00 00 00 01 07\n");
}

TEST(CommandSessionTrace, NothingBelowTrace) {
  auto lines = std::make_shared<std::vector<std::string>>();
  ScriptedChannel ch;
  ch.responses = {from_hex("00 00 00 02 06 15")};
  CommandSession s(ch);
  s.set_logger(Logger("t", LogLevel::debug, [lines](std::string_view l) { lines->emplace_back(l); }));
  s.run(get_data(0xE0C6, 0, 2));
  EXPECT_TRUE(lines->empty());
}

}  // namespace
