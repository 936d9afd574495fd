// A long-running PKCS#11 signer for tests/shell/pkcs11_sharing.sh: like an MQTT client that
// holds its session open for hours, it signs with one key at a fixed interval and reports every
// failure and the longest single signature, so the test can show that other processes get the
// chip in between (the module locks per operation, never per session).
//   p11_signer <module.so> <key id hex, e.g. e0f1> <interval ms> <duration s>
#include <dlfcn.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pkcs11/ck.h"  // the header only; the module is dlopen()ed like any client would

namespace {

using Clock = std::chrono::steady_clock;

struct Closer {
  void operator()(void* lib) const { dlclose(lib); }
};

std::vector<CK_BYTE> from_hex(const std::string& hex) {
  std::vector<CK_BYTE> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<CK_BYTE>(std::stoul(hex.substr(i, 2), nullptr, 16)));
  return out;
}

int run(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: %s <module> <key id hex> <interval ms> <duration s>\n", argv[0]);
    return 2;
  }
  std::unique_ptr<void, Closer> lib(dlopen(argv[1], RTLD_NOW | RTLD_LOCAL));
  if (!lib) {
    std::fprintf(stderr, "dlopen: %s\n", dlerror());
    return 1;
  }
  auto get = reinterpret_cast<CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR)>(dlsym(lib.get(), "C_GetFunctionList"));
  CK_FUNCTION_LIST_PTR f = nullptr;
  if (get == nullptr || get(&f) != CKR_OK) return 1;
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  if (CK_RV rv = f->C_Initialize(&args); rv != CKR_OK) {
    std::fprintf(stderr, "C_Initialize: 0x%lx\n", rv);
    return 1;
  }
  CK_SLOT_ID slot = 0;
  CK_ULONG n = 1;
  CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
  if (f->C_GetSlotList(CK_TRUE, &slot, &n) != CKR_OK || n == 0 ||
      f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &s) != CKR_OK) {
    std::fprintf(stderr, "no slot or session\n");
    return 1;
  }
  CK_OBJECT_CLASS cls = CKO_PRIVATE_KEY;
  std::vector<CK_BYTE> id = from_hex(argv[2]);
  CK_ATTRIBUTE q[] = {{CKA_CLASS, &cls, sizeof cls}, {CKA_ID, id.data(), id.size()}};
  CK_OBJECT_HANDLE key = CK_INVALID_HANDLE;
  n = 0;
  if (f->C_FindObjectsInit(s, q, 2) != CKR_OK || f->C_FindObjects(s, &key, 1, &n) != CKR_OK ||
      f->C_FindObjectsFinal(s) != CKR_OK || n != 1) {
    std::fprintf(stderr, "key %s not found\n", argv[2]);
    return 1;
  }
  const auto interval = std::chrono::milliseconds(std::atoi(argv[3]));
  const auto end = Clock::now() + std::chrono::seconds(std::atoi(argv[4]));
  long done = 0, failed = 0;
  Clock::duration longest{};
  for (auto next = Clock::now(); Clock::now() < end; next += interval) {
    CK_MECHANISM m{CKM_ECDSA, nullptr, 0};
    CK_BYTE digest[32] = {static_cast<CK_BYTE>(done), 0x42};
    CK_BYTE sig[132];
    CK_ULONG len = sizeof sig;
    const auto t0 = Clock::now();
    CK_RV rv = f->C_SignInit(s, &m, key);
    if (rv == CKR_OK) rv = f->C_Sign(s, digest, sizeof digest, sig, &len);
    longest = std::max(longest, Clock::now() - t0);
    if (rv == CKR_OK) {
      ++done;
    } else {
      ++failed;
      std::fprintf(stderr, "signature %ld failed: 0x%lx\n", done + failed, rv);
    }
    std::this_thread::sleep_until(next + interval);
  }
  f->C_CloseSession(s);
  f->C_Finalize(nullptr);
  std::printf("signer: %ld signatures, %ld failed, longest %.1f ms\n", done, failed,
              std::chrono::duration<double, std::milli>(longest).count());
  return failed == 0 && done > 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) { return run(argc, argv); }
