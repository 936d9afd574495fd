// `optigactl keygen | pubkey | sign`: keys made and used inside the chip. The private key never
// leaves it; these commands only ever print public keys and signatures.
#include <openssl/evp.h>

#include <iostream>
#include <memory>

#include "core/chip/ids.h"
#include "core/chip/key_usage.h"
#include "core/device/spki.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
Bytes digest_of(const std::string& algorithm, ByteView data) {
  MdPtr md(EVP_MD_fetch(nullptr, algorithm.c_str(), nullptr));
  if (!md) throw UsageError("unknown digest '" + algorithm + "'; use sha256, sha384 or sha512");
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md.get(), nullptr) != 1)
    throw UsageError("cannot compute " + algorithm);
  out.resize(len);
  return out;
}

std::string pem_of(device::Device& dev, std::uint16_t oid) {
  device::CryptoContext crypto;
  return device::public_key_pem(crypto, dev.public_key(oid));
}
}  // namespace

void register_keys(CLI::App& app, Context& ctx) {
  struct KeygenArgs {
    std::string oid, curve = "P-256", usage = "sign,auth", pubout;
  };
  auto ka = std::make_shared<KeygenArgs>();
  auto* keygen = app.add_subcommand("keygen", "generate a key pair inside the chip");
  keygen->add_option("oid", ka->oid, "key slot, e.g. 0xE0F1")->required();
  keygen->add_option("--curve", ka->curve, "P-256, P-384 (all models); P-521, brainpoolP256r1/384r1/512r1 (Trust M V3)")
      ->capture_default_str();
  keygen->add_option("--usage", ka->usage, "key usage: auth, sign, keyagree, enc (comma-separated)")->capture_default_str();
  keygen->add_option("--pubout", ka->pubout, "write the public key (PEM) to this file");
  keygen->callback([&ctx, ka] {
    const auto oid = parse_oid(ka->oid);
    auto curve = chip::curve_by_name(ka->curve);
    if (!curve) throw UsageError("unknown curve '" + ka->curve + "'; use P-256, P-384, P-521 or brainpoolP256r1/384r1/512r1");
    auto& dev = ctx.device();
    auto result = dev.generate_key(oid, curve->algorithm, chip::parse_key_usage(ka->usage));
    const std::string pem = pem_of(dev, oid);
    if (!ka->pubout.empty()) write_file(ka->pubout, Bytes(pem.begin(), pem.end()));
    std::string stored = result.public_key_object ? oid_text(*result.public_key_object) : "";
    if (ctx.json()) {
      print_json({{"oid", oid_text(oid)}, {"curve", std::string(curve->name)}, {"public_key_pem", pem},
                  {"public_key_object", stored}, {"store_error", result.store_error}});
      return;
    }
    std::cout << "generated " << curve->name << " key in " << oid_text(oid) << "\n";
    if (!stored.empty()) std::cout << "public key stored in " << stored << "\n";
    else std::cout << "public key NOT stored on the chip: " << result.store_error << "\n";
    if (ka->pubout.empty()) std::cout << pem;
  });

  struct PubArgs {
    std::string oid, out;
  };
  auto pa = std::make_shared<PubArgs>();
  auto* pub = app.add_subcommand("pubkey", "print a key slot's public key (PEM)");
  pub->add_option("oid", pa->oid, "key slot")->required();
  pub->add_option("-o,--out", pa->out, "write it to this file");
  pub->callback([&ctx, pa] {
    const auto oid = parse_oid(pa->oid);
    const std::string pem = pem_of(ctx.device(), oid);
    if (!pa->out.empty()) write_file(pa->out, Bytes(pem.begin(), pem.end()));
    if (ctx.json()) print_json({{"oid", oid_text(oid)}, {"public_key_pem", pem}});
    else if (pa->out.empty()) std::cout << pem;
  });

  struct SignArgs {
    std::string oid, in, digest = "sha256", out;
  };
  auto sa = std::make_shared<SignArgs>();
  auto* sign = app.add_subcommand("sign", "sign a file with a key inside the chip (ECDSA, DER signature)");
  sign->add_option("oid", sa->oid, "key slot")->required();
  sign->add_option("-i,--in", sa->in, "file to sign")->required();
  sign->add_option("--digest", sa->digest, "sha256, sha384 or sha512 (computed on the host)")->capture_default_str();
  sign->add_option("-o,--out", sa->out, "write the DER signature here (default: hex to stdout)");
  sign->callback([&ctx, sa] {
    const auto oid = parse_oid(sa->oid);
    Bytes digest = digest_of(sa->digest, read_file(sa->in));
    auto sig = ctx.device().sign_digest(oid, digest);
    if (!sa->out.empty()) write_file(sa->out, sig.der);
    if (ctx.json()) print_json({{"oid", oid_text(oid)}, {"digest", sa->digest}, {"signature_der", to_hex(sig.der)}});
    else if (sa->out.empty()) std::cout << to_hex(sig.der) << "\n";
    else std::cerr << "signature (" << sig.der.size() << " bytes DER) written to " << sa->out << "\n";
  });
}

}  // namespace optiga::cli
