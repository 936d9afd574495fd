// A PKCS#11 session: its slot, flags and the operations it has running (operations.h).
#pragma once

#include <optional>

#include "pkcs11/ck.h"
#include "pkcs11/operations.h"

namespace optiga::pkcs11 {

struct Session {
  CK_SLOT_ID slot = 0;
  CK_FLAGS flags = 0;
  std::optional<FindOperation> find;
  std::optional<SignOperation> sign;
  std::optional<SignOperation> verify;
  std::optional<DigestOperation> digest;
  bool read_write() const { return (flags & CKF_RW_SESSION) != 0; }
};

}  // namespace optiga::pkcs11
