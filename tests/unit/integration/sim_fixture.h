// A complete host stack over an in-process emulated chip: SimTransport → IfxI2cStack → Device.
#pragma once

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

#include "core/device/device.h"
#include "core/device/device_factory.h"
#include "core/device/spki.h"
#include "core/util/openssl_ptr.h"
#include "hal/sim/chip_engine.h"
#include "hal/sim/sim_transport.h"

namespace optiga::testing {

struct SimDevice {
  sim::SimTransport* transport = nullptr;    // owned by channel
  device::TransportChannel* channel = nullptr;  // owned by device
  std::unique_ptr<device::Device> device;

  explicit SimDevice(const sim::SimOptions& opts, std::filesystem::path lock = {}) {
    auto t = std::make_unique<sim::SimTransport>(sim::make_chip_engine(opts), opts);
    transport = t.get();
    auto c = std::make_unique<device::TransportChannel>(std::move(t));
    channel = c.get();
    device::DeviceOptions dopts;
    dopts.lock_file = std::move(lock);
    // Each SimDevice runs its own in-process chip, as `sim:` does (device_factory.cpp): its link
    // is its own even when a lock file is shared, so no link state is adopted from another one.
    dopts.private_link = true;
    device = std::make_unique<device::Device>(std::move(c), dopts);
    device->open();
  }
  device::Device& operator*() { return *device; }
  device::Device* operator->() { return device.get(); }
};

inline sim::SimOptions sim_options(chip::Model model) {
  sim::SimOptions o;
  o.model = model;
  return o;
}

// Verifies a DER ECDSA signature over a digest with OpenSSL's default provider, independent of
// the device layer's own check.
inline bool openssl_verify(const Bytes& spki, const Bytes& digest, const Bytes& der_sig) {
  const unsigned char* p = spki.data();
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, static_cast<long>(spki.size())));
  if (!key) return false;
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key.get(), nullptr));
  return ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
         EVP_PKEY_verify(ctx.get(), der_sig.data(), der_sig.size(), digest.data(), digest.size()) == 1;
}

inline Bytes spki_of(device::Device& dev, std::uint16_t oid) {
  device::CryptoContext ctx;
  return device::subject_public_key_info(ctx, dev.public_key(oid));
}

// True when the DER signature is a SEQUENCE of two minimally encoded INTEGERs (re-encoding by
// OpenSSL gives the same bytes).
inline bool is_minimal_der(const Bytes& der) {
  const unsigned char* p = der.data();
  EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig || p != der.data() + der.size()) return false;
  unsigned char* out = nullptr;
  int n = i2d_ECDSA_SIG(sig.get(), &out);
  bool same = n == static_cast<int>(der.size()) && std::equal(der.begin(), der.end(), out);
  OPENSSL_free(out);
  return same;
}

}  // namespace optiga::testing
