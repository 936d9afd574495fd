// Owning pointers for OpenSSL objects, one deleter per type, shared by every file that uses
// OpenSSL (the emulator, the device and token layers, the front ends, tools, benchmarks, tests).
// A type missing here is added here, not next to its use.
#pragma once

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/store.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace optiga {

// The deleter for any OpenSSL type: OpensslFree<EVP_PKEY_free>. Also usable for types of other
// OpenSSL libraries (libssl's SSL_CTX_free) without this header including them.
template <auto FreeFunction>
struct OpensslFree {
  template <class T>
  void operator()(T* p) const {
    FreeFunction(p);
  }
};

// Buffers OpenSSL allocates for the caller (i2d_* output, OBJ_obj2txt copies).
struct OpensslMemFree {
  void operator()(void* p) const { OPENSSL_free(p); }
};

using LibCtxFree = OpensslFree<OSSL_LIB_CTX_free>;
using PkeyFree = OpensslFree<EVP_PKEY_free>;
using PkeyCtxFree = OpensslFree<EVP_PKEY_CTX_free>;
using MdFree = OpensslFree<EVP_MD_free>;
using MdCtxFree = OpensslFree<EVP_MD_CTX_free>;
using EncoderCtxFree = OpensslFree<OSSL_ENCODER_CTX_free>;
using DecoderCtxFree = OpensslFree<OSSL_DECODER_CTX_free>;
using StoreCtxFree = OpensslFree<OSSL_STORE_close>;
using StoreInfoFree = OpensslFree<OSSL_STORE_INFO_free>;
using BioFree = OpensslFree<BIO_free_all>;
using BnFree = OpensslFree<BN_free>;
using Asn1ObjectFree = OpensslFree<ASN1_OBJECT_free>;
using EcdsaSigFree = OpensslFree<ECDSA_SIG_free>;
using EcGroupFree = OpensslFree<EC_GROUP_free>;
using EcPointFree = OpensslFree<EC_POINT_free>;
using X509Free = OpensslFree<X509_free>;
using X509PubkeyFree = OpensslFree<X509_PUBKEY_free>;
using X509ExtFree = OpensslFree<X509_EXTENSION_free>;
using X509StoreFree = OpensslFree<X509_STORE_free>;
using X509StoreCtxFree = OpensslFree<X509_STORE_CTX_free>;

using LibCtxPtr = std::unique_ptr<OSSL_LIB_CTX, LibCtxFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdPtr = std::unique_ptr<EVP_MD, MdFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using EncoderCtxPtr = std::unique_ptr<OSSL_ENCODER_CTX, EncoderCtxFree>;
using DecoderCtxPtr = std::unique_ptr<OSSL_DECODER_CTX, DecoderCtxFree>;
using StoreCtxPtr = std::unique_ptr<OSSL_STORE_CTX, StoreCtxFree>;
using StoreInfoPtr = std::unique_ptr<OSSL_STORE_INFO, StoreInfoFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using BnPtr = std::unique_ptr<BIGNUM, BnFree>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, Asn1ObjectFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;
using EcGroupPtr = std::unique_ptr<EC_GROUP, EcGroupFree>;
using EcPointPtr = std::unique_ptr<EC_POINT, EcPointFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509PubkeyPtr = std::unique_ptr<X509_PUBKEY, X509PubkeyFree>;
using X509ExtPtr = std::unique_ptr<X509_EXTENSION, X509ExtFree>;
using X509StorePtr = std::unique_ptr<X509_STORE, X509StoreFree>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, X509StoreCtxFree>;
template <class T>
using OpensslBuffer = std::unique_ptr<T, OpensslMemFree>;

}  // namespace optiga
