// What an object handle stands for: a chip object (named by its slot, so it keeps its handle
// for the life of the context) or a session object the module holds in memory (an ECDH secret
// or a data object).
#pragma once

#include <compare>
#include <cstdint>
#include <string>

#include "core/token/data_objects.h"
#include "core/util/bytes.h"
#include "pkcs11/ck.h"

namespace optiga::pkcs11 {

struct ObjectKey {
  // data: a data object on the chip (oid: its chip object); session_data: one in memory.
  enum class Kind { private_key, public_key, certificate, secret, data, session_data };
  Kind kind = Kind::private_key;
  std::uint16_t oid = 0;
  std::size_t chain_index = 0;
  std::uint64_t serial = 0;  // session objects: their own handle
  auto operator<=>(const ObjectKey&) const = default;
};

// A session object: the result of C_DeriveKey.
struct SecretKeyObject {
  Bytes value;
  CK_KEY_TYPE key_type = CKK_GENERIC_SECRET;
  bool sensitive = true;
  bool extractable = false;
  std::string label;
  Bytes id;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
};

// A session data object (CKO_DATA with CKA_TOKEN false): gone with the session that made it.
struct SessionDataObject {
  token::DataObject data;
  CK_SESSION_HANDLE session = CK_INVALID_HANDLE;
};

}  // namespace optiga::pkcs11
