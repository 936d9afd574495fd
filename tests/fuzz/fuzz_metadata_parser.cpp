// libFuzzer entry: arbitrary bytes into the metadata TLV parser and the access-condition grammar.
// Invariants checked: parse either throws optiga::ParseError or yields metadata whose
// serialisation parses back to the same value; AC code never crashes and a malformed AC never
// evaluates true.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/chip/metadata.h"
#include "core/util/error.h"

using optiga::Bytes;
using optiga::ByteView;
using optiga::chip::AccessCondition;
using optiga::chip::AcContext;
using optiga::chip::Metadata;

namespace {
void check_ac(const AccessCondition& ac, const AcContext& ctx) {
  const bool valid = !ac.validate().has_value();
  const bool granted = ac.evaluate(ctx);
  (void)ac.to_string();
  if (!valid && granted) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);
  AcContext ctx;
  if (size > 0) {
    ctx.lcs_object = data[0];
    ctx.security_status_global = static_cast<std::uint8_t>(data[size - 1]);
    ctx.command_protected = (data[0] & 1) != 0;
  }
  check_ac(AccessCondition(Bytes(input.begin(), input.end())), ctx);
  try {
    const Metadata m = Metadata::parse(input);
    (void)m.describe();
    for (const auto* ac : {&m.change, &m.read, &m.execute, &m.update_descriptor})
      if (*ac) check_ac(**ac, ctx);
    const Bytes again = m.serialize();
    if (!(Metadata::parse(again) == m)) std::abort();
    Metadata merged = m;
    merged.merge(m);
    if (!(merged == m)) std::abort();
  } catch (const optiga::ParseError&) {
    // Malformed input is expected to be rejected.
  }
  return 0;
}
