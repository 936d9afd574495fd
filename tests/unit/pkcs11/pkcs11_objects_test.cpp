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

std::vector<Module> modules() {
  if (const char* m = std::getenv("OPTIGA_P11_MODULE")) return {{"custom", m}};
  return {{"optiga", (self_dir() / ".." / "pkcs11" / "optiga-pkcs11.so").string()},
          {"softhsm", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"}};
}

INSTANTIATE_TEST_SUITE_P(Modules, Objects, ::testing::ValuesIn(modules()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
