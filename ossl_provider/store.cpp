// STORE for the optiga: scheme. optiga:0xE0F1 names a key slot (yields the key, by reference:
// the private key stays in the chip), optiga:0xE0E1 a certificate or trust-anchor slot (yields
// every certificate stored there, a chain member by member).
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/params.h>
#include <openssl/store.h>

#include <cctype>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "ossl_provider/algorithms.h"
#include "ossl_provider/key.h"

namespace optiga::provider {
namespace {

struct StoreContext {
  ProviderContext* ctx = nullptr;
  std::uint16_t slot = 0;
  int expect = 0;  // OSSL_STORE_INFO_* the caller wants, 0 = anything
  bool opened = false;
  // What is left to hand out: a key reference or certificate DER.
  std::deque<std::variant<KeyReference, Bytes>> pending;
};

// "optiga:0xE0F1" / "optiga:E0F1" → "0xE0F1"; the scheme is case-insensitive.
std::optional<std::string> slot_part(std::string_view uri) {
  constexpr std::string_view scheme = "optiga:";
  if (uri.size() <= scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(uri[i])) != scheme[i]) return std::nullopt;
  std::string_view rest = uri.substr(scheme.size());
  if (rest.starts_with("//")) rest.remove_prefix(2);
  if (rest.empty()) return std::nullopt;
  return std::string(rest);
}

bool fill(StoreContext& sc) {
  ProviderContext* ctx = sc.ctx;
  token::SlotKind kind{};
  std::vector<token::CertificateObject> certificates;
  std::optional<token::KeyObject> key;
  const std::string name = "slot " + slot_text(sc.slot);
  const bool ok = ctx->with_token("", [&](token::Token& t) {
    kind = *t.slot_kind(sc.slot);
    if (kind == token::SlotKind::ecc_key || kind == token::SlotKind::rsa_key) {
      key = t.key(sc.slot);
      // A caller that wants certificates from a key slot gets the key's certificate.
      if (sc.expect == OSSL_STORE_INFO_CERT)
        if (auto cert = token::paired_certificate_slot(sc.slot)) certificates = t.certificates_in(*cert);
    } else {
      certificates = t.certificates_in(sc.slot);
    }
  });
  if (!ok) return false;
  if (kind == token::SlotKind::rsa_key) {
    OPTIGA_RAISE(ctx, reason_not_supported, name + " holds an RSA key: the provider supports ECC keys only");
    return false;
  }
  if (kind == token::SlotKind::ecc_key && sc.expect != OSSL_STORE_INFO_CERT) {
    if (!key) {
      OPTIGA_RAISE(ctx, reason_slot_empty,
                   name + " is empty: generate a key first (openssl genpkey -provider optiga -algorithm EC "
                   "-pkeyopt group:P-256 -pkeyopt optiga-slot:" + slot_text(sc.slot) + " -out key.ref)");
      return false;
    }
    KeyReference ref;
    ref.magic = KeyReference::expected_magic;
    ref.slot = sc.slot;
    ref.ctx = ctx;
    sc.pending.emplace_back(ref);
    return true;
  }
  if (certificates.empty()) {
    OPTIGA_RAISE(ctx, reason_slot_empty,
                 name + " holds no certificate: write one first (pkcs11-tool --write-object cert.der --type cert "
                 "--label " + token::oid_label(sc.slot) + ")");
    return false;
  }
  for (auto& c : certificates) sc.pending.emplace_back(std::move(c.der));
  return true;
}

void* store_open(void* provctx, const char* uri) {
  auto* ctx = static_cast<ProviderContext*>(provctx);
  const auto text = slot_part(uri != nullptr ? uri : "");
  if (!text) {
    OPTIGA_RAISE(ctx, reason_bad_uri, std::string("'") + (uri ? uri : "") +
                                          "' is not an optiga: URI: write optiga:0xE0F1 (a key) or optiga:0xE0E1 (a certificate)");
    return nullptr;
  }
  auto sc = std::make_unique<StoreContext>();
  sc->ctx = ctx;
  // Parsing needs the chip's model, so an absent chip shows up here: name the slot in that error.
  bool parsed = ctx->with_token("slot " + *text, [&](token::Token& t) { sc->slot = t.parse_slot(*text).oid; });
  if (!parsed) return nullptr;
  return sc.release();  // owned by the core until store_close()
}

const OSSL_PARAM* store_settable_ctx_params(void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_int(OSSL_STORE_PARAM_EXPECT, nullptr),
                                      OSSL_PARAM_utf8_string(OSSL_STORE_PARAM_PROPERTIES, nullptr, 0),
                                      OSSL_PARAM_END};
  return params;
}

int store_set_ctx_params(void* loaderctx, const OSSL_PARAM params[]) {
  auto* sc = static_cast<StoreContext*>(loaderctx);
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_STORE_PARAM_EXPECT);
  if (p != nullptr && !OSSL_PARAM_get_int(p, &sc->expect)) return 0;
  return 1;
}

int store_load(void* loaderctx, OSSL_CALLBACK* object_cb, void* object_cbarg, OSSL_PASSPHRASE_CALLBACK*, void*) {
  auto* sc = static_cast<StoreContext*>(loaderctx);
  if (!sc->opened) {
    sc->opened = true;
    if (!fill(*sc)) return 0;
  }
  if (sc->pending.empty()) return 0;
  auto item = std::move(sc->pending.front());
  sc->pending.pop_front();
  int type = 0;
  OSSL_PARAM params[4];
  if (auto* ref = std::get_if<KeyReference>(&item)) {
    type = OSSL_OBJECT_PKEY;
    params[0] = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type);
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE, const_cast<char*>("EC"), 0);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE, ref, sizeof(*ref));
  } else {
    auto& der = std::get<Bytes>(item);
    type = OSSL_OBJECT_CERT;
    params[0] = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type);
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA, der.data(), der.size());
    params[2] = OSSL_PARAM_construct_end();
  }
  params[3] = OSSL_PARAM_construct_end();
  return object_cb(params, object_cbarg);
}

int store_eof(void* loaderctx) {
  auto* sc = static_cast<StoreContext*>(loaderctx);
  return sc->opened && sc->pending.empty();
}

int store_close(void* loaderctx) {
  delete static_cast<StoreContext*>(loaderctx);
  return 1;
}

}  // namespace

const OSSL_DISPATCH store_functions[] = {
    {OSSL_FUNC_STORE_OPEN, reinterpret_cast<void (*)()>(store_open)},
    {OSSL_FUNC_STORE_SETTABLE_CTX_PARAMS, reinterpret_cast<void (*)()>(store_settable_ctx_params)},
    {OSSL_FUNC_STORE_SET_CTX_PARAMS, reinterpret_cast<void (*)()>(store_set_ctx_params)},
    {OSSL_FUNC_STORE_LOAD, reinterpret_cast<void (*)()>(store_load)},
    {OSSL_FUNC_STORE_EOF, reinterpret_cast<void (*)()>(store_eof)},
    {OSSL_FUNC_STORE_CLOSE, reinterpret_cast<void (*)()>(store_close)},
    {0, nullptr}};

}  // namespace optiga::provider
