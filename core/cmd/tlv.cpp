#include "core/cmd/tlv.h"

#include <string>

#include "core/util/error.h"

namespace optiga::cmd {

void put_tlv(Bytes& out, std::uint8_t tag, ByteView value) {
  if (value.size() > 0xFFFF) throw UsageError("TLV value too long");
  out.push_back(tag);
  put_u16(out, static_cast<std::uint16_t>(value.size()));
  append(out, value);
}

void put_tlv_u8(Bytes& out, std::uint8_t tag, std::uint8_t value) {
  const std::uint8_t v[1] = {value};
  put_tlv(out, tag, v);
}

void put_tlv_u16(Bytes& out, std::uint8_t tag, std::uint16_t value) {
  const std::uint8_t v[2] = {static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
  put_tlv(out, tag, v);
}

std::vector<Tlv> parse_tlvs(ByteView data) {
  std::vector<Tlv> out;
  std::size_t pos = 0;
  while (pos < data.size()) {
    if (data.size() - pos < 3) throw ProtocolError("truncated TLV header at offset " + std::to_string(pos));
    const std::size_t len = get_u16(data, pos + 1);
    if (data.size() - pos - 3 < len)
      throw ProtocolError("TLV 0x" + to_hex(data.subspan(pos, 1)) + " length " + std::to_string(len) + " runs past the end");
    out.push_back(Tlv{data[pos], data.subspan(pos + 3, len)});
    pos += 3 + len;
  }
  return out;
}

std::optional<ByteView> find_tlv(const std::vector<Tlv>& tlvs, std::uint8_t tag) {
  for (const auto& t : tlvs)
    if (t.tag == tag) return t.value;
  return std::nullopt;
}

}  // namespace optiga::cmd
