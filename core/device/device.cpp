// Device: opening, information and data objects (chunked, spec §5.7).
#include "core/device/device.h"

#include <unistd.h>

#include <algorithm>

#include "core/chip/chip_error.h"
#include "core/chip/object_map.h"
#include "core/cmd/commands.h"
#include "core/util/error.h"

namespace optiga::device {

namespace {
constexpr std::uint16_t uid_size = 27;
// Smallest buffer that leaves room for a write header and a byte of data; anything less is a
// broken answer, not a chip.
constexpr std::uint16_t min_comms_buffer = 16;
// The first read of an object before the buffer size is known: below every OPTIGA model's comms
// buffer (Trust X and M: 1557 bytes, the object map's 0xE0C6).
constexpr std::size_t first_read_chunk = 256;
}  // namespace

Device::Device(std::unique_ptr<proto::ApduChannel> channel, DeviceOptions options)
    : channel_(std::move(channel)),
      options_(std::move(options)),
      session_(*channel_),
      lock_(options_.lock_file, options_.lock_timeout),
      pid_(::getpid()) {
  if (!channel_) throw UsageError("Device needs a channel");
}

void Device::set_logger(Logger logger) {
  log_ = std::move(logger);
  session_.set_logger(log_);
}

Device::~Device() = default;

void Device::open_application_sequence() {
  // A process that continues the link another process left finds the application open.
  if (!application_open_) run(cmd::open_application());
  const Bytes raw_uid = run(cmd::get_data(chip::oid::coprocessor_uid, 0, uid_size));
  try {
    uid_ = chip::Uid::parse(raw_uid);
  } catch (const ParseError& e) {
    throw ProtocolError(std::string("coprocessor UID (0xE0C2): ") + e.what());
  }
  session_.set_model(uid_.model().value_or(options_.fallback_model));
  channel_->set_model(session_.model());
  opened_ = true;
  application_open_ = true;
  if (log_.enabled(LogLevel::debug))
    log_.debug("opened the application: " + std::string(chip::model_name(session_.model())) + ", UID " +
               to_hex(raw_uid));
}

std::uint16_t Device::comms_buffer() {
  if (comms_buffer_ != 0) return comms_buffer_;
  const Bytes buffer = run(cmd::get_data(chip::oid::max_comms_buffer, 0, 2));
  if (buffer.size() != 2 || get_u16(buffer, 0) < min_comms_buffer)
    throw ProtocolError("implausible comms buffer size in 0xE0C6: " + to_hex(buffer));
  comms_buffer_ = get_u16(buffer, 0);
  log_.debug("comms buffer " + std::to_string(comms_buffer_) + " bytes");
  return comms_buffer_;
}

Bytes Device::run(const cmd::Command& command) {
  try {
    return session_.run(command);
  } catch (const chip::ChipError&) {
    throw;  // a clean refusal: the link is fine
  } catch (const Error&) {
    needs_reinit_ = true;
    throw;
  }
}

void Device::open() { Operation op(*this); }

void Device::reset() {
  Operation op(*this);
  reset_link();
  run(cmd::open_application());
  application_open_ = true;
}

chip::Model Device::model() {
  Operation op(*this);
  return session_.model();
}

chip::Uid Device::uid() {
  Operation op(*this);
  return uid_;
}

std::uint8_t Device::read_byte_object(std::uint16_t oid) {
  const Bytes value = run(cmd::get_data(oid, 0, 1));
  if (value.size() != 1) throw ProtocolError(chip::oid_text(oid) + " returned " + std::to_string(value.size()) + " bytes, expected 1");
  return value[0];
}

DeviceInfo Device::info() {
  Operation op(*this);
  DeviceInfo out;
  // First, and through the error-flow read: every Trust M command with the clear bit (the
  // status reads below too) would clear it before it is read.
  out.last_error = session_.read_last_error();
  out.model = session_.model();
  out.uid = uid_;
  out.firmware_version = uid_.firmware_version();
  out.comms_buffer_size = comms_buffer();
  out.lcs_global = read_byte_object(chip::oid::lcs_global);
  out.lcs_application = read_byte_object(chip::oid::lcs_application);
  out.security_event_counter = read_byte_object(chip::oid::security_event_counter);
  return out;
}

Bytes Device::read_object(std::uint16_t oid) {
  Operation op(*this);
  if (const auto* info = chip::find_object(session_.model(), oid);
      info && (chip::is_key_kind(info->kind) || info->kind == chip::ObjectKind::session_context))
    throw UsageError("read " + chip::oid_text(oid) + ": a " + std::string(chip::object_kind_name(info->kind)) +
                     " holds no readable data");
  Bytes out;
  // Until the comms buffer size is known, a first request that fits every chip's buffer: most
  // objects (public keys, small data, metadata-sized values) then take one command and no
  // buffer-size read.
  std::size_t chunk = comms_buffer_ != 0 ? read_chunk() : first_read_chunk;
  for (;;) {
    if (out.size() > 0xFFFF) throw ProtocolError("read " + chip::oid_text(oid) + ": object larger than 64 KiB");
    Bytes part;
    try {
      part = run(cmd::get_data(oid, static_cast<std::uint16_t>(out.size()), static_cast<std::uint16_t>(chunk)));
    } catch (const chip::ChipError& e) {
      // The vendor hosts read until the chip says "boundary exceeded" (§5.2, §5.7).
      if (e.code() == chip::err::boundary_exceeded && !out.empty()) break;
      throw;
    }
    if (part.size() > chunk)
      throw ProtocolError("read " + chip::oid_text(oid) + ": chip returned more bytes than asked");
    append(out, part);
    if (part.size() < chunk) break;
    chunk = read_chunk();
  }
  return out;
}

void Device::check_writable_data(std::uint16_t oid, ByteView data, const std::string& what) {
  if (const auto* info = chip::find_object(session_.model(), oid)) {
    if (chip::is_key_kind(info->kind) || info->kind == chip::ObjectKind::session_context)
      throw UsageError(what + ": a " + std::string(chip::object_kind_name(info->kind)) + " cannot be written");
    if (info->max_size && data.size() > info->max_size)
      throw UsageError(what + ": " + std::to_string(data.size()) + " bytes exceed the object's " +
                       std::to_string(info->max_size));
  }
  if (data.size() > 0xFFFF) throw UsageError(what + ": data larger than 64 KiB");
}

std::size_t Device::write_chunk_size() {
  Operation op(*this);
  return write_chunk();
}

void Device::write_object_head_last(std::uint16_t oid, ByteView data, bool erase) {
  Operation op(*this);
  const std::size_t chunk = write_chunk();
  if (data.size() <= chunk) return write_object(oid, data, erase);
  const std::string what = "write " + chip::oid_text(oid);
  check_writable_data(oid, data, what);
  note_write(oid);
  const std::size_t last = (data.size() - 1) / chunk * chunk;  // offset of the final chunk, written first
  for (std::size_t offset = last;; offset -= chunk) {
    const std::size_t n = std::min(chunk, data.size() - offset);
    try {
      run(cmd::set_data(oid, static_cast<std::uint16_t>(offset), data.subspan(offset, n), erase && offset == last));
    } catch (const Error& e) {
      if (offset == last) throw;  // nothing was written: the old content is intact
      const std::string state = erase ? "the object is erased up to byte " + std::to_string(offset + n) +
                                            " and holds only the bytes after it; write it again"
                                      : "its first " + std::to_string(offset + n) +
                                            " bytes are still the old ones; write it again";
      if (const auto* c = dynamic_cast<const chip::ChipError*>(&e))
        throw chip::ChipError(c->code(), what + ": interrupted before its first bytes were written: " + state);
      throw ProtocolError(what + ": the link failed before its first bytes were written: " + state + ": " + e.what());
    }
    if (offset == 0) break;
  }
}

void Device::write_object(std::uint16_t oid, ByteView data, bool erase) {
  Operation op(*this);
  const std::string what = "write " + chip::oid_text(oid);
  check_writable_data(oid, data, what);
  note_write(oid);
  if (data.empty()) {
    if (erase) run(cmd::set_data(oid, 0, {}, true));
    return;
  }
  const std::size_t chunk = write_chunk();
  for (std::size_t offset = 0; offset < data.size(); offset += chunk) {
    const std::size_t n = std::min(chunk, data.size() - offset);
    try {
      run(cmd::set_data(oid, static_cast<std::uint16_t>(offset), data.subspan(offset, n), erase && offset == 0));
    } catch (const chip::ChipError& e) {
      if (offset == 0) throw;  // nothing was written: the old content is intact
      // The chip keeps every command's write (tearing-safe per command) but not the whole
      // sequence: say exactly what the object holds now.
      throw chip::ChipError(e.code(), what + ": only the first " + std::to_string(offset) + " of " +
                                          std::to_string(data.size()) +
                                          " bytes were written (the object holds a partial value; write it again)");
    } catch (const Error& e) {
      if (offset == 0) throw;
      throw ProtocolError(what + ": the link failed after " + std::to_string(offset) + " of " +
                          std::to_string(data.size()) + " bytes were written (the object holds a partial value; " +
                          "write it again): " + e.what());
    }
  }
}

chip::Metadata Device::read_metadata(std::uint16_t oid) {
  Operation op(*this);
  const Bytes tlv = run(cmd::get_metadata(oid));
  try {
    return chip::Metadata::parse(tlv);
  } catch (const ParseError& e) {
    throw ProtocolError("metadata of " + chip::oid_text(oid) + ": " + e.what());
  }
}

void Device::write_metadata(std::uint16_t oid, const chip::Metadata& update) {
  write_metadata_raw(oid, update.serialize());
}

void Device::write_metadata_raw(std::uint16_t oid, ByteView metadata_tlv) {
  Operation op(*this);
  note_write(oid);
  run(cmd::set_metadata(oid, metadata_tlv));
}

Bytes Device::random(std::size_t n) {
  constexpr std::size_t min_call = chip::get_random_min, max_call = chip::get_random_max;
  Operation op(*this);
  Bytes out;
  out.reserve(n);
  while (out.size() < n) {
    // The chip returns 8..256 bytes per call; ask for at least 8 and keep what was asked.
    const std::size_t want = std::min(max_call, n - out.size());
    const Bytes part = run(cmd::get_random(static_cast<std::uint16_t>(std::max(min_call, want))));
    if (part.size() < want) throw ProtocolError("GetRandom returned fewer bytes than asked");
    out.insert(out.end(), part.begin(), part.begin() + static_cast<std::ptrdiff_t>(want));
  }
  return out;
}

}  // namespace optiga::device
