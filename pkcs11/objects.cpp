#include "pkcs11/objects.h"

#include "pkcs11/errors.h"

namespace optiga::pkcs11 {

using Kind = ObjectKey::Kind;

void require_write(const Session& s, const Slot& slot) {
  if (!s.read_write()) fail(CKR_SESSION_READ_ONLY);
  if (!slot.user_authorised()) fail(CKR_USER_NOT_LOGGED_IN);
}

std::string label_of(Slot& slot, std::uint16_t oid, const std::string& fallback) {
  return slot.labels().label(oid).value_or(fallback);
}

std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> visible_objects(ModuleContext& ctx, Slot& slot,
                                                                     CK_SLOT_ID slot_id) {
  (void)slot_id;  // one token per slot: session objects belong to the application's only slot
  std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> out;
  token::Token& token = slot.token();
  for (const auto& k : token.keys()) {
    if (slot.user_authorised()) {
      ObjectView v{{Kind::private_key, k.oid, 0, 0}, k, std::nullopt, nullptr, std::nullopt, nullptr};
      out.emplace_back(ctx.handle_for(v.key), v);
    }
    ObjectView p{{Kind::public_key, k.oid, 0, 0}, k, std::nullopt, nullptr, std::nullopt, nullptr};
    out.emplace_back(ctx.handle_for(p.key), p);
  }
  for (const auto& c : token.certificates()) {
    ObjectView v{{Kind::certificate, c.oid, c.chain_index, 0}, std::nullopt, c, nullptr, std::nullopt, nullptr};
    out.emplace_back(ctx.handle_for(v.key), v);
  }
  // Private data objects, like private keys, only once the user is authorised.
  for (auto& d : slot.data_objects().objects()) {
    if (d.object.is_private && !slot.user_authorised()) continue;
    ObjectView v{{Kind::data, d.oid, 0, 0}, std::nullopt, std::nullopt, nullptr, std::nullopt, nullptr};
    v.data = std::move(d.object);
    out.emplace_back(ctx.handle_for(v.key), v);
  }
  for (const auto handle : ctx.session_data_objects()) {
    ObjectView v{{Kind::session_data, 0, 0, handle}, std::nullopt, std::nullopt, nullptr, std::nullopt, nullptr};
    v.session_data = ctx.session_data(v.key);
    if (v.session_data->data.is_private && !slot.user_authorised()) continue;
    out.emplace_back(handle, v);
  }
  for (const auto handle : ctx.secrets()) {
    ObjectView v{{Kind::secret, 0, 0, handle}, std::nullopt, std::nullopt, nullptr, std::nullopt, nullptr};
    v.secret = ctx.secret(v.key);
    out.emplace_back(handle, v);
  }
  return out;
}

std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> visible_key_objects(ModuleContext& ctx, Slot& slot,
                                                                         std::uint16_t oid) {
  std::vector<std::pair<CK_OBJECT_HANDLE, ObjectView>> out;
  const auto k = slot.token().key(oid);
  if (!k) return out;
  if (slot.user_authorised()) {
    ObjectView v{{Kind::private_key, k->oid, 0, 0}, *k, std::nullopt, nullptr, std::nullopt, nullptr};
    out.emplace_back(ctx.handle_for(v.key), v);
  }
  ObjectView p{{Kind::public_key, k->oid, 0, 0}, *k, std::nullopt, nullptr, std::nullopt, nullptr};
  out.emplace_back(ctx.handle_for(p.key), p);
  return out;
}

ObjectView resolve(ModuleContext& ctx, Slot& slot, CK_OBJECT_HANDLE handle) {
  const auto key = ctx.key_for(handle);
  if (!key) fail(CKR_OBJECT_HANDLE_INVALID);
  ObjectView v{*key, std::nullopt, std::nullopt, nullptr, std::nullopt, nullptr};
  switch (key->kind) {
    case Kind::private_key:
      if (!slot.user_authorised()) fail(CKR_OBJECT_HANDLE_INVALID, "private key needs login");
      [[fallthrough]];
    case Kind::public_key:
      v.key_object = slot.token().key(key->oid);
      if (!v.key_object) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
    case Kind::certificate: {
      const auto certs = slot.token().certificates_in(key->oid);
      for (const auto& c : certs)
        if (c.chain_index == key->chain_index) v.certificate = c;
      if (!v.certificate) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
    }
    case Kind::secret:
      v.secret = ctx.secret(*key);
      if (v.secret == nullptr) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
    case Kind::data:
      v.data = slot.data_objects().object(key->oid);
      if (!v.data) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
    case Kind::session_data:
      v.session_data = ctx.session_data(*key);
      if (v.session_data == nullptr) fail(CKR_OBJECT_HANDLE_INVALID);
      break;
  }
  if (const auto* d = v.data_object(); d && d->is_private && !slot.user_authorised())
    fail(CKR_OBJECT_HANDLE_INVALID, "private data object needs login");
  return v;
}

}  // namespace optiga::pkcs11
