#include "core/chip/uid.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <string>

#include "core/util/error.h"

namespace optiga::chip {

namespace {
constexpr std::size_t uid_size = 27;

struct KnownBuild {
  std::uint16_t build;
  Model model;
  std::string_view version;
};

// The build -> product table Infineon's chip-info tool uses (spec §6.3). Host tools key on the
// build number only, so this is the one field that decides what a chip "is".
constexpr std::array<KnownBuild, 8> known_builds = {{
    {build::trust_x_1_0_510, Model::trust_x, "1.0.510"},
    {build::trust_x_1_1_715, Model::trust_x, "1.1.715"},
    {build::trust_x_1_2_1048, Model::trust_x, "1.2.1048"},
    {build::trust_x_1_30_1112, Model::trust_x, "1.30.1112"},
    {build::trust_x_1_40_1118, Model::trust_x, "1.40.1118"},
    {build::trust_m_v1_1_30_809, Model::trust_m_v1, "1.30.809"},
    {build::trust_m_v3_3_00_2440, Model::trust_m_v3, "3.00.2440"},
    {build::trust_m_v3_3_02_2564, Model::trust_m_v3, "3.02.2564"},
}};

const KnownBuild* find_build(std::uint16_t b) {
  const auto it = std::find_if(known_builds.begin(), known_builds.end(), [b](const KnownBuild& k) { return k.build == b; });
  return it == known_builds.end() ? nullptr : &*it;
}

template <std::size_t N>
void read_array(ByteView raw, std::size_t offset, std::array<std::uint8_t, N>& out) {
  std::copy_n(raw.begin() + static_cast<std::ptrdiff_t>(offset), N, out.begin());
}
}  // namespace

Uid Uid::parse(ByteView raw) {
  if (raw.size() != uid_size)
    throw ParseError("coprocessor UID must be 27 bytes, got " + std::to_string(raw.size()));
  Uid u;
  u.cim_id = raw[0];
  u.platform_id = raw[1];
  u.model_id = raw[2];
  u.rom_mask = get_u16(raw, 3);
  read_array(raw, 5, u.chip_type);
  read_array(raw, 11, u.batch);
  u.wafer_x = get_u16(raw, 17);
  u.wafer_y = get_u16(raw, 19);
  u.firmware_id = get_u32(raw, 21);
  u.build = get_u16(raw, 25);
  return u;
}

Bytes Uid::serialize() const {
  Bytes out{cim_id, platform_id, model_id};
  put_u16(out, rom_mask);
  append(out, chip_type);
  append(out, batch);
  put_u16(out, wafer_x);
  put_u16(out, wafer_y);
  put_u32(out, firmware_id);
  put_u16(out, build);
  return out;
}

std::optional<Model> Uid::model() const {
  if (const KnownBuild* k = find_build(build)) return k->model;
  return std::nullopt;
}

std::string Uid::firmware_version() const {
  if (const KnownBuild* k = find_build(build)) return std::string(k->version);
  char text[24];
  std::snprintf(text, sizeof text, "build 0x%04X", static_cast<unsigned>(build));
  return text;
}

std::string Uid::serial() const {
  // A PKCS#11 serial holds 16 characters, but batch ‖ X ‖ Y is 10 bytes. The first two batch
  // bytes are the same on every published chip (0A 09 on both §6.3 examples), so they are the
  // ones dropped: what remains still tells apart chips of one batch and batches of one fab.
  Bytes id(batch.begin() + 2, batch.end());
  put_u16(id, wafer_x);
  put_u16(id, wafer_y);
  std::string hex = to_hex(id);
  std::transform(hex.begin(), hex.end(), hex.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return hex;
}

}  // namespace optiga::chip
