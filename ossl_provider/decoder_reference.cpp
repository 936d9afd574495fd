// DECODER for the key reference file genpkey writes (reference_file.h): `-key key.ref` loads the
// chip key it names, after checking the slot still holds the key the file was written for.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/core_object.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <string>

#include "ossl_provider/algorithms.h"
#include "ossl_provider/encoder_common.h"
#include "ossl_provider/reference_file.h"

namespace optiga::provider {
namespace {

int dec_does_selection(void*, int selection) {
  return selection == 0 || (selection & (OSSL_KEYMGMT_SELECT_KEYPAIR)) != 0;
}

// The PEM armour is usually removed by the default provider's PEM decoder; accept it here too.
std::optional<Bytes> unarmour(const std::string& text) {
  const std::string begin = std::string("-----BEGIN ") + reference_pem_label + "-----";
  const std::string end = std::string("-----END ") + reference_pem_label + "-----";
  const auto b = text.find(begin);
  const auto e = text.find(end);
  if (b == std::string::npos || e == std::string::npos || e < b) return std::nullopt;
  std::string body;
  for (char c : text.substr(b + begin.size(), e - b - begin.size()))
    if (c != '\n' && c != '\r' && c != ' ') body += c;
  Bytes der(body.size() / 4 * 3 + 3);
  const int n = EVP_DecodeBlock(der.data(), reinterpret_cast<const unsigned char*>(body.data()), static_cast<int>(body.size()));
  if (n < 0) return std::nullopt;
  der.resize(static_cast<std::size_t>(n));
  while (!body.empty() && body.back() == '=') {  // DecodeBlock keeps the padding's zero bytes
    body.pop_back();
    der.pop_back();
  }
  return der;
}

std::string read_all(ProviderContext* pctx, OSSL_CORE_BIO* in) {
  std::string data;
  char buf[1024];
  std::size_t n = 0;
  while (data.size() < 64 * 1024 && pctx->bio_read(in, buf, sizeof(buf), &n) && n > 0) data.append(buf, n);
  return data;
}

// PEM → DER, typed: the STORE then decodes the DER through OSSL_DECODER, which hands the key
// reference to this provider's KEYMGMT (a reference given straight to the file: store would go
// to the store's own provider instead).
int pem_decode(void* ctx, OSSL_CORE_BIO* in, int, OSSL_CALLBACK* data_cb, void* data_cbarg, OSSL_PASSPHRASE_CALLBACK*, void*) {
  ProviderContext* pctx = encoder_provider(ctx);
  auto der = unarmour(read_all(pctx, in));
  if (!der || !decode_reference(*der)) return 1;  // not ours: let the other decoders try
  int type = OSSL_OBJECT_PKEY;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type),
                         OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE, const_cast<char*>("EC"), 0),
                         OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_STRUCTURE, const_cast<char*>(reference_structure), 0),
                         OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_DATA, der->data(), der->size()),
                         OSSL_PARAM_construct_end()};
  return data_cb(params, data_cbarg);
}

int dec_decode(void* ctx, OSSL_CORE_BIO* in, int, OSSL_CALLBACK* data_cb, void* data_cbarg, OSSL_PASSPHRASE_CALLBACK*, void*) {
  ProviderContext* pctx = encoder_provider(ctx);
  const std::string data = read_all(pctx, in);
  auto ref = decode_reference(Bytes(data.begin(), data.end()));
  if (!ref) return 1;  // not ours: let the other decoders try
  auto key = load_chip_key(pctx, ref->slot);
  if (!key) return 0;
  if (key->point() != ref->public_point) {
    OPTIGA_RAISE(pctx, reason_bad_reference,
                 "slot " + slot_text(ref->slot) + " now holds another key than this reference file was written for "
                 "(the key was regenerated): use optiga:" + slot_text(ref->slot) + " or generate a new reference");
    return 0;
  }
  KeyReference kr;
  kr.magic = KeyReference::expected_magic;
  kr.slot = ref->slot;
  kr.ctx = pctx;
  int type = OSSL_OBJECT_PKEY;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_int(OSSL_OBJECT_PARAM_TYPE, &type),
                         OSSL_PARAM_construct_utf8_string(OSSL_OBJECT_PARAM_DATA_TYPE, const_cast<char*>("EC"), 0),
                         OSSL_PARAM_construct_octet_string(OSSL_OBJECT_PARAM_REFERENCE, &kr, sizeof(kr)),
                         OSSL_PARAM_construct_end()};
  return data_cb(params, data_cbarg);
}

}  // namespace

const OSSL_DISPATCH decoder_reference_pem_functions[] = {
    {OSSL_FUNC_DECODER_NEWCTX, reinterpret_cast<void (*)()>(encoder_newctx)},
    {OSSL_FUNC_DECODER_FREECTX, reinterpret_cast<void (*)()>(encoder_freectx)},
    {OSSL_FUNC_DECODER_DOES_SELECTION, reinterpret_cast<void (*)()>(dec_does_selection)},
    {OSSL_FUNC_DECODER_DECODE, reinterpret_cast<void (*)()>(pem_decode)},
    {0, nullptr}};

const OSSL_DISPATCH decoder_reference_functions[] = {
    {OSSL_FUNC_DECODER_NEWCTX, reinterpret_cast<void (*)()>(encoder_newctx)},
    {OSSL_FUNC_DECODER_FREECTX, reinterpret_cast<void (*)()>(encoder_freectx)},
    {OSSL_FUNC_DECODER_DOES_SELECTION, reinterpret_cast<void (*)()>(dec_does_selection)},
    {OSSL_FUNC_DECODER_DECODE, reinterpret_cast<void (*)()>(dec_decode)},
    {0, nullptr}};

}  // namespace optiga::provider
