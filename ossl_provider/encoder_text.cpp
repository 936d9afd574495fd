// ENCODER "EC" to text: `openssl pkey -text -noout` on a chip key. The private part is shown as
// where it lives, not what it is.
#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>

#include "core/util/bytes.h"
#include "ossl_provider/algorithms.h"
#include "ossl_provider/encoder_common.h"
#include "ossl_provider/software_encoding.h"

namespace optiga::provider {
namespace {

int text_does_selection(void*, int) { return 1; }

std::string hex_block(ByteView data) {
  std::string out;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (i % 15 == 0) out += "    ";
    out += to_hex(data.subspan(i, 1));
    if (i + 1 < data.size()) out += ':';
    if (i % 15 == 14 || i + 1 == data.size()) out += '\n';
  }
  return out;
}

int encode_text(void* ctx, OSSL_CORE_BIO* out, const void* keydata, const OSSL_PARAM[], int selection,
                OSSL_PASSPHRASE_CALLBACK*, void*) {
  if (keydata == nullptr) return 0;
  const Key& key = *static_cast<const Key*>(keydata);
  if (key.soft) return encode_software_key(encoder_provider(ctx), key, selection, {"TEXT", nullptr, {}, {}}, out, nullptr, nullptr);
  if (!key.curve) return 0;
  const auto info = chip::curve_info(*key.curve);
  std::string text;
  const std::string bits = std::to_string(curve_bits(*key.curve));
  if ((selection & OSSL_KEYMGMT_SELECT_PRIVATE_KEY) && key.in_chip()) {
    text += "Private-Key: (" + bits + " bit)\n";
    text += "priv: held in OPTIGA slot " + slot_text(*key.slot) + " (not extractable)\n";
  } else {
    text += "Public-Key: (" + bits + " bit)\n";
  }
  if (key.has_public() && (selection & OSSL_KEYMGMT_SELECT_KEYPAIR)) text += "pub:\n" + hex_block(key.point());
  text += "ASN1 OID: " + std::string(info->openssl_name) + "\n";
  if (info->name.starts_with("P-")) text += "NIST CURVE: " + std::string(info->name) + "\n";
  return write_all(encoder_provider(ctx), out, text);
}

}  // namespace

const OSSL_DISPATCH encoder_text_functions[] = {
    {OSSL_FUNC_ENCODER_NEWCTX, reinterpret_cast<void (*)()>(encoder_newctx)},
    {OSSL_FUNC_ENCODER_FREECTX, reinterpret_cast<void (*)()>(encoder_freectx)},
    {OSSL_FUNC_ENCODER_DOES_SELECTION, reinterpret_cast<void (*)()>(text_does_selection)},
    {OSSL_FUNC_ENCODER_ENCODE, reinterpret_cast<void (*)()>(encode_text)},
    {0, nullptr}};

}  // namespace optiga::provider
