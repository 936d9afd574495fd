// The lock every call takes, as C_Initialize asked for it (PKCS#11 §5.4 CK_C_INITIALIZE_ARGS):
// the application's mutex callbacks when it supplied them without CKF_OS_LOCKING_OK, otherwise
// an OS mutex.
#pragma once

#include <memory>
#include <mutex>

#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

class CallLock {
 public:
  virtual ~CallLock() = default;
  virtual void lock() = 0;
  virtual void unlock() = 0;
};

// Validates the arguments (CKR_ARGUMENTS_BAD / CKR_CANT_LOCK) and builds the lock.
std::unique_ptr<CallLock> make_call_lock(const CK_C_INITIALIZE_ARGS* args);

}  // namespace optiga::pkcs11
