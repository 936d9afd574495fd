#include "engine_harness.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdlib>
#include <stdexcept>

namespace optiga::sim::test {

Bytes public_key_from_genkey(const Bytes& out) {
  if (out.size() < 3 || out[0] != 0x02) throw std::invalid_argument("not a GenKeyPair response");
  const std::size_t len = get_u16(out, 1);
  return Bytes(out.begin() + 3, out.begin() + 3 + static_cast<std::ptrdiff_t>(len));
}

namespace {
void put_der_length(Bytes& out, std::size_t len) {
  if (len < 0x80) {
    out.push_back(static_cast<std::uint8_t>(len));
  } else {
    out.push_back(0x81);
    out.push_back(static_cast<std::uint8_t>(len));
  }
}
}  // namespace

Bytes normalise_signature(ByteView sig, bool* was_non_minimal) {
  Bytes body;
  std::size_t i = 0;
  bool non_minimal = false;
  for (int k = 0; k < 2; ++k) {
    if (i + 2 > sig.size() || sig[i] != 0x02) throw std::invalid_argument("not an INTEGER");
    std::size_t len = sig[i + 1];
    std::size_t start = i + 2;
    if (len == 0x81) {
      len = sig[i + 2];
      start = i + 3;
    }
    if (start + len > sig.size()) throw std::invalid_argument("INTEGER past the end");
    Bytes v(sig.begin() + static_cast<std::ptrdiff_t>(start), sig.begin() + static_cast<std::ptrdiff_t>(start + len));
    if (v.size() >= 2 && v[0] == 0x00 && v[1] < 0x80) non_minimal = true;
    while (v.size() > 1 && v[0] == 0x00 && v[1] < 0x80) v.erase(v.begin());
    body.push_back(0x02);
    put_der_length(body, v.size());
    append(body, v);
    i = start + len;
  }
  if (i != sig.size()) throw std::invalid_argument("trailing bytes");
  if (was_non_minimal) *was_non_minimal = non_minimal;
  Bytes out{0x30};
  put_der_length(out, body.size());
  append(out, body);
  return out;
}

bool openssl_verify(chip::Algorithm alg, ByteView bitstring, ByteView digest, ByteView chip_sig) {
  // BIT STRING: 03 len [81 len] 00 04 X Y
  std::size_t hdr = bitstring[1] == 0x81 ? 4 : 3;
  Bytes point(bitstring.begin() + static_cast<std::ptrdiff_t>(hdr), bitstring.end());
  const auto curve = chip::curve_info(alg);
  std::string group(curve->openssl_name);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY_CTX* fctx = EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr);
  EVP_PKEY* pkey = nullptr;
  bool ok = fctx && EVP_PKEY_fromdata_init(fctx) == 1 && EVP_PKEY_fromdata(fctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) == 1;
  EVP_PKEY_CTX_free(fctx);
  if (!ok) return false;
  const Bytes der = normalise_signature(chip_sig);
  EVP_PKEY_CTX* vctx = EVP_PKEY_CTX_new_from_pkey(nullptr, pkey, nullptr);
  ok = vctx && EVP_PKEY_verify_init(vctx) == 1 &&
       EVP_PKEY_verify(vctx, der.data(), der.size(), digest.data(), digest.size()) == 1;
  EVP_PKEY_CTX_free(vctx);
  EVP_PKEY_free(pkey);
  return ok;
}

std::string temp_dir() {
  std::string tmpl = (std::getenv("TMPDIR") ? std::string(std::getenv("TMPDIR")) : std::string("/tmp")) +
                     "/chip-engine-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

}  // namespace optiga::sim::test
