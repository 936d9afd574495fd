// libFuzzer target: arbitrary bus bytes through the frame decoder and the response-chain
// reassembler. Both must reject garbage with an error, never read out of bounds or crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

#include "core/proto/frame_codec.h"
#include "core/proto/packet_chain.h"

using namespace optiga;
using namespace optiga::proto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const ByteView input(data, size);

  // Whole input as one frame, against the default and the smallest frame size.
  for (const std::size_t max : {std::size_t{277}, std::size_t{16}}) {
    const auto result = decode_frame(input, max);
    if (const auto* frame = std::get_if<DecodedFrame>(&result)) {
      // A decoded packet must lie inside the input and fit the frame.
      if (frame->packet.size() + frame_overhead != input.size()) std::abort();
      if (!frame->packet.empty() && (frame->packet.data() < data || frame->packet.data() + frame->packet.size() > data + size)) std::abort();
      // Re-encoding a valid data frame reproduces the input byte for byte.
      if (frame->kind == FrameKind::data && !frame->nak &&
          encode_data_frame(frame->frame_number, frame->ack_number, frame->packet) != Bytes(input.begin(), input.end())) {
        std::abort();
      }
    }
  }

  // The input as a sequence of length-prefixed packets for the reassembler (small packets so
  // chains are reachable). The first byte picks the packet size.
  if (size < 2) return 0;
  const std::size_t max_packet = 2 + data[0] % 30;
  ChainAssembler assembler(max_packet, 256);
  std::size_t offset = 1;
  while (offset < size) {
    const std::size_t n = 1 + data[offset] % max_packet;
    ++offset;
    const std::size_t take = n < size - offset ? n : size - offset;
    const auto status = assembler.add(input.subspan(offset, take));
    if (status == ChainAssembler::Status::complete && assembler.message().size() > 256 + max_packet) std::abort();
    offset += take;
  }
  return 0;
}
