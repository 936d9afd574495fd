#include "core/device/spki.h"

#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>

#include "core/util/error.h"
#include "core/util/openssl_ptr.h"

namespace optiga::device {

// Built by ASN.1 alone (algorithm, named curve, point), never through an EVP_PKEY: inside an
// application that made an engine its EC default (libp11 users), making a key object would be
// handed to that engine. The point was checked when the key was first loaded.
Bytes subject_public_key_info(const PublicKey& key) {
  auto curve = chip::curve_info(key.curve);
  if (!curve) throw UsageError("public key of " + key.source + " is not on a supported curve");
  const ByteView point = point_of(key.bit_string);
  ASN1_OBJECT* curve_oid = OBJ_txt2obj(std::string(curve->oid_dotted).c_str(), 1);
  X509PubkeyPtr spki(X509_PUBKEY_new());
  auto* point_copy = static_cast<unsigned char*>(OPENSSL_memdup(point.data(), point.size()));
  if (!curve_oid || !spki || !point_copy ||
      X509_PUBKEY_set0_param(spki.get(), OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_OBJECT, curve_oid,
                             point_copy, static_cast<int>(point.size())) != 1) {
    ASN1_OBJECT_free(curve_oid);
    OPENSSL_free(point_copy);
    throw ProtocolError("cannot encode the public key of " + key.source);
  }
  const int len = i2d_X509_PUBKEY(spki.get(), nullptr);
  if (len <= 0) throw ProtocolError("cannot encode the public key of " + key.source);
  Bytes out(static_cast<std::size_t>(len));
  unsigned char* p = out.data();
  i2d_X509_PUBKEY(spki.get(), &p);
  return out;
}

Bytes subject_public_key_info(const CryptoContext& /*ctx*/, const PublicKey& key) { return subject_public_key_info(key); }

std::string public_key_pem(const CryptoContext& ctx, const PublicKey& key) {
  const Bytes der = subject_public_key_info(ctx, key);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio(bio.get(), "PUBLIC KEY", "", der.data(), static_cast<long>(der.size())) <= 0)
    throw ProtocolError("cannot encode the public key of " + key.source);
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace optiga::device
