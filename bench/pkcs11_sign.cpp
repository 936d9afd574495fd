// Signatures per second through the PKCS#11 function list: our module on an emulated Trust M V3
// (in-memory, chip timing off) and SoftHSM2 (token in a temp dir), the same harness in the same
// run. Our host-side CPU per signature is the process CPU time per C_SignInit+C_Sign minus the
// cost of one bare OpenSSL P-256 ECDSA signature (what the in-process emulator spends on its own
// crypto), printed next to the modelled chip time of one signature (65 ms, spec §9.2).
//   bench_pkcs11_sign [signatures per module, default 300]
#include <dlfcn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "pkcs11/ck.h"  // the header only; both modules are dlopen()ed

#include "core/util/openssl_ptr.h"

namespace {

namespace fs = std::filesystem;
constexpr double kModelledChipSignMs = 65.0;  // CalcSign P-256 on Trust M V3 (docs/emulated-chip.md)

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
double wall_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void check(CK_RV rv, const char* what) {
  if (rv != CKR_OK) throw std::runtime_error(std::string(what) + " failed: 0x" + std::to_string(rv));
}

struct Result {
  double per_second = 0;
  double cpu_ms_per_sig = 0;
};

// Generates a P-256 key on the module's first token and times `count` CKM_ECDSA signatures.
Result run_module(const std::string& path, const char* pin, int count) {
  void* lib = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) throw std::runtime_error(std::string("dlopen: ") + dlerror());
  // Kept loaded on purpose: modules must survive process exit, and unloading SoftHSM while its
  // OpenSSL state is registered has crashed in the past.
  auto get = reinterpret_cast<CK_RV (*)(CK_FUNCTION_LIST_PTR_PTR)>(dlsym(lib, "C_GetFunctionList"));
  if (get == nullptr) throw std::runtime_error("no C_GetFunctionList in " + path);
  CK_FUNCTION_LIST_PTR f = nullptr;
  check(get(&f), "C_GetFunctionList");
  CK_C_INITIALIZE_ARGS args{};
  args.flags = CKF_OS_LOCKING_OK;
  check(f->C_Initialize(&args), "C_Initialize");
  // The first slot whose token is initialised (SoftHSM2 also lists an empty slot for a new token).
  CK_ULONG n = 0;
  check(f->C_GetSlotList(CK_TRUE, nullptr, &n), "C_GetSlotList");
  std::vector<CK_SLOT_ID> slots(n);
  check(f->C_GetSlotList(CK_TRUE, slots.data(), &n), "C_GetSlotList");
  CK_SLOT_ID slot = slots.empty() ? 0 : slots[0];
  for (CK_ULONG i = 0; i < n; ++i) {
    CK_TOKEN_INFO info{};
    if (f->C_GetTokenInfo(slots[i], &info) == CKR_OK && (info.flags & CKF_TOKEN_INITIALIZED)) {
      slot = slots[i];
      break;
    }
  }
  CK_SESSION_HANDLE s = CK_INVALID_HANDLE;
  check(f->C_OpenSession(slot, CKF_SERIAL_SESSION | CKF_RW_SESSION, nullptr, nullptr, &s), "C_OpenSession");
  check(f->C_Login(s, CKU_USER, reinterpret_cast<CK_UTF8CHAR_PTR>(const_cast<char*>(pin)), 4), "C_Login");
  static const CK_BYTE p256[] = {0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07};
  CK_BYTE id[] = {0xE0, 0xF1};
  CK_BBOOL yes = CK_TRUE;
  CK_ATTRIBUTE pub_t[] = {{CKA_EC_PARAMS, const_cast<CK_BYTE*>(p256), sizeof p256},
                          {CKA_TOKEN, &yes, 1},
                          {CKA_ID, id, 2},
                          {CKA_VERIFY, &yes, 1}};
  CK_ATTRIBUTE priv_t[] = {{CKA_TOKEN, &yes, 1}, {CKA_ID, id, 2}, {CKA_SIGN, &yes, 1}, {CKA_PRIVATE, &yes, 1}};
  CK_MECHANISM gen{CKM_EC_KEY_PAIR_GEN, nullptr, 0};
  CK_OBJECT_HANDLE pub, priv;
  check(f->C_GenerateKeyPair(s, &gen, pub_t, 4, priv_t, 4, &pub, &priv), "C_GenerateKeyPair");

  CK_MECHANISM m{CKM_ECDSA, nullptr, 0};
  CK_BYTE digest[32] = {1, 2, 3};
  CK_BYTE sig[64];
  // One untimed signature: first-use costs (chip open, caches) are not per-signature costs.
  CK_ULONG len = sizeof sig;
  check(f->C_SignInit(s, &m, priv), "C_SignInit");
  check(f->C_Sign(s, digest, sizeof digest, sig, &len), "C_Sign");
  const double w0 = wall_seconds(), c0 = cpu_seconds();
  for (int i = 0; i < count; ++i) {
    digest[0] = static_cast<CK_BYTE>(i);
    len = sizeof sig;
    check(f->C_SignInit(s, &m, priv), "C_SignInit");
    check(f->C_Sign(s, digest, sizeof digest, sig, &len), "C_Sign");
  }
  const double wall = wall_seconds() - w0, cpu = cpu_seconds() - c0;
  f->C_CloseSession(s);
  f->C_Finalize(nullptr);
  return {count / wall, cpu * 1000.0 / count};
}

// CPU time of one bare P-256 ECDSA signature with OpenSSL: what the emulator spends per CalcSign.
double bare_openssl_sign_ms(int count) {
  optiga::PkeyPtr key(EVP_EC_gen("P-256"));
  optiga::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key.get(), nullptr));
  if (!key || !ctx || EVP_PKEY_sign_init(ctx.get()) != 1) throw std::runtime_error("OpenSSL ECDSA setup failed");
  unsigned char digest[32] = {7}, sig[80];
  const double c0 = cpu_seconds();
  for (int i = 0; i < count; ++i) {
    digest[0] = static_cast<unsigned char>(i);
    size_t len = sizeof sig;
    if (EVP_PKEY_sign(ctx.get(), sig, &len, digest, sizeof digest) != 1) throw std::runtime_error("EVP_PKEY_sign");
  }
  return (cpu_seconds() - c0) * 1000.0 / count;
}

// SoftHSM2 with one token in a fresh directory; returns false when it is not installed.
bool prepare_softhsm(const fs::path& dir) {
  fs::create_directories(dir / "tokens");
  const fs::path conf = dir / "softhsm2.conf";
  std::FILE* f = std::fopen(conf.c_str(), "w");
  if (f == nullptr) return false;
  std::fprintf(f, "directories.tokendir = %s\nobjectstore.backend = file\n", (dir / "tokens").c_str());
  std::fclose(f);
  setenv("SOFTHSM2_CONF", conf.c_str(), 1);
  return std::system("softhsm2-util --init-token --free --label bench --pin 1234 --so-pin 000000 >/dev/null 2>&1") == 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int count = argc > 1 ? std::max(10, std::atoi(argv[1])) : 300;
  const fs::path self = fs::read_symlink("/proc/self/exe").parent_path();
  const std::string ours = (self / ".." / "pkcs11" / "optiga-pkcs11.so").string();
  const std::string softhsm = "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so";
  const fs::path tmp = fs::temp_directory_path() / ("bench-p11-" + std::to_string(getpid()));
  try {
    setenv("OPTIGA_DEVICE", "sim:?timing=off", 1);  // in-memory emulated Trust M V3, no modelled latency
    setenv("OPTIGA_CONF", "/dev/null", 1);
    const Result o = run_module(ours, "1234", count);
    const double bare = bare_openssl_sign_ms(count);
    const double host = o.cpu_ms_per_sig - bare;
    std::printf("signatures: %d per module, CKM_ECDSA on P-256, C_SignInit+C_Sign each\n", count);
    std::printf("optiga module (emulator, timing off): %8.1f sig/s, CPU %.3f ms/sig\n", o.per_second, o.cpu_ms_per_sig);
    std::printf("bare OpenSSL P-256 ECDSA sign (the emulator's crypto): %.3f ms\n", bare);
    std::printf("our host-side CPU per signature: %.3f ms (module + protocol stack + emulator framing)\n", host);
    std::printf("modelled chip time per signature (Trust M V3, spec 9.2): %.1f ms\n", kModelledChipSignMs);
    std::printf("ratio host CPU / chip time: %.4f (host overhead %.2f%% of a real signature)\n",
                host / kModelledChipSignMs, 100.0 * host / (host + kModelledChipSignMs));
    std::printf("on the real chip: at most %.1f sig/s\n", 1000.0 / (kModelledChipSignMs + host));
    if (prepare_softhsm(tmp)) {
      const Result h = run_module(softhsm, "1234", count);
      std::printf("SoftHSM2:                             %8.1f sig/s, CPU %.3f ms/sig\n", h.per_second,
                  h.cpu_ms_per_sig);
      std::printf("ratio optiga module / SoftHSM2 (sig/s): %.3f\n", o.per_second / h.per_second);
    } else {
      std::printf("SoftHSM2: not available (softhsm2-util failed)\n");
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_pkcs11_sign: %s\n", e.what());
    fs::remove_all(tmp);
    return 1;
  }
  fs::remove_all(tmp);
  return 0;
}
