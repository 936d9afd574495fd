#include "core/token/certificate_write.h"

#include <algorithm>

#include "core/chip/cert_format.h"
#include "core/chip/ids.h"
#include "core/token/token_error.h"

namespace optiga::token {

void write_certificate_object(device::Device& device, std::uint16_t slot, ByteView der) {
  device::Device::Operation op(device);
  const std::size_t chunk = device.write_chunk_size();
  if (der.size() <= chunk) {
    device.write_object(slot, der, true);  // one command: the chip's write is tearing-safe
    return;
  }
  const Bytes old = device.read_object(slot);
  const auto extent = chip::certificate_object_extent(old);
  // An old certificate that lies within the first chunk (or an empty slot) stays readable until
  // the command that writes the first chunk replaces it. The new tail then lands behind it, where
  // readers do not look (cert_format.h).
  const bool keep_old = extent && *extent > 0 && *extent <= chunk;
  if (!keep_old) {
    device.write_object_head_last(slot, der, true);
    return;
  }
  // Without an erase the used size stays: zero what the new certificate does not cover, so the
  // object ends where the certificate does, as readers of the raw bytes expect.
  Bytes data(der.begin(), der.end());
  if (old.size() > data.size()) data.resize(old.size(), 0);
  device.write_object_head_last(slot, data, false);
}

void expect_untorn_certificate_object(std::uint16_t slot, ByteView content) {
  try {
    chip::parse_certificate_object(content);
  } catch (const chip::TornCertificateObject& e) {
    throw TornCertificate(slot, torn_certificate_message(slot, e.detail()));
  } catch (const ParseError&) {
    // Not a certificate format: other data, not a torn certificate.
  }
}

std::string torn_certificate_message(std::uint16_t slot, const std::string& detail) {
  return chip::oid_text(slot) + " holds a torn certificate (" + detail + "): a write was interrupted by a reset or power "
         "loss and left neither the old certificate nor the new one; torn: rewrite the certificate";
}

}  // namespace optiga::token
