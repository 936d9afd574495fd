// The shared key object: reading a chip key through the token and the public key's encodings.
#include "ossl_provider/key.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <memory>

#include <openssl/bn.h>

#include "core/token/key_encoding.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"

namespace optiga::provider {

unsigned Key::field_bytes() const {
  const auto info = curve ? chip::curve_info(*curve) : std::nullopt;
  return info ? info->field_bytes : 0;
}

std::string Key::name() const {
  if (slot) return "slot " + slot_text(*slot);
  return soft ? std::string("software key") : std::string("public key");
}

bool set_public_point(Key& key, const void* data, std::size_t size) {
  const auto* bytes = static_cast<const std::uint8_t*>(data);
  if (bytes == nullptr || size < 3 || bytes[0] != 0x04) return false;
  key.public_point.assign(bytes, bytes + size);
  return true;
}

void refresh_from_software(Key& key) {
  key.curve.reset();
  key.public_point.clear();
  char group[64] = {0};
  if (!EVP_PKEY_get_utf8_string_param(key.soft.get(), OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), nullptr)) return;
  const auto info = chip::curve_by_name(group);
  if (!info) return;  // a curve no chip has: the software key alone serves it
  key.curve = info->algorithm;
  // Uncompressed 04 X Y whatever the key's point conversion format.
  BIGNUM* x = nullptr;
  BIGNUM* y = nullptr;
  if (EVP_PKEY_get_bn_param(key.soft.get(), OSSL_PKEY_PARAM_EC_PUB_X, &x) &&
      EVP_PKEY_get_bn_param(key.soft.get(), OSSL_PKEY_PARAM_EC_PUB_Y, &y)) {
    const std::size_t n = info->field_bytes;
    Bytes point(1 + 2 * n);
    point[0] = 0x04;
    if (BN_bn2binpad(x, point.data() + 1, static_cast<int>(n)) > 0 && BN_bn2binpad(y, point.data() + 1 + n, static_cast<int>(n)) > 0)
      key.public_point = std::move(point);
  }
  BN_free(x);
  BN_free(y);
}

Key software_key_from(ProviderContext* ctx, EVP_PKEY* owned, bool has_private) {
  Key key;
  key.ctx = ctx;
  key.soft.reset(owned, EVP_PKEY_free);
  key.soft_private = has_private;
  refresh_from_software(key);
  return key;
}

namespace {
struct SubsetData {
  ProviderContext* ctx;
  int selection;
  EVP_PKEY* result = nullptr;
};
int build_subset(const OSSL_PARAM params[], void* arg) {
  auto* data = static_cast<SubsetData*>(arg);
  PkeyCtxPtr fctx(EVP_PKEY_CTX_new_from_name(data->ctx->software(), "EC", nullptr));
  return fctx && EVP_PKEY_fromdata_init(fctx.get()) > 0 &&
         EVP_PKEY_fromdata(fctx.get(), &data->result, data->selection, const_cast<OSSL_PARAM*>(params)) > 0;
}
}  // namespace

EVP_PKEY* software_subset(ProviderContext* ctx, EVP_PKEY* from, int selection) {
  // Domain parameters always come along: an EC key is nothing without its curve.
  SubsetData data{ctx, selection | OSSL_KEYMGMT_SELECT_ALL_PARAMETERS};
  if (!EVP_PKEY_export(from, data.selection, build_subset, &data)) {
    EVP_PKEY_free(data.result);
    return nullptr;
  }
  return data.result;
}

EVP_PKEY* software_key(const Key& key) {
  if (key.soft) {
    EVP_PKEY_up_ref(key.soft.get());
    return key.soft.get();
  }
  return software_public_key(key);
}

std::string group_name(chip::Algorithm curve) {
  const auto info = chip::curve_info(curve);
  return info ? std::string(info->openssl_name) : std::string();
}

unsigned curve_bits(chip::Algorithm curve) {
  const auto info = chip::curve_info(curve);
  return info ? info->bits : 0;
}

std::optional<Key> load_chip_key(ProviderContext* ctx, std::uint16_t slot) {
  std::optional<token::KeyObject> object;
  if (!ctx->with_token("slot " + slot_text(slot), [&](token::Token& t) { object = t.key(slot); })) return std::nullopt;
  if (!object) {
    OPTIGA_RAISE(ctx, reason_slot_empty,
                 "slot " + slot_text(slot) + " is empty: generate a key first (openssl genpkey -provider optiga "
                 "-algorithm EC -pkeyopt group:P-256 -pkeyopt optiga-slot:" + slot_text(slot) + " -out key.ref)");
    return std::nullopt;
  }
  Key key;
  key.ctx = ctx;
  key.slot = slot;
  key.curve = object->curve;
  key.public_point = token::uncompressed_point(object->public_key);
  return key;
}

EVP_PKEY* software_public_key(const Key& key) {
  if (!key.curve || !key.has_public()) {
    OPTIGA_RAISE(key.ctx, reason_usage, key.name() + " has no public key");
    return nullptr;
  }
  std::string group = group_name(*key.curve);
  Bytes point = key.point();
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  PkeyCtxPtr pctx(
      EVP_PKEY_CTX_new_from_name(key.ctx->software(), "EC", nullptr));
  EVP_PKEY* pkey = nullptr;
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) <= 0 ||
      EVP_PKEY_fromdata(pctx.get(), &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
    OPTIGA_RAISE(key.ctx, reason_internal, key.name() + ": its public key is not a valid " + group + " point");
    return nullptr;
  }
  return pkey;
}

Bytes key_spki(const Key& key) {
  if (!key.curve || !key.has_public()) {
    OPTIGA_RAISE(key.ctx, reason_usage, key.name() + " has no public key");
    return {};
  }
  try {
    return token::subject_public_key_info(token::public_key_from_point(*key.curve, key.point()));
  } catch (const Error& e) {
    OPTIGA_RAISE(key.ctx, reason_internal, key.name() + ": " + e.what());
    return {};
  }
}

}  // namespace optiga::provider
