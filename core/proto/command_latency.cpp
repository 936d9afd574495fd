#include "core/proto/command_latency.h"

namespace optiga::proto {

namespace {
// The nominal time, counted from the end of the command's last frame: the published figures
// include the bus time of the whole sequence, so the chip's own work is a little shorter and the
// first poll finds the answer ready. A slower chip costs a brisk poll or two, not latency.
constexpr std::uint64_t early(std::uint64_t nominal_us) { return nominal_us; }
}  // namespace

std::uint64_t expected_latency_us(chip::Model model, ByteView apdu) {
  if (apdu.size() < 4) return 0;
  const bool v3 = model == chip::Model::trust_m_v3;
  const std::size_t in_len = (std::size_t{apdu[2]} << 8) | apdu[3];
  switch (apdu[0] & 0x7F) {
    case chip::cmd::calc_sign: return early(v3 ? 65'000 : 60'000);
    case chip::cmd::verify_sign: return early(85'000);
    case chip::cmd::calc_ssec: return early(60'000);
    case chip::cmd::gen_key_pair: return early(v3 ? 55'000 : 75'000);
    case chip::cmd::set_data_object: {
      // InData: OID(2) Offset(2) Data; metadata writes are small.
      const std::size_t n = in_len > 4 ? in_len - 4 : 0;
      return early(5'000 + n * 50'000 / 256);
    }
    case chip::cmd::get_data_object: {
      // InData: OID(2) [Offset(2) Length(2)]; the object may hold less than asked: no estimate
      // beyond the fixed part.
      return early(2'000);
    }
    default: return 0;
  }
}

}  // namespace optiga::proto
