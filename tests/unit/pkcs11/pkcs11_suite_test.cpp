// The PKCS#11 suite: driven only through the function list of a dlopen()ed module, and run
// against both our module (on an in-memory emulated chip) and Debian's SoftHSM2 (token in a
// temp dir), so it encodes the standard rather than our module's habits.
// Override with OPTIGA_P11_MODULE / OPTIGA_P11_PIN to run it against another module.
#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "../../../pkcs11/ck.h"  // the header only; the module itself is dlopen()ed

namespace {

namespace fs = std::filesystem;

struct ModuleUnderTest {
  std::string name;
  std::string path;
};

std::string env_or(const char* name, std::string fallback) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : fallback;
}

fs::path self_dir() { return fs::read_symlink("/proc/self/exe").parent_path(); }

// SoftHSM2 with one initialised token in a fresh directory (configured once per process).
void prepare_softhsm() {
  static bool done = false;
  if (done) return;
  done = true;
  const fs::path dir = fs::temp_directory_path() / ("p11suite-" + std::to_string(getpid()));
  fs::create_directories(dir / "tokens");
  const fs::path conf = dir / "softhsm2.conf";
  std::FILE* f = std::fopen(conf.c_str(), "w");
  std::fprintf(f, "directories.tokendir = %s\nobjectstore.backend = file\n", (dir / "tokens").c_str());
  std::fclose(f);
  setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  const std::string cmd =
      "softhsm2-util --init-token --free --label suite --pin 1234 --so-pin 000000 >/dev/null 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
}

class Suite : public ::testing::TestWithParam<ModuleUnderTest> {
 protected:
  void SetUp() override {
    if (GetParam().name == "softhsm") prepare_softhsm();
    setenv("OPTIGA_DEVICE", "sim:", 1);  // a fresh in-memory chip per C_Initialize
    setenv("OPTIGA_CONF", "/dev/null", 1);
    lib_ = dlopen(GetParam().path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (lib_ == nullptr) GTEST_SKIP() << "cannot load " << GetParam().path << ": " << dlerror();
    auto get = reinterpret_cast<CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR)>(dlsym(lib_, "C_GetFunctionList"));
    ASSERT_NE(get, nullptr);
    ASSERT_EQ(get(&f_), CKR_OK);
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    ASSERT_EQ(f_->C_Initialize(&args), CKR_OK);
    CK_ULONG n = 0;
    ASSERT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, &n), CKR_OK);
    ASSERT_GE(n, 1u);
    std::vector<CK_SLOT_ID> slots(n);
    ASSERT_EQ(f_->C_GetSlotList(CK_TRUE, slots.data(), &n), CKR_OK);
    slot_ = slots[0];  // the initialised token (SoftHSM lists its free slot after it)
    ASSERT_EQ(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session_), CKR_OK);
    std::string pin = env_or("OPTIGA_P11_PIN", "1234");
    ASSERT_EQ(f_->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(pin.data()), pin.size()), CKR_OK);
  }
  void TearDown() override {
    if (f_ != nullptr) f_->C_Finalize(nullptr);
    // Modules stay loaded: a module must survive process exit without C_Finalize anyway.
  }

  // A P-256 key pair on the token (CKA_ID E0 F3 names a chip slot and is an ordinary id elsewhere).
  void generate(CK_OBJECT_HANDLE& pub, CK_OBJECT_HANDLE& priv, bool derive = false) {
    static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
    CK_BYTE id[] = {0xE0, 0xF3};
    CK_BBOOL yes = CK_TRUE, d = derive ? CK_TRUE : CK_FALSE;
    CK_ATTRIBUTE pub_t[] = {{CKA_EC_PARAMS, const_cast<CK_BYTE*>(p256), sizeof p256},
                            {CKA_TOKEN, &yes, 1},
                            {CKA_ID, id, 2},
                            {CKA_VERIFY, &yes, 1}};
    CK_ATTRIBUTE priv_t[] = {{CKA_TOKEN, &yes, 1}, {CKA_ID, id, 2}, {CKA_SIGN, &yes, 1},
                             {CKA_DERIVE, &d, 1},  {CKA_SENSITIVE, &yes, 1}, {CKA_PRIVATE, &yes, 1}};
    CK_MECHANISM m{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
    ASSERT_EQ(f_->C_GenerateKeyPair(session_, &m, pub_t, 4, priv_t, 6, &pub, &priv), CKR_OK);
  }

  void* lib_ = nullptr;
  CK_FUNCTION_LIST_PTR f_ = nullptr;
  CK_SLOT_ID slot_ = 0;
  CK_SESSION_HANDLE session_ = CK_INVALID_HANDLE;
};

TEST_P(Suite, EveryFunctionTableEntryIsSet) {
  const auto* first = reinterpret_cast<void* const*>(&f_->C_Initialize);
  const auto* last = reinterpret_cast<void* const*>(&f_->C_WaitForSlotEvent);
  for (const auto* p = first; p <= last; ++p) EXPECT_NE(*p, nullptr) << "entry " << (p - first);
}

TEST_P(Suite, InitializeTwiceAndBadArguments) {
  EXPECT_EQ(f_->C_Initialize(nullptr), CKR_CRYPTOKI_ALREADY_INITIALIZED);
  EXPECT_EQ(f_->C_GetInfo(nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f_->C_GetSlotList(CK_TRUE, nullptr, nullptr), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f_->C_Finalize(reinterpret_cast<void*>(1)), CKR_ARGUMENTS_BAD);
}

TEST_P(Suite, InvalidHandlesAndStates) {
  EXPECT_EQ(f_->C_CloseSession(999999), CKR_SESSION_HANDLE_INVALID);
  CK_SESSION_INFO info;
  EXPECT_EQ(f_->C_GetSessionInfo(999999, &info), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f_->C_GetSessionInfo(session_, &info), CKR_OK);
  EXPECT_EQ(info.state, CKS_RW_USER_FUNCTIONS);
  CK_BYTE buf[64];
  CK_ULONG len = sizeof buf;
  EXPECT_EQ(f_->C_Sign(session_, buf, 32, buf, &len), CKR_OPERATION_NOT_INITIALIZED);
  EXPECT_EQ(f_->C_FindObjectsFinal(session_), CKR_OPERATION_NOT_INITIALIZED);
  CK_ATTRIBUTE a{CKA_LABEL, nullptr, 0};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, 999999, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  CK_SESSION_HANDLE s2;
  EXPECT_EQ(f_->C_OpenSession(slot_, 0, nullptr, nullptr, &s2), CKR_SESSION_PARALLEL_NOT_SUPPORTED);
  EXPECT_EQ(f_->C_Login(session_, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>("1234")), 4),
            CKR_USER_ALREADY_LOGGED_IN);
}

TEST_P(Suite, SignAndVerifyWithSizeQueries) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  // CKM_ECDSA over a 32-byte digest: the mechanism every EC token has (SoftHSM 2.6 lacks ECDSA_SHA*).
  CK_MECHANISM m{CKM_ECDSA, nullptr, 0};
  CK_BYTE data[32] = {1, 2, 3, 4, 5, 6, 7};
  ASSERT_EQ(f_->C_SignInit(session_, &m, priv), CKR_OK);
  EXPECT_EQ(f_->C_SignInit(session_, &m, priv), CKR_OPERATION_ACTIVE);
  CK_ULONG len = 0;
  ASSERT_EQ(f_->C_Sign(session_, data, sizeof data, nullptr, &len), CKR_OK);
  EXPECT_EQ(len, 64u);
  CK_BYTE sig[64];
  CK_ULONG small = 10;
  EXPECT_EQ(f_->C_Sign(session_, data, sizeof data, sig, &small), CKR_BUFFER_TOO_SMALL);
  ASSERT_EQ(f_->C_Sign(session_, data, sizeof data, sig, &len), CKR_OK);
  ASSERT_EQ(f_->C_VerifyInit(session_, &m, pub), CKR_OK);
  EXPECT_EQ(f_->C_Verify(session_, data, sizeof data, sig, len), CKR_OK);
  sig[5] ^= 1;
  ASSERT_EQ(f_->C_VerifyInit(session_, &m, pub), CKR_OK);
  EXPECT_EQ(f_->C_Verify(session_, data, sizeof data, sig, len), CKR_SIGNATURE_INVALID);
}

TEST_P(Suite, AttributesFollowTheStandard) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  CK_ATTRIBUTE q[] = {{CKA_EC_POINT, nullptr, 0}, {CKA_VALUE, nullptr, 0}};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, pub, q, 1), CKR_OK);
  EXPECT_EQ(q[0].ulValueLen, 67u);  // 04 41 04 X Y
  EXPECT_EQ(f_->C_GetAttributeValue(session_, priv, &q[1], 1), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_EQ(q[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  CK_BBOOL b = CK_FALSE;
  CK_ATTRIBUTE s{CKA_SENSITIVE, &b, 1};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, priv, &s, 1), CKR_OK);
  EXPECT_EQ(b, CK_TRUE);
  CK_ATTRIBUTE bad{0x7FFF0000UL, nullptr, 0};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, pub, &bad, 1), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(bad.ulValueLen, CK_UNAVAILABLE_INFORMATION);
  CK_BYTE tiny[2];
  CK_ATTRIBUTE t{CKA_EC_POINT, tiny, sizeof tiny};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, pub, &t, 1), CKR_BUFFER_TOO_SMALL);
}

TEST_P(Suite, CreateObjectRefusesNonCertificateBytes) {
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_CERTIFICATE_TYPE ct = CKC_X_509;
  CK_BBOOL yes = CK_TRUE;
  CK_BYTE junk[100] = {0x30, 0x05, 1, 2, 3};
  CK_BYTE subject[] = {0x30, 0x00};
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls},       {CKA_CERTIFICATE_TYPE, &ct, sizeof ct},
                      {CKA_TOKEN, &yes, 1},                {CKA_VALUE, junk, sizeof junk},
                      {CKA_SUBJECT, subject, sizeof subject}};
  CK_OBJECT_HANDLE h;
  const CK_RV rv = f_->C_CreateObject(session_, t, 5, &h);
  // SoftHSM stores any bytes; a chip-backed token must refuse what it cannot parse.
  if (GetParam().name == "optiga") {
    EXPECT_EQ(rv, CKR_ATTRIBUTE_VALUE_INVALID);
  }
}

TEST_P(Suite, DigestAndRandom) {
  CK_MECHANISM m{CKM_SHA256, nullptr, 0};
  ASSERT_EQ(f_->C_DigestInit(session_, &m), CKR_OK);
  CK_BYTE out[32];
  CK_ULONG len = sizeof out;
  ASSERT_EQ(f_->C_Digest(session_, reinterpret_cast<CK_BYTE_PTR>(const_cast<char*>("abc")), 3, out, &len), CKR_OK);
  EXPECT_EQ(out[0], 0xba);
  CK_BYTE r[100] = {};
  EXPECT_EQ(f_->C_GenerateRandom(session_, r, sizeof r), CKR_OK);
}

TEST_P(Suite, MultithreadedSigning) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      CK_SESSION_HANDLE s;
      if (f_->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s) != CKR_OK) return;
      for (int i = 0; i < 5; ++i) {
        CK_MECHANISM m{CKM_ECDSA, nullptr, 0};
        CK_BYTE sig[64];
        CK_ULONG len = sizeof sig;
        CK_BYTE digest[32] = {static_cast<CK_BYTE>(i), 0x5A};
        if (f_->C_SignInit(s, &m, priv) == CKR_OK && f_->C_Sign(s, digest, 32, sig, &len) == CKR_OK) ++ok;
      }
      f_->C_CloseSession(s);
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 20);
}

TEST_P(Suite, ForkedChildMustInitializeAgain) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    CK_INFO info;
    CK_RV rv = f_->C_GetInfo(&info);
    // PKCS#11 §5.3: the child must call C_Initialize; some modules let it through.
    if (rv != CKR_CRYPTOKI_NOT_INITIALIZED && rv != CKR_OK) _exit(1);
    rv = f_->C_Initialize(nullptr);
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED) _exit(2);
    CK_ULONG n = 0;
    if (f_->C_GetSlotList(CK_TRUE, nullptr, &n) != CKR_OK || n == 0) _exit(3);
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

std::vector<ModuleUnderTest> modules() {
  if (const char* m = std::getenv("OPTIGA_P11_MODULE")) return {{"custom", m}};
  return {{"optiga", (self_dir() / ".." / "pkcs11" / "optiga-pkcs11.so").string()},
          {"softhsm", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"}};
}

INSTANTIATE_TEST_SUITE_P(Modules, Suite, ::testing::ValuesIn(modules()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
