// Owning pointers for OpenSSL objects, one deleter per type, shared by every file that uses
// OpenSSL (the emulator, the device layer, the token layer, the front ends).
#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/decoder.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

namespace optiga {

template <auto FreeFunction>
struct OpensslFree {
  template <class T>
  void operator()(T* p) const {
    FreeFunction(p);
  }
};

using LibCtxFree = OpensslFree<OSSL_LIB_CTX_free>;
using PkeyFree = OpensslFree<EVP_PKEY_free>;
using PkeyCtxFree = OpensslFree<EVP_PKEY_CTX_free>;
using MdCtxFree = OpensslFree<EVP_MD_CTX_free>;
using EncoderCtxFree = OpensslFree<OSSL_ENCODER_CTX_free>;
using DecoderCtxFree = OpensslFree<OSSL_DECODER_CTX_free>;
using BioFree = OpensslFree<BIO_free_all>;
using BnFree = OpensslFree<BN_free>;
using X509Free = OpensslFree<X509_free>;
using X509ExtFree = OpensslFree<X509_EXTENSION_free>;
using X509StoreFree = OpensslFree<X509_STORE_free>;
using X509StoreCtxFree = OpensslFree<X509_STORE_CTX_free>;

using LibCtxPtr = std::unique_ptr<OSSL_LIB_CTX, LibCtxFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

}  // namespace optiga
