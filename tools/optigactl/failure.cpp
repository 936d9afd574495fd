// How optigactl reports a failure: exit code and reason word (docs/admin-cli.md "Exit codes"),
// the message on stderr, and with --json the error object on stdout for scripts.
#include <cstdio>
#include <iostream>

#include "core/chip/chip_error.h"
#include "core/token/token_error.h"
#include "core/util/error.h"
#include "tools/optigactl/cli.h"

namespace optiga::cli {

namespace {
struct Verdict {
  int code;
  std::string reason;
};

// Arguments that name the wrong thing are usage errors; refusals that depend on what the chip
// holds now (a key there already, a locked slot, a certificate too large or for another key)
// are the chip saying no. No default: a new refusal must be placed here.
Verdict token_verdict(token::Refusal refusal) {
  switch (refusal) {
    case token::Refusal::not_a_slot: return {exit_code::usage, "not_a_slot"};
    case token::Refusal::wrong_slot_kind: return {exit_code::usage, "wrong_slot_kind"};
    case token::Refusal::unsupported_curve: return {exit_code::usage, "unsupported_curve"};
    case token::Refusal::not_a_certificate: return {exit_code::usage, "not_a_certificate"};
    case token::Refusal::no_matching_slot: return {exit_code::usage, "no_matching_slot"};
    case token::Refusal::label_invalid: return {exit_code::usage, "label_invalid"};
    case token::Refusal::slot_locked: return {exit_code::refused, "slot_locked"};
    case token::Refusal::slot_occupied: return {exit_code::refused, "slot_occupied"};
    case token::Refusal::factory_key: return {exit_code::refused, "factory_key"};
    case token::Refusal::does_not_fit: return {exit_code::refused, "does_not_fit"};
    case token::Refusal::wrong_key: return {exit_code::refused, "wrong_key"};
  }
  return {exit_code::refused, "refused"};
}
}  // namespace

int report_failure(const std::exception& e, bool json) {
  Verdict v{exit_code::refused, "failed"};
  bool answered = false;
  nlohmann::json extra = nlohmann::json::object();
  if (const auto* f = dynamic_cast<const Failure*>(&e)) {
    v = {f->exit_code(), f->reason()};
    answered = f->answered();
  } else if (const auto* c = dynamic_cast<const chip::ChipError*>(&e)) {
    v = {exit_code::refused, "chip_error"};
    char code[8];
    std::snprintf(code, sizeof code, "0x%02X", c->code());
    extra["chip_error"] = code;
  } else if (dynamic_cast<const token::TornCertificate*>(&e)) {
    v = {exit_code::refused, "torn_certificate"};  // the chip answers; what it holds must be rewritten
  } else if (const auto* t = dynamic_cast<const token::TokenError*>(&e)) {
    v = token_verdict(t->refusal());
  } else if (dynamic_cast<const UsageError*>(&e)) {
    v = {exit_code::usage, "usage"};
  } else if (dynamic_cast<const TransportError*>(&e)) {
    v = {exit_code::no_device, "no_device"};
  } else if (dynamic_cast<const ProtocolError*>(&e)) {
    v = {exit_code::no_device, "protocol_error"};
  }
  const std::string message = e.what();
  if (!message.empty()) std::cerr << "optigactl: " << message << "\n";
  if (json && !answered) {
    nlohmann::json error{{"exit_code", v.code}, {"reason", v.reason}, {"message", message}};
    error.update(extra);
    print_json({{"error", error}});
  }
  return v.code;
}

}  // namespace optiga::cli
