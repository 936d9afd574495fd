// The PKCS#11 suite: driven only through the function list of a dlopen()ed module, and run
// against both our module (on an in-memory emulated chip) and Debian's SoftHSM2 (token in a
// temp dir), so it encodes the standard rather than our module's habits.
// Override with OPTIGA_P11_MODULE / OPTIGA_P11_PIN to run it against another module.
#include <dlfcn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
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

CK_BBOOL bool_attr(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h, CK_ATTRIBUTE_TYPE t) {
  CK_BBOOL b = 0x55;  // neither true nor false: a module that writes nothing is caught
  CK_ATTRIBUTE a{t, &b, sizeof b};
  EXPECT_EQ(f->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
  EXPECT_EQ(a.ulValueLen, 1u);
  EXPECT_TRUE(b == CK_TRUE || b == CK_FALSE) << "attribute 0x" << std::hex << t;
  return b;
}

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

// A search template that promises bytes it does not point at is refused, and no search starts
// (a conformance suite's check; SoftHSM2 2.6 accepts such a template and searches).
TEST_P(Suite, FindTemplateWithoutAValueIsRefused) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "SoftHSM2 accepts {CKA_ID, NULL, 10} in C_FindObjectsInit";
  CK_ATTRIBUTE by_id{CKA_ID, nullptr, 10};
  EXPECT_EQ(f_->C_FindObjectsInit(session_, &by_id, 1), CKR_ARGUMENTS_BAD);
  EXPECT_EQ(f_->C_FindObjectsFinal(session_), CKR_OPERATION_NOT_INITIALIZED);
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

// PKCS#11 2.40 §5.7: every attribute of the template gets its own answer, and when several
// fail the call returns CKR_ATTRIBUTE_SENSITIVE, then CKR_ATTRIBUTE_TYPE_INVALID, then
// CKR_BUFFER_TOO_SMALL. SoftHSM2 answers the same: a second opinion on the reading.
TEST_P(Suite, GetAttributeValueAnswersEachAttribute) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  CK_KEY_TYPE kt = 0x55;
  CK_BYTE params[2] = {0xAA, 0xAA};
  CK_BYTE value[64];
  CK_ATTRIBUTE all[] = {{CKA_VALUE, value, sizeof value},
                        {0x7FFF0000UL, value, sizeof value},
                        {CKA_EC_PARAMS, params, sizeof params},
                        {CKA_KEY_TYPE, &kt, sizeof kt}};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, priv, all, 4), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_EQ(all[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(all[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(all[2].ulValueLen, CK_UNAVAILABLE_INFORMATION);  // 2.40: too small says "unavailable"
  EXPECT_EQ(all[3].ulValueLen, sizeof kt);  // the attribute that fits is still answered
  EXPECT_EQ(kt, CKK_EC);

  // Without a sensitive attribute, an unknown type outranks a short buffer.
  CK_ATTRIBUTE no_secret[] = {{CKA_EC_PARAMS, params, sizeof params}, {0x7FFF0000UL, nullptr, 0}};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, pub, no_secret, 2), CKR_ATTRIBUTE_TYPE_INVALID);
  EXPECT_EQ(no_secret[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(no_secret[1].ulValueLen, CK_UNAVAILABLE_INFORMATION);

  // A short buffer alone; a NULL pValue beside it still gets its length.
  CK_ATTRIBUTE short_only[] = {{CKA_EC_PARAMS, params, sizeof params}, {CKA_EC_POINT, nullptr, 0}};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, pub, short_only, 2), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(short_only[0].ulValueLen, CK_UNAVAILABLE_INFORMATION);
  EXPECT_EQ(short_only[1].ulValueLen, 67u);
  EXPECT_EQ(params[0], 0xAA);  // nothing written into a buffer that was too small

  // NULL pValue gives the length; the exact length then fills it.
  CK_ATTRIBUTE q{CKA_EC_PARAMS, nullptr, 0};
  ASSERT_EQ(f_->C_GetAttributeValue(session_, priv, &q, 1), CKR_OK);
  EXPECT_EQ(q.ulValueLen, 10u);  // the P-256 OID
  std::vector<CK_BYTE> oid(q.ulValueLen);
  q.pValue = oid.data();
  ASSERT_EQ(f_->C_GetAttributeValue(session_, priv, &q, 1), CKR_OK);
  EXPECT_EQ(oid[0], 0x06);
  EXPECT_EQ(q.ulValueLen, 10u);

  // The private key's sensitivity attributes, as PKCS#11 §4.9 requires of a sensitive key.
  EXPECT_EQ(bool_attr(f_, session_, priv, CKA_SENSITIVE), CK_TRUE);
  EXPECT_EQ(bool_attr(f_, session_, priv, CKA_EXTRACTABLE), CK_FALSE);
  EXPECT_EQ(bool_attr(f_, session_, priv, CKA_ALWAYS_SENSITIVE), CK_TRUE);
  EXPECT_EQ(bool_attr(f_, session_, priv, CKA_NEVER_EXTRACTABLE), CK_TRUE);
}

// What the token decides cannot be changed (CKR_ATTRIBUTE_READ_ONLY); CKA_LABEL can.
TEST_P(Suite, ReadOnlyAttributesAndLabels) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE kt = CKK_RSA;
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  CK_ATTRIBUTE c{CKA_CLASS, &cls, sizeof cls};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, priv, &c, 1), CKR_ATTRIBUTE_READ_ONLY);
  CK_ATTRIBUTE k{CKA_KEY_TYPE, &kt, sizeof kt};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, pub, &k, 1), CKR_ATTRIBUTE_READ_ONLY);
  CK_ATTRIBUTE local{CKA_LOCAL, &no, 1};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, priv, &local, 1), CKR_ATTRIBUTE_READ_ONLY);
  CK_ATTRIBUTE always{CKA_ALWAYS_SENSITIVE, &yes, 1};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, priv, &always, 1), CKR_ATTRIBUTE_READ_ONLY);
  CK_ATTRIBUTE never{CKA_NEVER_EXTRACTABLE, &no, 1};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, priv, &never, 1), CKR_ATTRIBUTE_READ_ONLY);
  // A template with one read-only attribute changes nothing, not even the label beside it.
  CK_UTF8CHAR first[] = "first", second[] = "second";
  CK_ATTRIBUTE l1{CKA_LABEL, first, 5};
  ASSERT_EQ(f_->C_SetAttributeValue(session_, pub, &l1, 1), CKR_OK);
  CK_ATTRIBUTE mixed[] = {{CKA_LABEL, second, 6}, {CKA_CLASS, &cls, sizeof cls}};
  EXPECT_EQ(f_->C_SetAttributeValue(session_, pub, mixed, 2), CKR_ATTRIBUTE_READ_ONLY);
  char label[32] = {};
  CK_ATTRIBUTE r{CKA_LABEL, label, sizeof label};
  ASSERT_EQ(f_->C_GetAttributeValue(session_, pub, &r, 1), CKR_OK);
  EXPECT_EQ(std::string(label, r.ulValueLen), "first");
  // Search by the new label finds the object.
  CK_ATTRIBUTE by_label{CKA_LABEL, first, 5};
  ASSERT_EQ(f_->C_FindObjectsInit(session_, &by_label, 1), CKR_OK);
  CK_OBJECT_HANDLE found[4];
  CK_ULONG n = 0;
  ASSERT_EQ(f_->C_FindObjects(session_, found, 4, &n), CKR_OK);
  ASSERT_EQ(f_->C_FindObjectsFinal(session_), CKR_OK);
  EXPECT_TRUE(std::find(found, found + n, pub) != found + n);
}

// Sessions and objects draw on handles that never name each other, and a closed session's
// handle stays invalid.
TEST_P(Suite, HandlesAreTypedAndNotReused) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  CK_ATTRIBUTE a{CKA_CLASS, nullptr, 0};
  if (session_ != pub && session_ != priv) {
    EXPECT_EQ(f_->C_GetAttributeValue(session_, session_, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  }
  CK_SESSION_INFO info;
  EXPECT_EQ(f_->C_GetSessionInfo(pub, &info), CKR_SESSION_HANDLE_INVALID);
  CK_SESSION_HANDLE s1, s2;
  ASSERT_EQ(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s1), CKR_OK);
  ASSERT_EQ(f_->C_CloseSession(s1), CKR_OK);
  ASSERT_EQ(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s2), CKR_OK);
  EXPECT_NE(s1, s2);
  EXPECT_EQ(f_->C_GetSessionInfo(s1, &info), CKR_SESSION_HANDLE_INVALID);
  EXPECT_EQ(f_->C_CloseSession(s2), CKR_OK);
}

// PKCS#11 3.0 §4.4: an object whose CKA_COPYABLE is false cannot be copied.
TEST_P(Suite, UncopyableObjectsRefuseCopy) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  CK_BBOOL copyable = CK_TRUE;
  CK_ATTRIBUTE a{CKA_COPYABLE, &copyable, 1};
  if (f_->C_GetAttributeValue(session_, priv, &a, 1) != CKR_OK || copyable != CK_FALSE)
    GTEST_SKIP() << GetParam().name << "'s keys are copyable";
  CK_OBJECT_HANDLE copy = CK_INVALID_HANDLE;
  EXPECT_EQ(f_->C_CopyObject(session_, priv, nullptr, 0, &copy), CKR_ACTION_PROHIBITED);
  EXPECT_EQ(copy, CK_INVALID_HANDLE);
}

// An ECDH secret's CKA_VALUE is revealed only when it is neither sensitive nor unextractable
// (PKCS#11 §4.9), and the secret, a session object, ends with its session.
TEST_P(Suite, DerivedSecretsFollowTheirFlags) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv, true);
  CK_BYTE point[80];
  CK_ATTRIBUTE ep{CKA_EC_POINT, point, sizeof point};
  ASSERT_EQ(f_->C_GetAttributeValue(session_, pub, &ep, 1), CKR_OK);
  // The raw point (04 X Y) inside the DER OCTET STRING: what every module takes.
  CK_ECDH1_DERIVE_PARAMS params{CKD_NULL, 0, nullptr, ep.ulValueLen - 2, point + 2};
  CK_MECHANISM m{CKM_ECDH1_DERIVE, &params, sizeof params};
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
  CK_ULONG len = 32;
  CK_BBOOL yes = CK_TRUE, no = CK_FALSE;
  CK_ATTRIBUTE hidden_t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt},
                             {CKA_VALUE_LEN, &len, sizeof len}, {CKA_SENSITIVE, &yes, 1},
                             {CKA_EXTRACTABLE, &no, 1}};
  CK_ATTRIBUTE open_t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt},
                           {CKA_VALUE_LEN, &len, sizeof len}, {CKA_SENSITIVE, &no, 1},
                           {CKA_EXTRACTABLE, &yes, 1}};
  CK_SESSION_HANDLE s;
  ASSERT_EQ(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION, nullptr, nullptr, &s), CKR_OK);
  CK_OBJECT_HANDLE hidden = CK_INVALID_HANDLE, open = CK_INVALID_HANDLE;
  ASSERT_EQ(f_->C_DeriveKey(s, &m, priv, hidden_t, 5, &hidden), CKR_OK);
  ASSERT_EQ(f_->C_DeriveKey(s, &m, priv, open_t, 5, &open), CKR_OK);
  CK_BYTE v1[32], v2[32];
  CK_ATTRIBUTE a{CKA_VALUE, v1, sizeof v1};
  EXPECT_EQ(f_->C_GetAttributeValue(s, hidden, &a, 1), CKR_ATTRIBUTE_SENSITIVE);
  EXPECT_EQ(a.ulValueLen, CK_UNAVAILABLE_INFORMATION);
  CK_ATTRIBUTE b{CKA_VALUE, v2, sizeof v2};
  EXPECT_EQ(f_->C_GetAttributeValue(s, open, &b, 1), CKR_OK);
  EXPECT_EQ(b.ulValueLen, 32u);
  EXPECT_EQ(bool_attr(f_, s, hidden, CKA_ALWAYS_SENSITIVE), CK_TRUE);
  EXPECT_EQ(bool_attr(f_, s, open, CKA_NEVER_EXTRACTABLE), CK_FALSE);
  EXPECT_EQ(bool_attr(f_, s, open, CKA_TOKEN), CK_FALSE);
  ASSERT_EQ(f_->C_CloseSession(s), CKR_OK);
  CK_ATTRIBUTE c{CKA_CLASS, nullptr, 0};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, open, &c, 1), CKR_OBJECT_HANDLE_INVALID);
}

// pkcs11-tool --usage-derive sets CKA_DERIVE in both templates: both keys then say CKA_DERIVE true
// (a module that dropped it from the public key failed this).
TEST_P(Suite, DeriveInBothTemplatesShowsOnBothKeys) {
  static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  CK_BYTE id[] = {0xE0, 0xF2};
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE pub_t[] = {{CKA_EC_PARAMS, const_cast<CK_BYTE*>(p256), sizeof p256}, {CKA_TOKEN, &yes, 1},
                          {CKA_ID, id, 2}, {CKA_DERIVE, &yes, 1}};
  CK_ATTRIBUTE priv_t[] = {{CKA_TOKEN, &yes, 1}, {CKA_ID, id, 2}, {CKA_DERIVE, &yes, 1}, {CKA_PRIVATE, &yes, 1}};
  CK_MECHANISM m{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  CK_OBJECT_HANDLE pub, priv;
  ASSERT_EQ(f_->C_GenerateKeyPair(session_, &m, pub_t, 4, priv_t, 4, &pub, &priv), CKR_OK);
  EXPECT_EQ(bool_attr(f_, session_, pub, CKA_DERIVE), CK_TRUE);
  EXPECT_EQ(bool_attr(f_, session_, priv, CKA_DERIVE), CK_TRUE);
}

// A peer point that is not on the curve is the caller's mechanism parameter, refused as such (the
// chip's own 0x05 must not surface as CKR_ARGUMENTS_BAD, nor as a device error).
TEST_P(Suite, DeriveWithAPointOffTheCurveIsAParameterError) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv, true);
  CK_BYTE point[65] = {0x04};
  for (std::size_t i = 1; i < sizeof point; ++i) point[i] = 0x01;
  CK_ECDH1_DERIVE_PARAMS params{CKD_NULL, 0, nullptr, sizeof point, point};
  CK_MECHANISM m{CKM_ECDH1_DERIVE, &params, sizeof params};
  CK_OBJECT_CLASS cls = CKO_SECRET_KEY;
  CK_KEY_TYPE kt = CKK_GENERIC_SECRET;
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_KEY_TYPE, &kt, sizeof kt}};
  CK_OBJECT_HANDLE secret = CK_INVALID_HANDLE;
  const CK_RV rv = f_->C_DeriveKey(session_, &m, priv, t, 2, &secret);
  EXPECT_NE(rv, CKR_OK);
  if (GetParam().name == "optiga") {
    EXPECT_EQ(rv, CKR_MECHANISM_PARAM_INVALID);
  }
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

// The certificate's attribute table decides what a C_CreateObject template may say: attributes
// certificates do not have, and values the chip cannot keep, are refused before anything is written.
TEST_P(Suite, CreateTemplateFollowsTheCertificateTable) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "which attributes a certificate template may hold varies";
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_CERTIFICATE_TYPE ct = CKC_X_509;
  CK_BBOOL yes = CK_TRUE;
  CK_BYTE der[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_CERTIFICATE_TYPE, &ct, sizeof ct},
                      {CKA_TOKEN, &yes, 1},           {CKA_VALUE, der, sizeof der},
                      {CKA_SIGN, &yes, 1}};
  CK_OBJECT_HANDLE h;
  EXPECT_EQ(f_->C_CreateObject(session_, t, 5, &h), CKR_ATTRIBUTE_TYPE_INVALID);  // a key attribute
  t[4] = {CKA_PRIVATE, &yes, 1};
  EXPECT_EQ(f_->C_CreateObject(session_, t, 5, &h), CKR_TEMPLATE_INCONSISTENT);  // certificates are public
  t[4] = {CKA_COPYABLE, &yes, 1};
  EXPECT_EQ(f_->C_CreateObject(session_, t, 5, &h), CKR_TEMPLATE_INCONSISTENT);
  EXPECT_EQ(f_->C_CreateObject(session_, t, 4, &h), CKR_ATTRIBUTE_VALUE_INVALID);  // only the bytes are wrong
}

// Handles are never reused in the life of the process: not across C_Finalize/C_Initialize.
TEST_P(Suite, HandlesOutliveReinitialisation) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "PKCS#11 does not require it";
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  const CK_SESSION_HANDLE old_session = session_;
  ASSERT_EQ(f_->C_Finalize(nullptr), CKR_OK);
  ASSERT_EQ(f_->C_Initialize(nullptr), CKR_OK);
  ASSERT_EQ(f_->C_OpenSession(slot_, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &session_), CKR_OK);
  EXPECT_NE(session_, old_session);
  CK_SESSION_INFO info;
  EXPECT_EQ(f_->C_GetSessionInfo(old_session, &info), CKR_SESSION_HANDLE_INVALID);
  CK_ATTRIBUTE a{CKA_CLASS, nullptr, 0};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, pub, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  ASSERT_EQ(f_->C_FindObjectsInit(session_, nullptr, 0), CKR_OK);
  CK_OBJECT_HANDLE found[16];
  CK_ULONG n = 0;
  ASSERT_EQ(f_->C_FindObjects(session_, found, 16, &n), CKR_OK);
  ASSERT_EQ(f_->C_FindObjectsFinal(session_), CKR_OK);
  EXPECT_GT(n, 0u);
  for (CK_ULONG i = 0; i < n; ++i) {
    EXPECT_NE(found[i], pub);
    EXPECT_NE(found[i], priv);
    EXPECT_NE(found[i], session_);
  }
}

// A certificate slot that is erased or rewritten holds a new object: handles of the old one
// name nothing, and the new one gets a handle of its own.
TEST_P(Suite, RewrittenCertificatesGetNewHandles) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "trust anchors need SoftHSM's SO";
  const fs::path der = fs::temp_directory_path() / ("p11anchor-" + std::to_string(getpid()) + ".der");
  const std::string cmd = "openssl req -new -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout /dev/null "
                          "-subj /CN=anchor -days 2 -outform DER -out " + der.string() + " 2>/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::vector<CK_BYTE> bytes(fs::file_size(der));
  std::FILE* in = std::fopen(der.c_str(), "rb");
  ASSERT_NE(in, nullptr);
  ASSERT_EQ(std::fread(bytes.data(), 1, bytes.size(), in), bytes.size());
  std::fclose(in);
  fs::remove(der);
  CK_OBJECT_CLASS cls = CKO_CERTIFICATE;
  CK_CERTIFICATE_TYPE ct = CKC_X_509;
  CK_BBOOL yes = CK_TRUE;
  CK_BYTE id[] = {0xE0, 0xE8};
  CK_ATTRIBUTE t[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_CERTIFICATE_TYPE, &ct, sizeof ct},
                      {CKA_TOKEN, &yes, 1},           {CKA_TRUSTED, &yes, 1},
                      {CKA_ID, id, sizeof id},        {CKA_VALUE, bytes.data(), bytes.size()}};
  CK_OBJECT_HANDLE first, second, third;
  ASSERT_EQ(f_->C_CreateObject(session_, t, 6, &first), CKR_OK);
  EXPECT_EQ(bool_attr(f_, session_, first, CKA_TRUSTED), CK_TRUE);
  ASSERT_EQ(f_->C_CreateObject(session_, t, 6, &second), CKR_OK);  // the same slot, rewritten
  EXPECT_NE(second, first);
  CK_ATTRIBUTE a{CKA_VALUE, nullptr, 0};
  EXPECT_EQ(f_->C_GetAttributeValue(session_, first, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  ASSERT_EQ(f_->C_GetAttributeValue(session_, second, &a, 1), CKR_OK);
  EXPECT_EQ(a.ulValueLen, bytes.size());
  ASSERT_EQ(f_->C_DestroyObject(session_, second), CKR_OK);
  EXPECT_EQ(f_->C_GetAttributeValue(session_, second, &a, 1), CKR_OBJECT_HANDLE_INVALID);
  ASSERT_EQ(f_->C_CreateObject(session_, t, 6, &third), CKR_OK);
  EXPECT_NE(third, second);
  EXPECT_NE(third, first);
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

// CKA_ALLOWED_MECHANISMS is an array of CK_MECHANISM_TYPE; an empty array means "no
// restriction" (PKCS#11 2.40 §4.8), so every module must at least allow what the key does.
std::vector<CK_MECHANISM_TYPE> allowed_of(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE s, CK_OBJECT_HANDLE h) {
  CK_ATTRIBUTE a{CKA_ALLOWED_MECHANISMS, nullptr, 0};
  EXPECT_EQ(f->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
  EXPECT_EQ(a.ulValueLen % sizeof(CK_MECHANISM_TYPE), 0u);
  std::vector<CK_MECHANISM_TYPE> m(a.ulValueLen / sizeof(CK_MECHANISM_TYPE));
  a.pValue = m.data();
  EXPECT_EQ(f->C_GetAttributeValue(s, h, &a, 1), CKR_OK);
  return m;
}

bool has(const std::vector<CK_MECHANISM_TYPE>& v, CK_MECHANISM_TYPE m) {
  return std::find(v.begin(), v.end(), m) != v.end();
}

TEST_P(Suite, AllowedMechanismsAndModifiable) {
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv);
  const auto sign_only = allowed_of(f_, session_, priv);
  if (!sign_only.empty()) {
    EXPECT_TRUE(has(sign_only, CKM_ECDSA));
  }
  // A freshly generated token key may have its attributes changed (CKA_MODIFIABLE default true).
  EXPECT_EQ(bool_attr(f_, session_, priv, CKA_MODIFIABLE), CK_TRUE);
  EXPECT_EQ(bool_attr(f_, session_, pub, CKA_MODIFIABLE), CK_TRUE);
  if (GetParam().name != "optiga") return;
  // Ours lists exactly what the key's usage allows: signing, not key agreement.
  EXPECT_TRUE(has(sign_only, CKM_ECDSA_SHA256));
  EXPECT_FALSE(has(sign_only, CKM_ECDH1_DERIVE));
  EXPECT_EQ(allowed_of(f_, session_, pub), sign_only);
  // The factory key 0xE0F0 can never be changed (its change access condition is Never).
  CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
  CK_BYTE id[] = {0xE0, 0xF0};
  CK_ATTRIBUTE q[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, id, sizeof id}};
  ASSERT_EQ(f_->C_FindObjectsInit(session_, q, 2), CKR_OK);
  CK_OBJECT_HANDLE factory = CK_INVALID_HANDLE;
  CK_ULONG n = 0;
  ASSERT_EQ(f_->C_FindObjects(session_, &factory, 1, &n), CKR_OK);
  ASSERT_EQ(f_->C_FindObjectsFinal(session_), CKR_OK);
  ASSERT_EQ(n, 1u);
  EXPECT_EQ(bool_attr(f_, session_, factory, CKA_MODIFIABLE), CK_FALSE);
  EXPECT_TRUE(has(allowed_of(f_, session_, factory), CKM_ECDSA));
}

TEST_P(Suite, AllowedMechanismsOfADeriveKey) {
  if (GetParam().name != "optiga") GTEST_SKIP() << "SoftHSM leaves CKA_ALLOWED_MECHANISMS empty (no restriction)";
  CK_OBJECT_HANDLE pub, priv;
  generate(pub, priv, true);
  const auto m = allowed_of(f_, session_, priv);
  EXPECT_TRUE(has(m, CKM_ECDH1_DERIVE));
  EXPECT_TRUE(has(m, CKM_ECDSA));
}

// PKCS#11 3.0 §5.4: C_GetInterface is optional; where it exists it must be correct.
TEST_P(Suite, InterfacesOfVersion3AndTwo40) {
  using GetList = CK_RV (*)(CK_INTERFACE_PTR, CK_ULONG_PTR);
  using GetOne = CK_RV (*)(CK_UTF8CHAR_PTR, CK_VERSION_PTR, CK_INTERFACE_PTR_PTR, CK_FLAGS);
  auto get_list = reinterpret_cast<GetList>(dlsym(lib_, "C_GetInterfaceList"));
  auto get_one = reinterpret_cast<GetOne>(dlsym(lib_, "C_GetInterface"));
  if (GetParam().name == "optiga") {
    ASSERT_NE(get_list, nullptr);
    ASSERT_NE(get_one, nullptr);
  } else if (get_list == nullptr || get_one == nullptr) {
    GTEST_SKIP() << GetParam().name << " has no PKCS#11 3.0 interfaces";
  }
  CK_ULONG n = 0;
  ASSERT_EQ(get_list(nullptr, &n), CKR_OK);
  ASSERT_GE(n, 1u);
  CK_ULONG small = 0;
  std::vector<CK_INTERFACE> list(n);
  EXPECT_EQ(get_list(list.data(), &small), CKR_BUFFER_TOO_SMALL);
  EXPECT_EQ(small, n);
  ASSERT_EQ(get_list(list.data(), &n), CKR_OK);
  bool saw_30 = false, saw_240 = false;
  for (const CK_INTERFACE& i : list) {
    if (std::string(reinterpret_cast<const char*>(i.pInterfaceName)) != "PKCS 11") continue;
    const CK_VERSION v = *static_cast<const CK_VERSION*>(i.pFunctionList);
    if (v.major == 3 && v.minor == 0) {
      saw_30 = true;
      auto* f3 = static_cast<CK_FUNCTION_LIST_3_0*>(i.pFunctionList);
      const auto* first = reinterpret_cast<void* const*>(&f3->C_Initialize);
      const auto* last = reinterpret_cast<void* const*>(&f3->C_MessageVerifyFinal);
      EXPECT_EQ(last - first + 1, 92);  // 68 functions of 2.40 + 24 of 3.0
      for (const auto* p = first; p <= last; ++p) EXPECT_NE(*p, nullptr) << "3.0 entry " << (p - first);
      // The 3.0 list drives the same module: it sees our session, and its new entries answer.
      CK_SESSION_INFO info;
      EXPECT_EQ(f3->C_GetSessionInfo(session_, &info), CKR_OK);
      CK_MECHANISM m{CKM_ECDSA, nullptr, 0};
      CK_OBJECT_HANDLE pub, priv;
      generate(pub, priv);
      const CK_RV rv = f3->C_MessageSignInit(session_, &m, priv);
      if (GetParam().name == "optiga") {
        EXPECT_EQ(rv, CKR_FUNCTION_NOT_SUPPORTED);
      }
      ASSERT_EQ(f3->C_SignInit(session_, &m, priv), CKR_OK);
      EXPECT_EQ(f3->C_SessionCancel(session_, CKF_SIGN), CKR_OK);
      CK_BYTE d[32] = {}, sig[64];
      CK_ULONG len = sizeof sig;
      EXPECT_EQ(f3->C_Sign(session_, d, sizeof d, sig, &len), CKR_OPERATION_NOT_INITIALIZED);
    } else if (v.major == 2 && v.minor == 40) {
      saw_240 = true;
      EXPECT_EQ(static_cast<CK_FUNCTION_LIST*>(i.pFunctionList)->C_Sign, f_->C_Sign);
    }
  }
  if (GetParam().name == "optiga") {
    EXPECT_TRUE(saw_30);
    EXPECT_TRUE(saw_240);
  }
  CK_INTERFACE_PTR iface = nullptr;
  CK_UTF8CHAR name[] = "PKCS 11";
  CK_VERSION v30{3, 0}, v240{2, 40}, v99{9, 9};
  if (saw_30) {
    ASSERT_EQ(get_one(name, &v30, &iface, 0), CKR_OK);
    ASSERT_NE(iface, nullptr);
    EXPECT_EQ(static_cast<CK_VERSION*>(iface->pFunctionList)->major, 3);
  }
  if (saw_240) {
    ASSERT_EQ(get_one(name, &v240, &iface, 0), CKR_OK);
    EXPECT_EQ(static_cast<CK_VERSION*>(iface->pFunctionList)->minor, 40);
  }
  ASSERT_EQ(get_one(nullptr, nullptr, &iface, 0), CKR_OK);  // the default interface
  ASSERT_NE(iface, nullptr);
  EXPECT_NE(get_one(name, &v99, &iface, 0), CKR_OK);
  CK_UTF8CHAR other[] = "Vendor X";
  EXPECT_NE(get_one(other, nullptr, &iface, 0), CKR_OK);
  EXPECT_EQ(get_one(name, nullptr, nullptr, 0), CKR_ARGUMENTS_BAD);
  // A forked child must C_Initialize again (PKCS#11 2.40 behaviour, docs/pkcs11.md "fork()"), so
  // the module must not claim 3.0's fork-safe sessions (each process its own copy of the parent's
  // sessions and login state): no interface says so and asking for it finds nothing.
  if (GetParam().name == "optiga") {
    for (const CK_INTERFACE& i : list) EXPECT_EQ(i.flags & CKF_INTERFACE_FORK_SAFE, 0u);
    EXPECT_EQ(get_one(name, nullptr, &iface, CKF_INTERFACE_FORK_SAFE), CKR_ARGUMENTS_BAD);
  }
}

// With user_pin in the configuration file (docs/pkcs11.md, "Login"): the token says so, private
// keys and writes need C_Login, and only the configured PIN logs in. Our module only: SoftHSM's
// PIN lives in its token, which the suite above already covers.
TEST(OptigaLogin, ConfiguredPinGuardsKeysAndWrites) {
  const fs::path module = self_dir() / ".." / "pkcs11" / "optiga-pkcs11.so";
  const fs::path conf = fs::temp_directory_path() / ("p11login-" + std::to_string(getpid()) + ".conf");
  {
    std::FILE* f = std::fopen(conf.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("user_pin = 1234\n", f);
    std::fclose(f);
  }
  setenv("OPTIGA_DEVICE", "sim:", 1);
  setenv("OPTIGA_CONF", conf.c_str(), 1);
  void* lib = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(lib, nullptr) << dlerror();
  auto get = reinterpret_cast<CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR)>(dlsym(lib, "C_GetFunctionList"));
  CK_FUNCTION_LIST_PTR f = nullptr;
  ASSERT_EQ(get(&f), CKR_OK);
  ASSERT_EQ(f->C_Initialize(nullptr), CKR_OK);
  fs::remove(conf);
  CK_SLOT_ID slot = 0;
  CK_ULONG n = 1;
  ASSERT_EQ(f->C_GetSlotList(CK_TRUE, &slot, &n), CKR_OK);
  CK_TOKEN_INFO info;
  ASSERT_EQ(f->C_GetTokenInfo(slot, &info), CKR_OK);
  EXPECT_TRUE(info.flags & CKF_LOGIN_REQUIRED);
  CK_SESSION_HANDLE s;
  ASSERT_EQ(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s), CKR_OK);

  // Before login: no private key is visible and nothing can be written.
  CK_OBJECT_CLASS priv_class = CKO_PRIVATE_KEY;
  CK_ATTRIBUTE by_class{CKA_CLASS, &priv_class, sizeof priv_class};
  auto count_private = [&] {
    CK_OBJECT_HANDLE h[8];
    CK_ULONG found = 0;
    EXPECT_EQ(f->C_FindObjectsInit(s, &by_class, 1), CKR_OK);
    EXPECT_EQ(f->C_FindObjects(s, h, 8, &found), CKR_OK);
    EXPECT_EQ(f->C_FindObjectsFinal(s), CKR_OK);
    return found == 0 ? CK_INVALID_HANDLE : h[0];
  };
  EXPECT_EQ(count_private(), CK_INVALID_HANDLE);
  static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  CK_BYTE id[] = {0xE0, 0xF1};
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE pub_t[] = {{CKA_EC_PARAMS, const_cast<CK_BYTE*>(p256), sizeof p256}, {CKA_ID, id, 2}};
  CK_ATTRIBUTE priv_t[] = {{CKA_ID, id, 2}, {CKA_SIGN, &yes, 1}};
  CK_MECHANISM gen{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  CK_OBJECT_HANDLE pub = CK_INVALID_HANDLE, priv = CK_INVALID_HANDLE;
  EXPECT_EQ(f->C_GenerateKeyPair(s, &gen, pub_t, 2, priv_t, 2, &pub, &priv), CKR_USER_NOT_LOGGED_IN);

  CK_UTF8CHAR wrong[] = "0000", right[] = "1234";
  EXPECT_EQ(f->C_Login(s, CKU_USER, wrong, 4), CKR_PIN_INCORRECT);
  EXPECT_EQ(count_private(), CK_INVALID_HANDLE);
  ASSERT_EQ(f->C_Login(s, CKU_USER, right, 4), CKR_OK);
  ASSERT_NE(count_private(), CK_INVALID_HANDLE);
  ASSERT_EQ(f->C_GenerateKeyPair(s, &gen, pub_t, 2, priv_t, 2, &pub, &priv), CKR_OK);
  EXPECT_EQ(bool_attr(f, s, priv, CKA_PRIVATE), CK_TRUE);
  CK_MECHANISM ecdsa{CKM_ECDSA, nullptr, 0};
  CK_BYTE digest[32] = {9}, sig[64];
  CK_ULONG len = sizeof sig;
  ASSERT_EQ(f->C_SignInit(s, &ecdsa, priv), CKR_OK);
  EXPECT_EQ(f->C_Sign(s, digest, sizeof digest, sig, &len), CKR_OK);

  // After logout the handle the application kept no longer signs, and writes are refused.
  ASSERT_EQ(f->C_Logout(s), CKR_OK);
  EXPECT_EQ(f->C_SignInit(s, &ecdsa, priv), CKR_USER_NOT_LOGGED_IN);
  CK_UTF8CHAR label[] = "renamed";
  CK_ATTRIBUTE l{CKA_LABEL, label, 7};
  EXPECT_EQ(f->C_SetAttributeValue(s, pub, &l, 1), CKR_USER_NOT_LOGGED_IN);
  CK_OBJECT_CLASS cert_class = CKO_CERTIFICATE;
  CK_CERTIFICATE_TYPE ct = CKC_X_509;
  CK_BYTE der[] = {0x30, 0x03, 0x02, 0x01, 0x01};
  CK_ATTRIBUTE cert_t[] = {{CKA_CLASS, &cert_class, sizeof cert_class}, {CKA_CERTIFICATE_TYPE, &ct, sizeof ct},
                           {CKA_TOKEN, &yes, 1}, {CKA_ID, id, 2}, {CKA_VALUE, der, sizeof der}};
  CK_OBJECT_HANDLE cert;
  EXPECT_EQ(f->C_CreateObject(s, cert_t, 5, &cert), CKR_USER_NOT_LOGGED_IN);
  EXPECT_EQ(f->C_Finalize(nullptr), CKR_OK);
  setenv("OPTIGA_CONF", "/dev/null", 1);
}

std::vector<ModuleUnderTest> modules() {
  if (const char* m = std::getenv("OPTIGA_P11_MODULE")) return {{"custom", m}};
  return {{"optiga", (self_dir() / ".." / "pkcs11" / "optiga-pkcs11.so").string()},
          {"softhsm", "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"}};
}

INSTANTIATE_TEST_SUITE_P(Modules, Suite, ::testing::ValuesIn(modules()),
                         [](const auto& info) { return info.param.name; });

}  // namespace
