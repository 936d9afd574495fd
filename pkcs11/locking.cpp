#include "pkcs11/locking.h"

#include "pkcs11/errors.h"

namespace optiga::pkcs11 {
namespace {

class OsLock final : public CallLock {
 public:
  void lock() override { mutex_.lock(); }
  void unlock() override { mutex_.unlock(); }

 private:
  std::mutex mutex_;
};

class AppLock final : public CallLock {
 public:
  explicit AppLock(const CK_C_INITIALIZE_ARGS& args) : args_(args) {
    if (args_.CreateMutex(&mutex_) != CKR_OK) fail(CKR_CANT_LOCK, "the application's CreateMutex failed");
  }
  ~AppLock() override { args_.DestroyMutex(mutex_); }
  void lock() override {
    if (args_.LockMutex(mutex_) != CKR_OK) fail(CKR_CANT_LOCK, "the application's LockMutex failed");
  }
  void unlock() override { args_.UnlockMutex(mutex_); }

 private:
  CK_C_INITIALIZE_ARGS args_;
  CK_VOID_PTR mutex_ = nullptr;
};

}  // namespace

std::unique_ptr<CallLock> make_call_lock(const CK_C_INITIALIZE_ARGS* args) {
  if (args == nullptr) return std::make_unique<OsLock>();
  if (args->pReserved != nullptr) fail(CKR_ARGUMENTS_BAD, "CK_C_INITIALIZE_ARGS.pReserved must be NULL");
  const int given = (args->CreateMutex != nullptr) + (args->DestroyMutex != nullptr) + (args->LockMutex != nullptr) +
                    (args->UnlockMutex != nullptr);
  if (given != 0 && given != 4) fail(CKR_ARGUMENTS_BAD, "mutex callbacks must be given all four or none");
  if (given == 4 && !(args->flags & CKF_OS_LOCKING_OK)) return std::make_unique<AppLock>(*args);
  return std::make_unique<OsLock>();
}

}  // namespace optiga::pkcs11
