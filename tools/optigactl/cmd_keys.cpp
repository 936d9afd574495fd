// `optigactl keygen | pubkey | sign`: keys made and used inside the chip. The private key never
// leaves it; these commands only ever print public keys and signatures. keygen and pubkey go
// through core/token (slot rules, default key usage, refusing an occupied slot).
#include <openssl/evp.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <vector>

#include "core/chip/ids.h"
#include "core/chip/key_usage.h"
#include "core/device/key_slots.h"
#include "core/device/spki.h"
#include "core/token/token.h"
#include "core/token/token_error.h"
#include "core/util/error.h"
#include "core/util/openssl_ptr.h"
#include "tools/optigactl/certs.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
// The file's digest, read in pieces so that any size can be signed. Only the SHA-2 digests an
// ECDSA key of the chip is meant for: MD5 and SHA-1 signatures are refused, not made.
Bytes digest_of_file(const std::string& algorithm, const std::string& path) {
  if (algorithm != "sha256" && algorithm != "sha384" && algorithm != "sha512")
    throw UsageError("unsupported digest '" + algorithm + "'; use sha256, sha384 or sha512");
  MdPtr md(EVP_MD_fetch(nullptr, algorithm.c_str(), nullptr));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!md || !ctx || EVP_DigestInit_ex2(ctx.get(), md.get(), nullptr) != 1)
    throw UsageError("cannot compute " + algorithm);
  std::ifstream in(path, std::ios::binary);
  if (!in) throw UsageError("cannot read '" + path + "'");
  std::vector<char> buf(1 << 16);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    if (in.gcount() > 0 && EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(in.gcount())) != 1)
      throw UsageError("cannot compute " + algorithm);
  }
  if (in.bad()) throw UsageError("cannot read '" + path + "'");
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &len) != 1) throw UsageError("cannot compute " + algorithm);
  out.resize(len);
  return out;
}

std::string pem_of(const device::PublicKey& key) {
  device::CryptoContext crypto;
  return device::public_key_pem(crypto, key);
}

// The token's key in a key slot; a slot without one (or whose public key is nowhere on the chip)
// is reason "no_key", so scripts can tell an empty slot from a failure.
token::KeyObject key_in(Context& ctx, const std::string& text) {
  const token::SlotRef slot = token::parse_slot(text, ctx.device().model());
  if (slot.kind != token::SlotKind::ecc_key)
    throw token::TokenError(token::Refusal::wrong_slot_kind, oid_text(slot.oid) + " is not an ECC key slot");
  auto key = ctx.token().key(slot.oid);
  if (!key)
    throw Failure(exit_code::refused, "no_key", oid_text(slot.oid) + " holds no key (or no public key is known for it: neither its "
                                                "public-key object nor its certificate holds one)");
  return *key;
}

nlohmann::json key_json(const token::KeyObject& k, const std::string& pem) {
  return {{"oid", oid_text(k.oid)}, {"curve", std::string(chip::algorithm_name(static_cast<std::uint8_t>(k.curve)))},
          {"usage", chip::key_usage_text(k.usage)}, {"label", k.label}, {"public_key_pem", pem}};
}

// Where the chip keeps the new key's public half: its public-key object when that now holds
// data (keygen writes it there unless the object's change access condition forbids it). Read
// back from the metadata because token::Token::generate_key does not pass on the device's
// KeyGenResult; a locked object still holding an older key's bytes would read as stored.
std::pair<std::string, std::string> public_key_store(Context& ctx, std::uint16_t oid) {
  const auto store = device::public_key_object(oid);
  if (!store) return {"", "the slot has no public-key object"};
  const chip::Metadata m = ctx.device().read_metadata(*store);
  if (m.used_size.value_or(0) > 0) return {oid_text(*store), ""};
  return {"", oid_text(*store) + " was not written (change access condition " + (m.change ? m.change->to_string() : std::string("NEV")) + ")"};
}
}  // namespace

void register_keys(CLI::App& app, Context& ctx) {
  struct KeygenArgs {
    std::string oid, curve = "P-256", usage, pubout;
    bool replace = false;
  };
  auto ka = std::make_shared<KeygenArgs>();
  auto* keygen = app.add_subcommand("keygen", "generate a key pair inside the chip");
  keygen->add_option("oid", ka->oid, "key slot, e.g. 0xE0F1")->required();
  keygen->add_option("--curve", ka->curve, "P-256, P-384 (all models); P-521, brainpoolP256r1/384r1/512r1 (Trust M V3)")
      ->capture_default_str();
  keygen->add_option("--usage", ka->usage,
                     "key usage: auth, sign, keyagree, enc (comma-separated); default auth,sign, as every front end");
  keygen->add_flag("--replace", ka->replace,
                   "replace the key already in the slot (it is lost, and the slot's certificate no longer matches)");
  keygen->add_option("--pubout", ka->pubout, "write the public key (PEM) to this file");
  keygen->callback([&ctx, ka] {
    auto curve = chip::curve_by_name(ka->curve);
    if (!curve) throw UsageError("unknown curve '" + ka->curve + "'; use P-256, P-384, P-521 or brainpoolP256r1/384r1/512r1");
    const std::uint8_t usage = ka->usage.empty() ? chip::default_key_usage : chip::parse_key_usage(ka->usage);
    const token::SlotRef slot = token::parse_slot(ka->oid, ctx.device().model());
    auto& tok = ctx.token();
    const auto cert_slot = token::paired_certificate_slot(slot.oid);
    const bool had_certificate = cert_slot && !tok.certificates_in(*cert_slot).empty();
    const bool had_key = tok.key(slot.oid).has_value();
    token::KeyObject key;
    try {
      key = tok.generate_key(slot.oid, curve->algorithm, usage, ka->replace);
    } catch (const token::TokenError& e) {
      if (e.refusal() != token::Refusal::slot_occupied && e.refusal() != token::Refusal::factory_key) throw;
      // The token's refusal, with how to do it anyway and what that costs.
      throw token::TokenError(e.refusal(), std::string(e.what()) + ". `optigactl keygen " + oid_text(slot.oid) + " --replace` replaces it" +
                              (had_certificate ? "; the certificate in " + oid_text(*cert_slot) + " would then no longer match" : ""));
    }
    const std::string pem = pem_of(key.public_key);
    if (!ka->pubout.empty()) write_file(ka->pubout, Bytes(pem.begin(), pem.end()));
    const auto [stored, store_error] = public_key_store(ctx, slot.oid);
    // A certificate left in the paired slot certifies the old key: say so, it must be replaced.
    const auto certs = cert_slot ? tok.certificates_in(*cert_slot) : std::vector<token::CertificateObject>{};
    const bool stale = !certs.empty() && !certifies(certs.front().der, key.public_key);
    if (ctx.json()) {
      nlohmann::json j = key_json(key, pem);
      j.update({{"public_key_object", stored}, {"store_error", store_error}, {"replaced", had_key},
                {"certificate_slot", slot_json(cert_slot)}, {"certificate_matches", certs.empty() ? nlohmann::json(nullptr) : nlohmann::json(!stale)}});
      print_json(j);
    } else {
      std::cout << "generated " << curve->name << " key in " << oid_text(slot.oid) << " (usage " << chip::key_usage_text(key.usage)
                << ")\n";
      if (!stored.empty()) std::cout << "public key stored in " << stored << "\n";
      else std::cout << "public key NOT stored on the chip: " << store_error << "\n";
      if (ka->pubout.empty()) std::cout << pem;
    }
    if (stale)
      std::cerr << "optigactl: warning: the certificate in " << oid_text(*cert_slot) << " is for the old key and no longer matches "
                << oid_text(slot.oid) << "; write a new one (optigactl cert write " << oid_text(slot.oid) << " --in CERT)\n";
  });

  struct PubArgs {
    std::string oid, out;
  };
  auto pa = std::make_shared<PubArgs>();
  auto* pub = app.add_subcommand("pubkey", "print a key slot's public key (PEM)");
  pub->add_option("oid", pa->oid, "key slot")->required();
  pub->add_option("-o,--out", pa->out, "write it to this file");
  pub->callback([&ctx, pa] {
    const token::KeyObject key = key_in(ctx, pa->oid);
    const std::string pem = pem_of(key.public_key);
    if (!pa->out.empty()) write_file(pa->out, Bytes(pem.begin(), pem.end()));
    if (ctx.json()) print_json(key_json(key, pem));
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
    const Bytes digest = digest_of_file(sa->digest, sa->in);
    const auto sig = ctx.token().sign(oid, digest);
    if (!sa->out.empty()) write_file(sa->out, sig.der);
    if (ctx.json()) print_json({{"oid", oid_text(oid)}, {"digest", sa->digest}, {"signature_der", to_hex(sig.der)}});
    else if (sa->out.empty()) std::cout << to_hex(sig.der) << "\n";
    else std::cerr << "signature (" << sig.der.size() << " bytes DER) written to " << sa->out << "\n";
  });
}

}  // namespace optiga::cli
