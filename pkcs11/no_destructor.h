// Storage for the module's one global state that is constructed on first use and never
// destroyed: a PKCS#11 module must survive process exit without C_Finalize, and a destructor
// running from exit() could free OpenSSL objects after OpenSSL's own atexit cleanup, or while
// another thread is still inside a call.
#pragma once

#include <new>
#include <utility>

namespace optiga::pkcs11 {

template <typename T>
class NoDestructor {
 public:
  template <typename... Args>
  explicit NoDestructor(Args&&... args) {
    new (storage_) T(std::forward<Args>(args)...);
  }
  NoDestructor(const NoDestructor&) = delete;
  NoDestructor& operator=(const NoDestructor&) = delete;
  T& get() { return *std::launder(reinterpret_cast<T*>(storage_)); }

 private:
  alignas(T) unsigned char storage_[sizeof(T)];
};

}  // namespace optiga::pkcs11
