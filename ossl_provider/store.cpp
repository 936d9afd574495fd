// STORE for the optiga: scheme. optiga:0xE0F1 names a key slot: it yields the key by reference
// (the private key stays in the chip) and its public key by value (SubjectPublicKeyInfo DER, so
// `-pubin`, `dgst -verify` and `-force_pubkey` get a plain public key). optiga:0xE0E1 names a
// certificate or trust-anchor slot (every certificate stored there, a chain member by member).
// optiga: alone is the whole chip: every key, public key and certificate, for storeutl; a
// subject search (OSSL_STORE_SEARCH by name) yields the certificates with that subject.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/params.h>
#include <openssl/store.h>
#include <openssl/x509.h>

#include <cctype>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/token/key_encoding.h"
#include "ossl_provider/algorithms.h"
#include "ossl_provider/key.h"

namespace optiga::provider {
namespace {

struct PublicKeyDer {
  Bytes spki;
};
struct CertificateDer {
  Bytes der;
};
using Item = std::variant<KeyReference, PublicKeyDer, CertificateDer>;

struct StoreContext {
  ProviderContext* ctx = nullptr;
  std::optional<std::uint16_t> slot;  // nullopt: the whole chip (optiga:)
  int expect = 0;                     // OSSL_STORE_INFO_* the caller wants, 0 = anything
  std::optional<Bytes> subject;       // DER X509_NAME of a subject search
  bool opened = false;
  std::deque<Item> pending;           // what is left to hand out

  bool wants(int type) const { return expect == 0 || expect == type; }
};

// "optiga:0xE0F1" / "optiga:E0F1" / "optiga://0xE0F1" → "0xE0F1"; "optiga:" → "" (the whole
// chip); nullopt when the URI is not ours. The scheme is case-insensitive.
std::optional<std::string> slot_part(std::string_view uri) {
  constexpr std::string_view scheme = "optiga:";
  if (uri.size() < scheme.size()) return std::nullopt;
  for (std::size_t i = 0; i < scheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(uri[i])) != scheme[i]) return std::nullopt;
  std::string_view rest = uri.substr(scheme.size());
  if (rest.starts_with("//")) rest.remove_prefix(2);
  if (rest == "/") rest = {};
  return std::string(rest);
}

KeyReference reference_to(ProviderContext* ctx, std::uint16_t slot) {
  KeyReference ref;
  ref.magic = KeyReference::expected_magic;
  ref.slot = slot;
  ref.ctx = ctx;
  return ref;
}

// Does the certificate's subject equal the searched name? Parsed in the provider's own library
// context (architecture: never the application's, which may be the one that loaded us).
bool subject_matches(ProviderContext* ctx, const Bytes& der, const Bytes& name_der) {
  const unsigned char* p = name_der.data();
  std::unique_ptr<X509_NAME, decltype(&X509_NAME_free)> wanted(
      d2i_X509_NAME(nullptr, &p, static_cast<long>(name_der.size())), X509_NAME_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(X509_new_ex(ctx->software(), nullptr), X509_free);
  if (!wanted || !cert) return false;
  p = der.data();
  X509* out = cert.get();
  if (d2i_X509(&out, &p, static_cast<long>(der.size())) == nullptr) return false;
  return X509_NAME_cmp(X509_get_subject_name(cert.get()), wanted.get()) == 0;
}

void add_key(StoreContext& sc, const token::KeyObject& key) {
  if (sc.subject) return;  // a key has no subject name
  if (sc.wants(OSSL_STORE_INFO_PKEY)) sc.pending.emplace_back(reference_to(sc.ctx, key.oid));
  if (sc.wants(OSSL_STORE_INFO_PUBKEY)) sc.pending.emplace_back(PublicKeyDer{token::subject_public_key_info(key.public_key)});
}

void add_certificates(StoreContext& sc, std::vector<token::CertificateObject>& certificates) {
  if (!sc.wants(OSSL_STORE_INFO_CERT)) return;
  for (auto& c : certificates)
    if (!sc.subject || subject_matches(sc.ctx, c.der, *sc.subject)) sc.pending.emplace_back(CertificateDer{std::move(c.der)});
}

// optiga: — every key (with its public key) and every certificate; nothing there is no error.
bool fill_chip(StoreContext& sc) {
  std::vector<token::KeyObject> keys;
  std::vector<token::CertificateObject> certificates;
  if (!sc.ctx->with_token("list the chip's objects", [&](token::Token& t) {
        keys = t.keys();
        certificates = t.certificates();
      }))
    return false;
  for (const auto& k : keys) add_key(sc, k);
  add_certificates(sc, certificates);
  return true;
}

bool fill_slot(StoreContext& sc) {
  ProviderContext* ctx = sc.ctx;
  const std::uint16_t slot = *sc.slot;
  token::SlotKind kind{};
  std::vector<token::CertificateObject> certificates;
  std::optional<token::KeyObject> key;
  std::optional<std::string> other_content;
  const std::string name = "slot " + slot_text(slot);
  const bool ok = ctx->with_token("", [&](token::Token& t) {
    kind = *t.slot_kind(slot);
    if (kind == token::SlotKind::ecc_key || kind == token::SlotKind::rsa_key) {
      key = t.key(slot);
      // A caller that wants certificates from a key slot gets the key's certificate.
      if (sc.expect == OSSL_STORE_INFO_CERT)
        if (auto cert = token::paired_certificate_slot(slot)) certificates = t.certificates_in(*cert);
    } else {
      certificates = t.certificates_in(slot);
      if (certificates.empty()) other_content = t.non_certificate_content(slot);
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
                   "-pkeyopt group:P-256 -pkeyopt optiga-slot:" + slot_text(slot) + " -out key.ref)");
      return false;
    }
    add_key(sc, *key);
    return true;
  }
  if (other_content) {
    OPTIGA_RAISE(ctx, reason_not_certificate,
                 name + " holds " + *other_content + ", not a certificate (a slot stores one DER certificate or a 0xC0 "
                 "chain): rewrite it with optigactl cert write " + slot_text(slot) + " --in cert.pem");
    return false;
  }
  if (certificates.empty()) {
    OPTIGA_RAISE(ctx, reason_slot_empty,
                 name + " holds no certificate: write one first (pkcs11-tool --write-object cert.der --type cert "
                 "--label " + token::oid_label(slot) + ")");
    return false;
  }
  add_certificates(sc, certificates);
  return true;
}

void* store_open(void* provctx, const char* uri) {
  auto* ctx = static_cast<ProviderContext*>(provctx);
  const auto text = slot_part(uri != nullptr ? uri : "");
  if (!text) {
    OPTIGA_RAISE(ctx, reason_bad_uri, std::string("'") + (uri ? uri : "") +
                                          "' is not an optiga: URI: write optiga:0xE0F1 (a key), optiga:0xE0E1 (a "
                                          "certificate) or optiga: (everything on the chip)");
    return nullptr;
  }
  auto sc = std::make_unique<StoreContext>();
  sc->ctx = ctx;
  if (!text->empty()) {
    // Parsing needs the chip's model, so an absent chip shows up here: name the slot in that error.
    bool parsed = ctx->with_token("slot " + *text, [&](token::Token& t) { sc->slot = t.parse_slot(*text).oid; });
    if (!parsed) return nullptr;
  }
  return sc.release();  // owned by the core until store_close()
}

const OSSL_PARAM* store_settable_ctx_params(void*) {
  static const OSSL_PARAM params[] = {OSSL_PARAM_int(OSSL_STORE_PARAM_EXPECT, nullptr),
                                      OSSL_PARAM_octet_string(OSSL_STORE_PARAM_SUBJECT, nullptr, 0),
                                      OSSL_PARAM_utf8_string(OSSL_STORE_PARAM_PROPERTIES, nullptr, 0),
                                      OSSL_PARAM_END};
  return params;
}

int store_set_ctx_params(void* loaderctx, const OSSL_PARAM params[]) {
  auto* sc = static_cast<StoreContext*>(loaderctx);
  const OSSL_PARAM* p = OSSL_PARAM_locate_const(params, OSSL_STORE_PARAM_EXPECT);
  if (p != nullptr && !OSSL_PARAM_get_int(p, &sc->expect)) return 0;
  p = OSSL_PARAM_locate_const(params, OSSL_STORE_PARAM_SUBJECT);
  if (p != nullptr) {
    const void* data = nullptr;
    std::size_t size = 0;
    if (!OSSL_PARAM_get_octet_string_ptr(p, &data, &size)) return 0;
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    sc->subject = Bytes(bytes, bytes + size);
  }
  return 1;
}

int store_load(void* loaderctx, OSSL_CALLBACK* object_cb, void* object_cbarg, OSSL_PASSPHRASE_CALLBACK*, void*) {
  auto* sc = static_cast<StoreContext*>(loaderctx);
  if (!sc->opened) {
    sc->opened = true;
    if (!(sc->slot ? fill_slot(*sc) : fill_chip(*sc))) return 0;
  }
  if (sc->pending.empty()) return 0;
  Item item = std::move(sc->pending.front());
  sc->pending.pop_front();
  int type = OSSL_OBJECT_PKEY;
  OSSL_PARAM params[5];
  params[0] = OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type);
  if (auto* ref = std::get_if<KeyReference>(&item)) {
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE, const_cast<char*>("EC"), 0);
    params[2] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE, ref, sizeof(*ref));
    params[3] = OSSL_PARAM_construct_end();
  } else if (auto* pub = std::get_if<PublicKeyDer>(&item)) {
    // By value: the core decodes it into a key without private part, i.e. OSSL_STORE_INFO_PUBKEY
    // (a reference would load as a private key, which callers asking for a public key skip).
    params[1] = OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE, const_cast<char*>("EC"), 0);
    params[2] = OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_STRUCTURE,
                                                 const_cast<char*>("SubjectPublicKeyInfo"), 0);
    params[3] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA, pub->spki.data(), pub->spki.size());
    params[4] = OSSL_PARAM_construct_end();
  } else {
    auto& cert = std::get<CertificateDer>(item);
    type = OSSL_OBJECT_CERT;
    params[1] = OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA, cert.der.data(), cert.der.size());
    params[2] = OSSL_PARAM_construct_end();
  }
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
