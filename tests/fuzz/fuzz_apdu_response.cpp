// libFuzzer entry: parse_response must never read out of bounds or throw on any input, and a
// response it accepts must account for every byte.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "core/cmd/apdu.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = optiga::cmd::parse_response(optiga::ByteView(data, size));
  if (const auto* r = std::get_if<optiga::cmd::Response>(&parsed)) {
    if (r->ok() && r->data.size() + 4 != size) std::abort();
  }
  return 0;
}
