// How a certificate reaches its slot so that no reader ever takes a torn one for a certificate,
// and the one answer every reader gives for a torn slot (docs/protocol-notes.md "Certificate
// writes and power loss").
#pragma once

#include <cstdint>
#include <string>

#include "core/device/device.h"
#include "core/util/bytes.h"

namespace optiga::token {

// Writes one DER certificate as the slot's whole content. One that needs more than one
// SetDataObject is written with its first chunk last (Device::write_object_head_last): over an
// old certificate that lies within that first chunk, nothing is erased, so an interruption leaves
// the old certificate readable; over a larger one the first command erases, so an interruption
// leaves an object every reader reports as torn. The caller checked the certificate and the slot.
void write_certificate_object(device::Device& device, std::uint16_t slot, ByteView der);

// Throws TornCertificate (token_error.h) when `content`, read from certificate or trust-anchor
// slot `slot`, is what an interrupted write left (for tools that read a slot's raw bytes).
void expect_untorn_certificate_object(std::uint16_t slot, ByteView content);

// "0xE0E1 holds a torn certificate ...: rewrite it" — what PKCS#11 logs, the provider raises and
// optigactl prints.
std::string torn_certificate_message(std::uint16_t slot, const std::string& detail);

}  // namespace optiga::token
