// The objects a session sees (architecture, "The chip as a token"): which exist, what a handle
// names, and the few values their attribute tables (attribute_rules.h) take from the chip.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pkcs11/context.h"

namespace optiga::pkcs11 {

struct ObjectView {
  ObjectKey key;
  std::optional<token::KeyObject> key_object;        // private and public keys
  std::optional<token::CertificateObject> certificate;
  SecretKeyObject* secret = nullptr;                  // session objects
  std::optional<token::DataObject> data;             // data objects on the chip (as read)
  SessionDataObject* session_data = nullptr;          // data objects in memory
  // A data object's attributes, wherever it lives.
  const token::DataObject* data_object() const { return session_data ? &session_data->data : data ? &*data : nullptr; }
};

// Every object the application may see now (private keys only when the user is authorised).
std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> visible_objects(ModuleContext& ctx, Slot& slot, CK_SLOT_ID slot_id);
// The private and public key objects of one key slot the application may see now (none when the
// slot holds no key): a search by CKA_ID reads that slot only, not the whole token.
std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> visible_key_objects(ModuleContext& ctx, Slot& slot,
                                                                         std::uint16_t oid);
// CKR_OBJECT_HANDLE_INVALID when the handle names nothing this session may see.
ObjectView resolve(ModuleContext& ctx, Slot& slot, CK_OBJECT_HANDLE handle);

// The label a chip object shows: the stored one (token_labels.h) or its default.
std::string label_of(Slot& slot, std::uint16_t oid, const std::string& fallback);

// Token writes need a read/write session and, with a PIN configured, a logged-in user.
void require_write(const Session& s, const Slot& slot);

}  // namespace optiga::pkcs11
