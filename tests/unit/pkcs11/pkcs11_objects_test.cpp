// Storage objects an application creates (issue 10 items 3 and 4): certificates keep the label
// they are given, and data objects (CKO_DATA) live in a session or on the chip. Like the suite
// beside it, driven only through the function list of a dlopen()ed module and run against both
// our module (on an emulated chip) and SoftHSM2, so it encodes the standard, not our habits.
#include <dlfcn.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <ostream>
#include <string>
#include <vector>

#include "../../../pkcs11/ck.h"  // the header only; the module itself is dlopen()ed

namespace {

namespace fs = std::filesystem;

struct Module {
  std::string name;
  std::string path;
};

fs::path self_dir() { return fs::read_symlink("/proc/self/exe").parent_path(); }
const fs::path scratch = fs::temp_directory_path() / ("p11objects-" + std::to_string(getpid()));

// SoftHSM2 with one initialised token in a directory of its own (the suite beside uses another).
void prepare_softhsm() {
  static bool done = false;
  const fs::path conf = scratch / "softhsm2.conf";
  setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  if (done) return;
  done = true;
  fs::create_directories(scratch / "tokens");
  std::FILE* f = std::fopen(conf.c_str(), "w");
  std::fprintf(f, "directories.tokendir = %s\nobjectstore.backend = file\n", (scratch / "tokens").c_str());
  std::fclose(f);
  ASSERT_EQ(std::system("softhsm2-util --init-token --free --label objects --pin 1234 --so-pin 000000 >/dev/null 2>&1"), 0);
}

std::vector<CK_BYTE> read_file(const fs::path& p) {
  std::vector<CK_BYTE> bytes(fs::file_size(p));
  std::FILE* in = std::fopen(p.c_str(), "rb");
  if (in == nullptr) return {};
  const std::size_t n = std::fread(bytes.data(), 1, bytes.size(), in);
  std::fclose(in);
  bytes.resize(n);
  return bytes;
}

// A self-signed DER certificate made by the openssl tool (its key is thrown away).
std::vector<CK_BYTE> self_signed(const std::string& cn) {
  fs::create_directories(scratch);
  const fs::path der = scratch / (cn + ".der");
  const std::string cmd = "openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null "
                          "-subj /CN=" + cn + " -days 2 -outform DER -out " + der.string() + " 2>/dev/null";
  if (std::system(cmd.c_str()) != 0) return {};
  return read_file(der);
}

// The DER element at `pos` (tag, length, contents): its full extent.
std::size_t der_extent(const std::vector<CK_BYTE>& d, std::size_t pos, std::size_t& header) {
  std::size_t len = d.at(pos + 1);
  header = 2;
  if (len & 0x80) {
    const std::size_t n = len & 0x7f;
    len = 0;
    for (std::size_t i = 0; i < n; ++i) len = (len << 8) | d.at(pos + 2 + i);
    header += n;
  }
  return header + len;
}

// The subject Name of a DER certificate (SoftHSM, like NSS's callers, wants CKA_SUBJECT given).
std::vector<CK_BYTE> subject_of(const std::vector<CK_BYTE>& cert) {
  std::size_t h = 0;
  der_extent(cert, 0, h);
  std::size_t pos = h;  // tbsCertificate
  der_extent(cert, pos, h);
  pos += h;
  if (cert.at(pos) == 0xA0) pos += der_extent(cert, pos, h);  // version
  for (int skip = 0; skip < 4; ++skip) pos += der_extent(cert, pos, h);  // serial, algorithm, issuer, validity
  const std::size_t n = der_extent(cert, pos, h);
  return std::vector<CK_BYTE>(cert.begin() + static_cast<std::ptrdiff_t>(pos),
                              cert.begin() + static_cast<std::ptrdiff_t>(pos + n));
}

void PrintTo(const Module& m, std::ostream* os) { *os << m.name; }

class Objects : public ::testing::TestWithParam<Module> {
 protected:
  void SetUp() override {
    if (GetParam().name == "softhsm") prepare_softhsm();
    setenv("OPTIGA_DEVICE", ("sim:" + state_.string()).c_str(), 1);
    setenv("OPTIGA_CONF", "/dev/null", 1);
    fs::create_directories(scratch);
    if (GetParam().name == "optiga" && !fs::exists(state_)) {
      const std::string create = (self_dir() / ".." / "tools" / "optigactl" / "optigactl").string() + " sim create " +
                                 state_.string() + " >/dev/null";
      ASSERT_EQ(std::system(create.c_str()), 0);
    }
    lib_ = dlopen(GetParam().path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib_ == nullptr) GTEST_SKIP() << "cannot load " << GetParam().path << ": " << dlerror();
    auto get = reinterpret_cast<CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR)>(dlsym(lib_, "C_GetFunctionList"));
    ASSERT_NE(get, nullptr);
    ASSERT_EQ(get(&f_), CKR_OK);
    start();
  }
  void TearDown() override {
    if (f_ != nullptr) f_->C_Finalize(nullptr);
    std::error_code ec;
    fs::remove(state_, ec);
  }
  // C_Initialize, the first token's slot, a R/W session, logged in.
  void start() {
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    ASSERT_EQ(f_->C_Initialize(&args), CKR_OK);
    CK_ULONG n = 0;
    ASSERT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    ASSERT_GE(n, 1u);
    std::vector<CK_SLOT_ID> slots(n);
    ASSERT_EQ(f_->C_GetSlotList(CK_TRUE, slots.data(), &n), CKR_OK);
    slot_ = slots[0];
    ASSERT_EQ(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session_), CKR_OK);
    CK_UTF8CHAR pin[] = "1234";
    ASSERT_EQ(f_->C_Login(session_, CKU_USER, pin, 4), CKR_OK);
  }
  // A new process, as far as the module can tell: finalised and initialised again.
  void restart() {
    ASSERT_EQ(f_->C_Finalize(nullptr), CKR_OK);
    start();
  }

  std::vector<CK_OBJECT_HANDLE> find(std::vector<CK_ATTRIBUTE> t, CK_SESSION_HANDLE s = CK_INVALID_HANDLE) {
    if (s == CK_INVALID_HANDLE) s = session_;
    std::vector<CK_OBJECT_HANDLE> out(64);
    CK_ULONG n = 0;
    EXPECT_EQ(f_->C_FindObjectsInit(s, t.data(), t.size()), CKR_OK);
    EXPECT_EQ(f_->C_FindObjects(s, out.data(), out.size(), &n), CKR_OK);
    EXPECT_EQ(f_->C_FindObjectsFinal(s), CKR_OK);
    out.resize(n);
    return out;
  }
  std::string text(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type, CK_SESSION_HANDLE s = CK_INVALID_HANDLE) {
    if (s == CK_INVALID_HANDLE) s = session_;
    char buf[256] = {};
    CK_ATTRIBUTE a{type, buf, sizeof buf};
    EXPECT_EQ(f_->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
    return a.ulValueLen == CK_UNAVAILABLE_INFORMATION ? std::string() : std::string(buf, a.ulValueLen);
  }
  CK_BBOOL flag(CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE type) {
    CK_BBOOL b = 0x55;
    CK_ATTRIBUTE a{type, &b, 1};
    EXPECT_EQ(f_->C_GetAttributeValue(session_, h, &a, 1), CKR_OK);
    return b;
  }

  // A certificate in the slot of key 0xE0F2 (empty on a fresh chip, so any certificate fits).
  CK_RV create_certificate(const std::vector<CK_BYTE>& der, const char* label, CK_OBJECT_HANDLE& h) {
    CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
    CK_CERTIFICATE_TYPE ct = CKC_X_509;
    CK_BBOOL yes = CK_TRUE;
    CK_BYTE id[] = {0xE0, 0xF2};
    std::vector<CK_BYTE> subject = subject_of(der);
    std::vector<CK_ATTRIBUTE> t = {{CKA_SUBJECT, subject.data(), subject.size()},
                                   {CKA_CLASS, &cls, sizeof cls},
                                   {CKA_CERTIFICATE_TYPE, &ct, sizeof ct},
                                   {CKA_TOKEN, &yes, 1},
                                   {CKA_ID, id, sizeof id},
                                   {CKA_VALUE, const_cast<CK_BYTE*>(der.data()), der.size()}};
    if (label != nullptr) t.push_back({CKA_LABEL, const_cast<char*>(label), std::strlen(label)});
    return f_->C_CreateObject(session_, t.data(), t.size(), &h);
  }

  fs::path state_ = scratch / ("chip-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)));
  void* lib_ = nullptr;
  CK_FUNCTION_LIST_PTR f_ = nullptr;
  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
};

// ---- Item 3: a certificate keeps its CKA_LABEL (NSS's nickname, keytool's alias) ----------------

TEST_P(Objects, CertificateKeepsTheLabelItWasCreatedWith) {
  const auto der = self_signed("labelled");
  ASSERT_FALSE(der.empty());
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(create_certificate(der, "my-cert", h), CKR_OK);
  EXPECT_EQ(text(h, CKA_LABEL), "my-cert");
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  char label[] = "my-cert";
  const auto found = find({{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, label, 7}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], h);

  // The label is the token's, not the session's: another process sees it.
  restart();
  const auto again = find({{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, label, 7}});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(text(again[0], CKA_LABEL), "my-cert");

  // Renamed, it is found by its new label only; destroyed by it, it is gone.
  char renamed[] = "renamed";
  CK_ATTRIBUTE l{CKA_LABEL, renamed, 7};
  ASSERT_EQ(f_->C_SetAttributeValue(session_, again[0], &l, 1), CKR_OK);
  EXPECT_EQ(text(again[0], CKA_LABEL), "renamed");
  EXPECT_TRUE(find({{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, label, 7}}).empty());
  const auto by_new = find({{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, renamed, 7}});
  ASSERT_EQ(by_new.size(), 1u);
  ASSERT_EQ(f_->C_DestroyObject(session_, by_new[0]), CKR_OK);
  EXPECT_TRUE(find({{CKA_CLASS, &cls, sizeof cls}, {CKA_LABEL, renamed, 7}}).empty());
}

// A certificate written again without a label does not inherit the label of the one it replaced.
TEST_P(Objects, RewrittenCertificateDropsTheOldLabel) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "SoftHSM keeps both certificates";
  const auto der = self_signed("first");
  ASSERT_FALSE(der.empty());
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(create_certificate(der, "old-name", h), CKR_OK);
  ASSERT_EQ(create_certificate(der, nullptr, h), CKR_OK);
  EXPECT_EQ(text(h, CKA_LABEL), "E0E2");
}

// A label the chip cannot keep is refused before the certificate is written.
TEST_P(Objects, CertificateLabelTooLongIsRefusedBeforeWriting) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "SoftHSM takes labels of any length";
  const auto der = self_signed("long");
  ASSERT_FALSE(der.empty());
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  const std::string label(40, 'x');
  EXPECT_EQ(create_certificate(der, label.c_str(), h), CKR_ATTRIBUTE_VALUE_INVALID);
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_BYTE id[] = {0xE0, 0xF2};
  EXPECT_TRUE(find({{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, id, 2}}).empty());
}

// ---- Item 4: data objects (CKO_DATA) ------------------------------------------------------------

// DER of the OBJECT IDENTIFIER 1.2.3.4.
const CK_BYTE oid_1234[] = {0x06, 0x03, 0x2A, 0x03, 0x04};

struct DataTemplate {
  CK_OBJECT_CLASS cls = CKO_DATA;
  CK_BBOOL token = CK_TRUE, is_private = CK_FALSE, modifiable = CK_TRUE, destroyable = CK_TRUE;
  std::string label = "x", application = "app", value = "hello";
  std::vector<CK_ATTRIBUTE> attributes() {
    return {{CKA_CLASS, &cls, sizeof cls},
            {CKA_TOKEN, &token, 1},
            {CKA_PRIVATE, &is_private, 1},
            {CKA_MODIFIABLE, &modifiable, 1},
            {CKA_DESTROYABLE, &destroyable, 1},
            {CKA_LABEL, label.data(), label.size()},
            {CKA_APPLICATION, application.data(), application.size()},
            {CKA_OBJECT_ID, const_cast<CK_BYTE*>(oid_1234), sizeof oid_1234},
            {CKA_VALUE, value.data(), value.size()}};
  }
};

TEST_P(Objects, TokenDataObjectIsKeptFoundChangedAndDestroyed) {
  DataTemplate d;
  auto t = d.attributes();
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &h), CKR_OK);
  EXPECT_EQ(text(h, CKA_LABEL), "x");
  EXPECT_EQ(text(h, CKA_APPLICATION), "app");
  EXPECT_EQ(text(h, CKA_VALUE), "hello");
  EXPECT_EQ(text(h, CKA_OBJECT_ID), std::string(reinterpret_cast<const char*>(oid_1234), sizeof oid_1234));
  EXPECT_EQ(flag(h, CKA_TOKEN), CK_TRUE);
  EXPECT_EQ(flag(h, CKA_PRIVATE), CK_FALSE);
  EXPECT_EQ(flag(h, CKA_MODIFIABLE), CK_TRUE);

  // Found by class and application, in a new process too (the chip keeps it).
  CK_OBJECT_CLASS cls = CKO_DATA;
  char app[] = "app";
  restart();
  auto found = find({{CKA_CLASS, &cls, sizeof cls}, {CKA_APPLICATION, app, 3}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(text(found[0], CKA_VALUE), "hello");

  // The label changes; the value, like every data-object attribute without the standard's
  // footnote 8, does not (and a template with both changes nothing).
  char value[] = "changed", label[] = "y";
  CK_ATTRIBUTE change[] = {{CKA_LABEL, label, 1}, {CKA_VALUE, value, 7}};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, found[0], change, 2), CKR_ATTRIBUTE_READ_ONLY);
  EXPECT_EQ(text(found[0], CKA_LABEL), "x");
  ASSERT_EQ(f_->C_SetAttributeValue(session_, found[0], change, 1), CKR_OK);
  restart();
  found = find({{CKA_CLASS, &cls, sizeof cls}, {CKA_APPLICATION, app, 3}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(text(found[0], CKA_VALUE), "hello");
  EXPECT_EQ(text(found[0], CKA_LABEL), "y");
  CK_BBOOL no = CK_FALSE;
  CK_ATTRIBUTE to_session{CKA_TOKEN, &no, 1};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, found[0], &to_session, 1), CKR_ATTRIBUTE_READ_ONLY);

  ASSERT_EQ(f_->C_DestroyObject(session_, found[0]), CKR_OK);
  EXPECT_TRUE(find({{CKA_CLASS, &cls, sizeof cls}, {CKA_APPLICATION, app, 3}}).empty());
  restart();
  EXPECT_TRUE(find({{CKA_CLASS, &cls, sizeof cls}, {CKA_APPLICATION, app, 3}}).empty());
}

// A session object lives in memory and ends with the session that made it (PKCS#11 §4.4); a
// read-only session may make one.
TEST_P(Objects, SessionDataObjectEndsWithItsSession) {
  CK_SESSION_HANDLE ro = CK_INVALID_HANDLE;
  ASSERT_EQ(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &ro), CKR_OK);
  DataTemplate d;
  d.token = CK_FALSE;
  d.application = "session-app";
  auto t = d.attributes();
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  ASSERT_EQ(f_->C_CreateObject(ro, t.data(), t.size(), &h), CKR_OK);
  EXPECT_EQ(flag(h, CKA_TOKEN), CK_FALSE);
  CK_OBJECT_CLASS cls = CKO_DATA;
  char app[] = "session-app";
  // Every session of the application sees it while it lives.
  EXPECT_EQ(find({{CKA_CLASS, &cls, sizeof cls}, {CKA_APPLICATION, app, 11}}).size(), 1u);
  char label[] = "v2";
  CK_ATTRIBUTE change{CKA_LABEL, label, 2};
  ASSERT_EQ(f_->C_SetAttributeValue(ro, h, &change, 1), CKR_OK);
  EXPECT_EQ(text(h, CKA_LABEL), "v2");
  ASSERT_EQ(f_->C_CloseSession(ro), CKR_OK);
  CK_ATTRIBUTE a{CKA_VALUE, nullptr, 0};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, h, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  EXPECT_TRUE(find({{CKA_CLASS, &cls, sizeof cls}, {CKA_APPLICATION, app, 11}}).empty());
}

// CKA_MODIFIABLE false: C_SetAttributeValue is CKR_ACTION_PROHIBITED; CKA_DESTROYABLE false:
// C_DestroyObject is (PKCS#11 3.0 §4.4; SoftHSM2 answers the same).
TEST_P(Objects, UnmodifiableAndIndestructibleDataObjects) {
  for (const CK_BBOOL on_token : {CK_FALSE, CK_TRUE}) {
    DataTemplate d;
    d.token = on_token;
    d.modifiable = CK_FALSE;
    d.destroyable = CK_FALSE;
    auto t = d.attributes();
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    ASSERT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &h), CKR_OK);
    char label[] = "no";
    CK_ATTRIBUTE change{CKA_LABEL, label, 2};
    EXPECT_EQ(f_->C_SetAttributeValue(session_, h, &change, 1), CKR_ACTION_PROHIBITED) << int(on_token);
    EXPECT_EQ(text(h, CKA_LABEL), "x");
    EXPECT_EQ(f_->C_DestroyObject(session_, h), CKR_ACTION_PROHIBITED) << int(on_token);
    EXPECT_EQ(text(h, CKA_VALUE), "hello");
  }
}

// A data object copies (to the session here), with what the copy's template changes.
TEST_P(Objects, DataObjectCopies) {
  DataTemplate d;
  auto t = d.attributes();
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE, copy = CK_INVALID_HANDLE;
  ASSERT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &h), CKR_OK);
  CK_BBOOL no = CK_FALSE;
  char label[] = "copy";
  CK_ATTRIBUTE ct[] = {{CKA_TOKEN, &no, 1}, {CKA_LABEL, label, 4}};
  ASSERT_EQ(f_->C_CopyObject(session_, h, ct, 2, &copy), CKR_OK);
  EXPECT_NE(copy, h);
  EXPECT_EQ(flag(copy, CKA_TOKEN), CK_FALSE);
  EXPECT_EQ(text(copy, CKA_LABEL), "copy");
  EXPECT_EQ(text(copy, CKA_VALUE), "hello");
  EXPECT_EQ(text(h, CKA_LABEL), "x");
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_ATTRIBUTE bad{CKA_CLASS, &cls, sizeof cls};
  EXPECT_EQ(f_->C_CopyObject(session_, h, &bad, 1, &copy), CKR_ATTRIBUTE_READ_ONLY);
}

// The chip's objects are small: a value that cannot fit, and a data object beyond the free chip
// objects, are CKR_DEVICE_MEMORY ("the token does not have sufficient memory"); nothing is written.
TEST_P(Objects, DataObjectsBeyondTheChipAreDeviceMemory) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "SoftHSM's memory is the disk";
  DataTemplate d;
  d.value = std::string(200, 'v');
  auto t = d.attributes();
  CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
  EXPECT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &h), CKR_DEVICE_MEMORY);
  d.value = std::string(100, 'v');  // fits 140 bytes with its attributes
  int made = 0;
  CK_RV rv = CKR_OK;
  for (; made < 20; ++made) {
    t = d.attributes();
    rv = f_->C_CreateObject(session_, t.data(), t.size(), &h);
    if (rv != CKR_OK) break;
  }
  EXPECT_EQ(rv, CKR_DEVICE_MEMORY);
  EXPECT_EQ(made, 7);  // 0xF1D4..0xF1DA on a Trust M
  // A change that no longer fits leaves the object as it was.
  std::string big(100, 'b');
  CK_ATTRIBUTE grow{CKA_LABEL, big.data(), big.size()};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, h, &grow, 1), CKR_DEVICE_MEMORY);
  EXPECT_EQ(text(h, CKA_LABEL), "x");
  // Session objects are held in memory: no such limit.
  d.token = CK_FALSE;
  d.value = std::string(2000, 's');
  t = d.attributes();
  EXPECT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &h), CKR_OK);
}

// With user_pin configured: a private data object needs login to be created, and before login
// it is not found (nor reachable by its handle); public ones stay visible.
TEST_P(Objects, PrivateDataObjectsNeedLogin) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "SoftHSM's PIN is in its token (the same rules)";
  ASSERT_EQ(f_->C_Finalize(nullptr), CKR_OK);
  const fs::path conf = scratch / "login.conf";
  {
    std::FILE* f = std::fopen(conf.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("user_pin = 1234\n", f);
    std::fclose(f);
  }
  setenv("OPTIGA_CONF", conf.c_str(), 1);
  start();  // logged in
  ASSERT_EQ(f_->C_Logout(session_), CKR_OK);
  DataTemplate secret;
  secret.is_private = CK_TRUE;
  secret.application = "private-app";
  for (const CK_BBOOL on_token : {CK_FALSE, CK_TRUE}) {
    secret.token = on_token;
    auto t = secret.attributes();
    CK_OBJECT_HANDLE h = CK_INVALID_HANDLE;
    EXPECT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &h), CKR_USER_NOT_LOGGED_IN) << int(on_token);
  }
  CK_UTF8CHAR pin[] = "1234";
  ASSERT_EQ(f_->C_Login(session_, CKU_USER, pin, 4), CKR_OK);
  secret.token = CK_TRUE;
  auto t = secret.attributes();
  CK_OBJECT_HANDLE priv = CK_INVALID_HANDLE, pub = CK_INVALID_HANDLE;
  ASSERT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &priv), CKR_OK);
  DataTemplate open;
  t = open.attributes();
  ASSERT_EQ(f_->C_CreateObject(session_, t.data(), t.size(), &pub), CKR_OK);
  EXPECT_EQ(flag(priv, CKA_PRIVATE), CK_TRUE);
  ASSERT_EQ(f_->C_Logout(session_), CKR_OK);
  CK_OBJECT_CLASS cls = CKO_DATA;
  auto found = find({{CKA_CLASS, &cls, sizeof cls}});
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0], pub);
  CK_ATTRIBUTE a{CKA_VALUE, nullptr, 0};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, priv, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  ASSERT_EQ(f_->C_Login(session_, CKU_USER, pin, 4), CKR_OK);
  EXPECT_EQ(find({{CKA_CLASS, &cls, sizeof cls}}).size(), 2u);
  EXPECT_EQ(text(priv, CKA_VALUE), "hello");
  ASSERT_EQ(f_->C_Finalize(nullptr), CKR_OK);
  f_ = nullptr;
  setenv("OPTIGA_CONF", "/dev/null", 1);
  fs::remove(conf);
}

std::vector<Module> modules() {
  if (const char* m = std::getenv("OPTIGA_P11_MODULE")) return {{"custom", m}};
  return {{"optiga", (self_dir() / ".." / "pkcs11" / "optiga-pkcs11.so").string()},
          {"softhsm", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"}};
}

INSTANTIATE_TEST_SUITE_P(Modules, Objects, ::testing::ValuesIn(modules()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
