// Benchmark (not a test): client-authenticated TLS handshakes per second with the client key in
// the chip (provider `optiga`, emulator over a socket; what a device does towards its cloud)
// against the same handshake with a software client key, in one run, plus chip commands and bus
// bytes per chip handshake.
//
//   optiga-emulator --socket /tmp/sim.sock --timeout 600 &
//   bench_tls_handshake --socket /tmp/sim.sock [--handshakes 100] [--tls 1.2|1.3]
//
// Both ends run in this process over an in-memory BIO pair, so the numbers are CPU and chip cost
// only. Full handshakes every time (no session cache, no tickets); the server key is software.
// Every chip signature raises the chip's security event counter (SEC); from 128 the security
// monitor throttles (spec §9.3) and a figure would measure the monitor, not the host. The SEC is
// read before and after the measured run: a run that could reach 128 is refused, and one that
// did is not reported.
// WARNING: (re)generates the key in slot 0xE0F1 of the emulated chip it is pointed at.
//
// Timing: the emulator keeps a virtual clock, so wall time never contains the chip's modelled
// latencies ("timing off": what the host stack and the emulator cost). "Timing on" is the modelled
// time of a chip handshake = host CPU time (measured) + modelled bus time (emulator counter
// bus_time_us) + modelled execution time of the commands (hal/sim/engine_latency.h: one CalcSign
// per handshake, checked from the APDU counter). Polling while the chip works overlaps its
// execution time, so this is an upper bound, within the few polls' bus time.
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/ssl.h>
#include <openssl/store.h>
#include <openssl/x509.h>
#include <stdlib.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "core/config/device_spec.h"
#include "core/device/device_factory.h"
#include "core/util/openssl_ptr.h"
#include "hal/sim/engine_latency.h"
#include "hal/socket_transport.h"

namespace {

using LibCtx = optiga::LibCtxPtr;
using Pkey = optiga::PkeyPtr;
using PkeyCtx = optiga::PkeyCtxPtr;
using optiga::X509Ptr;
using SslCtx = std::unique_ptr<SSL_CTX, optiga::OpensslFree<SSL_CTX_free>>;
using Ssl = std::unique_ptr<SSL, optiga::OpensslFree<SSL_free>>;

[[noreturn]] void fail(const std::string& what) {
  std::string text = what;
  unsigned long e;
  char buf[256];
  while ((e = ERR_get_error()) != 0) {
    ERR_error_string_n(e, buf, sizeof(buf));
    text += "\n  ";
    text += buf;
  }
  throw std::runtime_error(text);
}

Pkey chip_key(OSSL_LIB_CTX* libctx) {
  PkeyCtx gctx(EVP_PKEY_CTX_new_from_name(libctx, "EC", "provider=optiga"));
  char group[] = "P-256", slot[] = "0xE0F1", replace[] = "yes";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
                               OSSL_PARAM_construct_utf8_string("optiga-slot", slot, 0),
                               OSSL_PARAM_construct_utf8_string("optiga-replace", replace, 0), OSSL_PARAM_construct_end()};
  EVP_PKEY* raw = nullptr;
  if (!gctx || EVP_PKEY_keygen_init(gctx.get()) != 1 || EVP_PKEY_CTX_set_params(gctx.get(), params) != 1 ||
      EVP_PKEY_keygen(gctx.get(), &raw) != 1)
    fail("cannot generate a key in slot 0xE0F1");
  EVP_PKEY_free(raw);
  // Loaded the way applications load it.
  optiga::StoreCtxPtr store(
      OSSL_STORE_open_ex("optiga:0xE0F1", libctx, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr));
  while (store && !OSSL_STORE_eof(store.get())) {
    optiga::StoreInfoPtr info(OSSL_STORE_load(store.get()));
    if (info && OSSL_STORE_INFO_get_type(info.get()) == OSSL_STORE_INFO_PKEY) return Pkey(OSSL_STORE_INFO_get1_PKEY(info.get()));
  }
  fail("cannot load optiga:0xE0F1");
}

Pkey software_key(OSSL_LIB_CTX* libctx) {
  Pkey key(EVP_PKEY_Q_keygen(libctx, "provider=default", "EC", "P-256"));
  if (!key) fail("software key generation");
  return key;
}

X509Ptr self_signed(OSSL_LIB_CTX* libctx, EVP_PKEY* key) {
  X509Ptr cert(X509_new_ex(libctx, nullptr));
  if (!cert) fail("X509_new");
  X509_set_version(cert.get(), X509_VERSION_3);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_set_pubkey(cert.get(), key) != 1 || X509_sign(cert.get(), key, EVP_sha256()) <= 0) fail("self-signed certificate");
  return cert;
}

// Drives both ends of one full handshake over a BIO pair; false on failure.
bool handshake(SSL_CTX* server_ctx, SSL_CTX* client_ctx) {
  Ssl server(SSL_new(server_ctx)), client(SSL_new(client_ctx));
  if (!server || !client) return false;
  BIO *sbio = nullptr, *cbio = nullptr;
  if (BIO_new_bio_pair(&sbio, 0, &cbio, 0) != 1) return false;
  SSL_set_bio(server.get(), sbio, sbio);  // each SSL owns its end
  SSL_set_bio(client.get(), cbio, cbio);
  SSL_set_accept_state(server.get());
  SSL_set_connect_state(client.get());
  bool server_done = false, client_done = false;
  for (int round = 0; round < 100 && !(server_done && client_done); ++round) {
    for (auto [ssl, done] : {std::pair{client.get(), &client_done}, std::pair{server.get(), &server_done}}) {
      if (*done) continue;
      const int r = SSL_do_handshake(ssl);
      if (r == 1) *done = true;
      else if (const int e = SSL_get_error(ssl, r); e != SSL_ERROR_WANT_READ && e != SSL_ERROR_WANT_WRITE) return false;
    }
  }
  return server_done && client_done;
}

// The chip's security event counter, read through its own connection (it takes the chip's lock
// like any other user).
unsigned security_event_counter(const std::string& device) {
  const auto spec = optiga::config::parse_device_string(device);
  return optiga::device::make_device(spec, std::make_unique<optiga::hal::SocketTransport>(spec.path))
      ->info()
      .security_event_counter;
}
constexpr unsigned kThrottleFrom = 128;  // spec §9.3

// Mutual authentication: the server asks for the client's certificate and trusts `peer`.
SslCtx make_ctx(OSSL_LIB_CTX* libctx, bool server, int version, EVP_PKEY* key, X509* cert, X509* peer) {
  SslCtx ctx(SSL_CTX_new_ex(libctx, nullptr, server ? TLS_server_method() : TLS_client_method()));
  if (!ctx) fail("SSL_CTX_new_ex");
  SSL_CTX_set_min_proto_version(ctx.get(), version);
  SSL_CTX_set_max_proto_version(ctx.get(), version);
  // Every handshake is a full one: that is what costs a chip signature.
  SSL_CTX_set_session_cache_mode(ctx.get(), SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_TICKET);
  if (SSL_CTX_use_certificate(ctx.get(), cert) != 1 || SSL_CTX_use_PrivateKey(ctx.get(), key) != 1)
    fail(server ? "server key/cert" : "client key/cert");
  // Each side trusts the other's self-signed certificate, so verification really runs.
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | (server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), nullptr);
  if (X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx.get()), peer) != 1) fail("trust store");
  return ctx;
}

struct Run {
  double seconds = 0;
  optiga::sim::SimCounters delta;
};

std::uint64_t diff(std::uint64_t a, std::uint64_t b) { return b - a; }

// `key`/`cert`: the client's; the server always uses `server_key`/`server_cert` (software).
Run run(OSSL_LIB_CTX* libctx, int version, EVP_PKEY* key, X509* cert, EVP_PKEY* server_key, X509* server_cert,
        int count, optiga::hal::SocketTransport& chip) {
  SslCtx server = make_ctx(libctx, true, version, server_key, server_cert, cert);
  SslCtx client = make_ctx(libctx, false, version, key, cert, server_cert);
  const auto before = chip.counters();
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i)
    if (!handshake(server.get(), client.get())) fail("handshake " + std::to_string(i));
  Run r;
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto after = chip.counters();
  r.delta.apdus = diff(before.apdus, after.apdus);
  r.delta.transactions = diff(before.transactions, after.transactions);
  r.delta.bytes_to_chip = diff(before.bytes_to_chip, after.bytes_to_chip);
  r.delta.bytes_from_chip = diff(before.bytes_from_chip, after.bytes_from_chip);
  r.delta.bus_time_us = diff(before.bus_time_us, after.bus_time_us);
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket_path;
  int count = 100;
  int version = TLS1_3_VERSION;
  std::string provider_dir = OPTIGA_PROVIDER_DIR;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const char* next = i + 1 < argc ? argv[i + 1] : nullptr;
    if (arg == "--socket" && next) socket_path = argv[++i];
    else if (arg == "--handshakes" && next) count = std::atoi(argv[++i]);
    else if (arg == "--tls" && next) version = std::string(argv[++i]) == "1.2" ? TLS1_2_VERSION : TLS1_3_VERSION;
    else if (arg == "--provider-dir" && next) provider_dir = argv[++i];
    else {
      std::fprintf(stderr, "usage: bench_tls_handshake --socket SOCKET [--handshakes N] [--tls 1.2|1.3] [--provider-dir DIR]\n");
      return 2;
    }
  }
  if (socket_path.empty() || count <= 0) {
    std::fprintf(stderr, "bench_tls_handshake: --socket of a running optiga-emulator is required\n");
    return 2;
  }
  try {
    const std::string device = "sim+unix:" + socket_path;
    setenv("OPTIGA_DEVICE", device.c_str(), 1);
    optiga::hal::SocketTransport chip(socket_path);  // our own connection, for the counters only
    LibCtx libctx(OSSL_LIB_CTX_new());
    if (!libctx || !OSSL_PROVIDER_set_default_search_path(libctx.get(), provider_dir.c_str())) fail("library context");
    // The order: optiga first (its EC key manager then also serves the ephemeral keys).
    if (!OSSL_PROVIDER_load(libctx.get(), "optiga") || !OSSL_PROVIDER_load(libctx.get(), "default")) fail("loading providers");

    Pkey hw = chip_key(libctx.get());
    Pkey sw = software_key(libctx.get());
    Pkey server_key = software_key(libctx.get());
    X509Ptr hw_cert = self_signed(libctx.get(), hw.get());
    X509Ptr sw_cert = self_signed(libctx.get(), sw.get());
    X509Ptr server_cert = self_signed(libctx.get(), server_key.get());
    // Warm-up: the chip key's first use opens the application and reads the public key.
    run(libctx.get(), version, hw.get(), hw_cert.get(), server_key.get(), server_cert.get(), 1, chip);
    run(libctx.get(), version, sw.get(), sw_cert.get(), server_key.get(), server_cert.get(), 1, chip);

    const unsigned sec_before = security_event_counter(device);
    if (sec_before + static_cast<unsigned>(count) >= kThrottleFrom) {
      std::fprintf(stderr,
                   "bench_tls_handshake: the chip's security event counter is %u; %d more signatures would reach %u, "
                   "where the security monitor throttles and the figures would measure it: use a fresh emulated "
                   "chip or fewer --handshakes (at most %d)\n",
                   sec_before, count, kThrottleFrom, static_cast<int>(kThrottleFrom) - 1 - static_cast<int>(sec_before));
      return 1;
    }
    const Run soft = run(libctx.get(), version, sw.get(), sw_cert.get(), server_key.get(), server_cert.get(), count, chip);
    const Run hard = run(libctx.get(), version, hw.get(), hw_cert.get(), server_key.get(), server_cert.get(), count, chip);
    if (soft.delta.apdus != 0) fail("the software-key handshakes sent " + std::to_string(soft.delta.apdus) + " APDUs");
    const unsigned sec_after = security_event_counter(device);
    if (sec_after >= kThrottleFrom) {
      std::fprintf(stderr, "bench_tls_handshake: the security event counter reached %u (throttling from %u): figures "
                   "not reported\n", sec_after, kThrottleFrom);
      return 1;
    }

    const double n = count;
    const double apdus = hard.delta.apdus / n;
    const double sign_us = static_cast<double>(optiga::sim::LatencyModel(optiga::chip::Model::trust_m_v3).sign(optiga::chip::Algorithm::nist_p256));
    const double soft_s = soft.seconds / n;
    const double hw_wall_s = hard.seconds / n;
    const double hw_model_s = hw_wall_s + (hard.delta.bus_time_us / n + apdus * sign_us) / 1e6;
    std::printf("TLS %s, %d full client-authenticated handshakes each, client key P-256, provider order "
                "optiga,default\n",
                version == TLS1_2_VERSION ? "1.2" : "1.3", count);
    std::printf("chip's security event counter %u before, %u after (throttling from %u: none during the run)\n",
                sec_before, sec_after, kThrottleFrom);
    std::printf("%-44s %10.1f handshakes/s  (%.3f ms each)\n", "software client key", 1 / soft_s, soft_s * 1e3);
    std::printf("%-44s %10.1f handshakes/s  (%.3f ms each)  ratio chip/software %.3f\n", "chip key, emulator timing off (wall)",
                1 / hw_wall_s, hw_wall_s * 1e3, soft_s / hw_wall_s);
    std::printf("%-44s %10.1f handshakes/s  (%.3f ms each)  ratio chip/software %.4f\n", "chip key, emulator timing on (modelled)",
                1 / hw_model_s, hw_model_s * 1e3, soft_s / hw_model_s);
    std::printf("per chip handshake: %.2f chip commands (APDUs), %.1f I2C transactions, %.1f bytes to chip, %.1f bytes from "
                "chip, %.2f ms modelled bus time, %.2f ms modelled command time\n",
                apdus, hard.delta.transactions / n, hard.delta.bytes_to_chip / n, hard.delta.bytes_from_chip / n,
                hard.delta.bus_time_us / n / 1e3, apdus * sign_us / 1e3);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_tls_handshake: %s\n", e.what());
    return 1;
  }
}
