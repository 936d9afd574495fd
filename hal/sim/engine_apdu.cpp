#include "hal/sim/engine_apdu.h"

#include <algorithm>

#include "core/chip/ids.h"

namespace optiga::sim {

namespace err = chip::err;

Apdu parse_apdu(ByteView apdu) {
  if (apdu.size() < 4) fail(err::invalid_length);
  const std::size_t in_len = get_u16(apdu, 2);
  if (in_len != apdu.size() - 4 || in_len > max_apdu_data) fail(err::invalid_length);
  Apdu a;
  a.cmd = apdu[0] & 0x7F;
  a.clear_error = (apdu[0] & chip::cmd::clear_error_flag) != 0;
  a.param = apdu[1];
  a.data = apdu.subspan(4);
  return a;
}

CommandTlvs CommandTlvs::parse(ByteView data) {
  CommandTlvs t;
  std::size_t i = 0;
  while (i < data.size()) {
    if (i + 3 > data.size()) fail(err::invalid_parameter_in_data);
    const std::uint8_t tag = data[i];
    const std::size_t len = get_u16(data, i + 1);
    if (i + 3 + len > data.size()) fail(err::invalid_parameter_in_data);
    if (!t.values_.emplace(tag, Bytes(data.begin() + i + 3, data.begin() + i + 3 + len)).second)
      fail(err::invalid_parameter_in_data);
    i += 3 + len;
  }
  return t;
}

const Bytes& CommandTlvs::get(std::uint8_t tag) const {
  auto it = values_.find(tag);
  if (it == values_.end()) fail(err::invalid_parameter_in_data);
  return it->second;
}

std::uint16_t CommandTlvs::oid(std::uint8_t tag) const {
  const Bytes& v = get(tag);
  if (v.size() != 2) fail(err::invalid_parameter_in_data);
  return get_u16(v, 0);
}

std::uint8_t CommandTlvs::byte(std::uint8_t tag) const {
  const Bytes& v = get(tag);
  if (v.size() != 1) fail(err::invalid_parameter_in_data);
  return v[0];
}

void CommandTlvs::allow_only(std::initializer_list<std::uint8_t> tags) const {
  for (const auto& [tag, value] : values_)
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) fail(err::invalid_parameter_in_data);
}

void put_tlv(Bytes& out, std::uint8_t tag, ByteView value) {
  out.push_back(tag);
  put_u16(out, static_cast<std::uint16_t>(value.size()));
  append(out, value);
}

Bytes success_response(ByteView out_data) {
  Bytes r{chip::status_ok, 0x00};
  put_u16(r, static_cast<std::uint16_t>(out_data.size()));
  append(r, out_data);
  return r;
}

Bytes error_response() { return Bytes{chip::status_error, 0x00, 0x00, 0x00}; }

}  // namespace optiga::sim
