// `optigactl cert read | write | check`: certificates in their slots, through core/token, which
// knows the slots, their pairing with keys, the stored formats and the size limits. Scripts
// (scripts/provision) use these instead of raw object reads and writes.
#include <iostream>

#include "core/token/token.h"
#include "core/util/error.h"
#include "tools/optigactl/certs.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
void register_read(CLI::App& cert, Context& ctx) {
  struct Args {
    std::string slot, out;
    bool pem = false;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = cert.add_subcommand("read", "print a slot's certificate (PEM), or write it to a file (DER, or --pem)");
  cmd->add_option("slot", a->slot, "certificate slot (0xE0E1), trust anchor (0xE0E8) or key slot (0xE0F1: its paired slot)")
      ->required();
  cmd->add_option("-o,--out", a->out, "write the certificate to this file (DER unless --pem)");
  cmd->add_flag("--pem", a->pem, "with --out: write PEM instead of DER");
  cmd->callback([&ctx, a] {
    const SlotPair pair = resolve_slot_pair(ctx, a->slot);
    const auto certs = ctx.token().certificates_in(pair.certificate_slot);
    if (certs.empty())
      throw Failure(exit_code::refused, "no_certificate", oid_text(pair.certificate_slot) + " holds no certificate");
    const Bytes& der = certs.front().der;  // the slot's own certificate; the rest is its stored chain
    const std::string pem = certificate_pem(der);
    if (!a->out.empty()) {
      if (a->pem) write_file(a->out, Bytes(pem.begin(), pem.end()));
      else write_file(a->out, der);
    }
    if (ctx.json()) {
      print_json({{"slot", oid_text(pair.certificate_slot)}, {"key_slot", slot_json(pair.key_slot)},
                  {"trust_anchor", pair.trust_anchor}, {"size", der.size()}, {"chain_length", certs.size()},
                  {"certificate_pem", pem}});
    } else if (a->out.empty()) {
      std::cout << pem;
    } else {
      std::cerr << "certificate of " << oid_text(pair.certificate_slot) << " (" << der.size() << " bytes DER) written to "
                << a->out << (a->pem ? " as PEM" : "") << "\n";
    }
  });
}

void register_write(CLI::App& cert, Context& ctx) {
  struct Args {
    std::string slot, in;
  };
  auto a = std::make_shared<Args>();
  auto* cmd = cert.add_subcommand("write", "write a certificate (DER or PEM file) into its slot, checked against the key");
  cmd->add_option("slot", a->slot, "certificate slot, trust anchor, or key slot (its paired certificate slot)")->required();
  cmd->add_option("-i,--in", a->in, "certificate file, DER or PEM")->required();
  cmd->callback([&ctx, a] {
    const Bytes der = certificate_file_der(read_file(a->in));
    const SlotPair pair = resolve_slot_pair(ctx, a->slot);
    auto& tok = ctx.token();
    // The token refuses a certificate for another key than the paired one, one that does not fit
    // and a locked slot, before anything is written.
    token::CertificateTarget target;
    target.id = token::oid_id(pair.certificate_slot);
    const std::uint16_t slot = tok.store_certificate(der, target);
    const auto back = tok.certificates_in(slot);
    if (back.empty() || back.front().der != der)
      throw ProtocolError("the certificate written to " + oid_text(slot) + " reads back differently");
    const auto key = pair.key_slot ? tok.key(*pair.key_slot) : std::nullopt;
    nlohmann::json matches = nullptr;  // no key to compare with
    if (key) matches = certifies(der, key->public_key);
    if (ctx.json()) {
      print_json({{"slot", oid_text(slot)}, {"key_slot", slot_json(pair.key_slot)}, {"size", der.size()},
                  {"matches_key", matches}});
      if (pair.key_slot && !key)
        std::cerr << "optigactl: warning: " << oid_text(*pair.key_slot) << " holds no key; the certificate was not checked against one\n";
      return;
    }
    std::cout << "wrote a certificate of " << der.size() << " bytes to " << oid_text(slot) << "\n";
    if (key) std::cout << "it certifies the key in " << oid_text(*pair.key_slot) << "\n";
    else if (pair.key_slot)
      std::cerr << "optigactl: warning: " << oid_text(*pair.key_slot) << " holds no key; the certificate was not checked against one\n";
  });
}

void register_check(CLI::App& cert, Context& ctx) {
  auto slot_text = std::make_shared<std::string>();
  auto* cmd = cert.add_subcommand("check", "does the slot's certificate certify the paired key (exit 0 yes, 1 no)");
  cmd->add_option("slot", *slot_text, "key slot (0xE0F1) or certificate slot (0xE0E1)")->required();
  cmd->callback([&ctx, slot_text] {
    const SlotPair pair = resolve_slot_pair(ctx, *slot_text);
    if (!pair.key_slot)
      throw Failure(exit_code::usage, "no_paired_key", oid_text(pair.certificate_slot) + " has no paired key slot to check against");
    auto& tok = ctx.token();
    const auto key = tok.key(*pair.key_slot);
    const auto certs = tok.certificates_in(pair.certificate_slot);
    const bool match = key && !certs.empty() && certifies(certs.front().der, key->public_key);
    const std::string reason = !key ? "no_key" : certs.empty() ? "no_certificate" : match ? "" : "mismatch";
    const std::string cert_slot = oid_text(pair.certificate_slot), key_slot = oid_text(*pair.key_slot);
    if (ctx.json()) {
      print_json({{"key_slot", key_slot}, {"certificate_slot", cert_slot}, {"key", key.has_value()},
                  {"certificate", !certs.empty()}, {"match", match},
                  {"reason", match ? nlohmann::json(nullptr) : nlohmann::json(reason)}});
    } else if (match) {
      std::cout << "the certificate in " << cert_slot << " certifies the key in " << key_slot << "\n";
    }
    if (match) return;
    const std::string why = !key ? key_slot + " holds no key" : certs.empty() ? cert_slot + " holds no certificate"
                                                                              : "the certificate in " + cert_slot + " is for another key than the one in " + key_slot;
    throw Failure(exit_code::refused, reason, why, ctx.json());
  });
}
}  // namespace

void register_certs(CLI::App& app, Context& ctx) {
  auto* cert = app.add_subcommand("cert", "certificates in their slots: read, write, check against the key");
  cert->require_subcommand(1);
  register_read(*cert, ctx);
  register_write(*cert, ctx);
  register_check(*cert, ctx);
}

}  // namespace optiga::cli
