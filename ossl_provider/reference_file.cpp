#include "ossl_provider/reference_file.h"

#include <string_view>

#include "core/chip/der.h"
#include "core/util/error.h"

namespace optiga::provider {
namespace {
constexpr std::string_view magic = "OPTIGA key reference";
}

Bytes encode_reference(const ReferenceFile& ref) {
  Bytes body;
  const Bytes m = chip::der_encode(0x0C, ByteView(reinterpret_cast<const std::uint8_t*>(magic.data()), magic.size()));
  body.insert(body.end(), m.begin(), m.end());
  const std::uint8_t version[] = {0x02, 0x01, 0x01};
  body.insert(body.end(), std::begin(version), std::end(version));
  const std::uint8_t slot[] = {static_cast<std::uint8_t>(ref.slot >> 8), static_cast<std::uint8_t>(ref.slot)};
  const Bytes s = chip::der_encode(0x04, slot);
  body.insert(body.end(), s.begin(), s.end());
  Bytes bits{0x00};  // no unused bits
  append(bits, ref.public_point);
  append(body, chip::der_encode(0x03, bits));
  return chip::der_encode(0x30, body);
}

std::optional<ReferenceFile> decode_reference(ByteView der) {
  try {
    const auto seq = chip::der_read(der);
    if (seq.tag != 0x30 || seq.encoded_size != der.size()) return std::nullopt;
    const auto m = chip::der_read(seq.value);
    if (m.tag != 0x0C || std::string_view(reinterpret_cast<const char*>(m.value.data()), m.value.size()) != magic)
      return std::nullopt;
    std::size_t off = m.encoded_size;
    const auto version = chip::der_read(seq.value, off);
    off += version.encoded_size;
    if (version.tag != 0x02 || version.value.size() != 1 || version.value[0] != 1) return std::nullopt;
    const auto slot = chip::der_read(seq.value, off);
    off += slot.encoded_size;
    if (slot.tag != 0x04 || slot.value.size() != 2) return std::nullopt;
    const auto pub = chip::der_read(seq.value, off);
    if (pub.tag != 0x03 || off + pub.encoded_size != seq.value.size() || pub.value.size() < 2 || pub.value[0] != 0x00)
      return std::nullopt;
    ReferenceFile ref;
    ref.slot = static_cast<std::uint16_t>(slot.value[0] << 8 | slot.value[1]);
    ref.public_point.assign(pub.value.begin() + 1, pub.value.end());
    return ref;
  } catch (const ParseError&) {
    return std::nullopt;
  }
}

}  // namespace optiga::provider
