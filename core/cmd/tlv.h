// Command TLVs (spec §5.1): Tag(1) ‖ Length(2, BE) ‖ Value. Metadata uses 1-byte lengths and
// lives in core/chip/metadata.h instead.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/util/bytes.h"

namespace optiga::cmd {

void put_tlv(Bytes& out, std::uint8_t tag, ByteView value);
void put_tlv_u8(Bytes& out, std::uint8_t tag, std::uint8_t value);
void put_tlv_u16(Bytes& out, std::uint8_t tag, std::uint16_t value);

// A view into the parsed buffer; valid while that buffer lives.
struct Tlv {
  std::uint8_t tag = 0;
  ByteView value;
};

// Splits a sequence of TLVs. Throws ProtocolError when a header or value runs past the end,
// because TLVs only come back from the chip.
std::vector<Tlv> parse_tlvs(ByteView data);
std::optional<ByteView> find_tlv(const std::vector<Tlv>& tlvs, std::uint8_t tag);

}  // namespace optiga::cmd
