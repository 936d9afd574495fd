// The typed chip operations every front end uses (architecture "Layers": core/device). One
// Device per chip; each public call is one Operation: the chip lock is taken, the application is
// re-opened if another process or a fork() intervened, the short APDU sequence runs, the lock is
// released. Errors: chip::ChipError when the chip refuses, UsageError before anything is sent,
// ProtocolError when the chip's answer makes no sense (including a signature that fails to verify).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/chip/ids.h"
#include "core/chip/metadata.h"
#include "core/chip/uid.h"
#include "core/cmd/command_session.h"
#include "core/device/chip_lock.h"
#include "core/device/public_key.h"
#include "core/proto/apdu_channel.h"
#include "core/util/log.h"

namespace optiga::device {

struct DeviceOptions {
  std::filesystem::path lock_file;  // empty = no cross-process lock
  // How long an operation waits for another process to release the chip before it fails with
  // ChipBusyError naming that process.
  std::chrono::milliseconds lock_timeout = ChipLock::default_timeout;
  // The link belongs to this process alone (an in-process emulated chip, whose link state is not
  // shared with other processes even though its objects are): nothing to adopt after a switch.
  bool private_link = false;
  // Used when the UID names an unknown firmware build.
  chip::Model fallback_model = chip::Model::trust_m_v3;
};

struct DeviceInfo {
  chip::Model model = chip::Model::trust_m_v3;
  chip::Uid uid;
  std::string firmware_version;
  std::uint8_t lcs_global = 0;
  std::uint8_t lcs_application = 0;
  std::uint8_t security_event_counter = 0;
  std::uint16_t comms_buffer_size = 0;
  std::uint8_t last_error = 0;  // reading it clears it on the chip
};

struct KeyGenResult {
  Bytes public_key;  // the BIT STRING the chip returned
  std::optional<std::uint16_t> public_key_object;  // where it was stored, if it was
  std::string store_error;  // why storing it failed (the key itself was generated)
};

struct Signature {
  Bytes der;  // minimal DER ECDSA-Sig-Value (OpenSSL)
  Bytes raw;  // r‖s, each of the curve's field size (PKCS#11 CKM_ECDSA)
};

class Device {
 public:
  Device(std::unique_ptr<proto::ApduChannel> channel, DeviceOptions options = {});
  ~Device();
  Device(const Device&) = delete;
  Device& operator=(const Device&) = delete;

  // RAII: holds the chip for a sequence of calls (calls made while one is held join it).
  class Operation {
   public:
    explicit Operation(Device& device);
    ~Operation();
    Operation(const Operation&) = delete;
    Operation& operator=(const Operation&) = delete;

   private:
    Device& device_;
    std::unique_lock<std::recursive_mutex> guard_;
  };

  // The front end's logger (core/util/log.h): debug lines from here, the APDU trace from the
  // command layer. Silent until set; the front end sets it right after opening, so the opener
  // needs to know nothing about logging.
  void set_logger(Logger logger);
  const Logger& logger() const { return log_; }

  // OpenApplication, UID (→ model), comms buffer size (→ chunk sizes). Every other call opens
  // on first use too; calling it again is harmless.
  void open();
  // Resets the chip (reset line if the transport has one, else soft reset) and re-opens the
  // application. Volatile chip state (session contexts) is lost.
  void reset();
  chip::Model model();
  chip::Uid uid();
  DeviceInfo info();

  Bytes read_object(std::uint16_t oid);
  // First chunk erase&write when `erase`, then plain writes at increasing offsets.
  void write_object(std::uint16_t oid, ByteView data, bool erase);
  // The same bytes, but the chunks go in decreasing offsets, so the first chunk (the object's
  // first write_chunk_size() bytes) is written last, by one command: until that command the
  // object's first bytes are the old ones (with `erase`: zero, as the first command issued erases
  // the object). Certificate writes rely on it (docs/protocol-notes.md "Certificate writes and
  // power loss"). Data that fits one command is one erase&write (or write) as in write_object.
  void write_object_head_last(std::uint16_t oid, ByteView data, bool erase);
  // The bytes one SetDataObject carries (from the comms buffer size; opens on first use).
  std::size_t write_chunk_size();
  chip::Metadata read_metadata(std::uint16_t oid);
  // Writes the tags present in `update` (SetDataObject Param 0x01).
  void write_metadata(std::uint16_t oid, const chip::Metadata& update);
  void write_metadata_raw(std::uint16_t oid, ByteView metadata_tlv);
  Bytes random(std::size_t n);

  // Checks slot and model first; stores the public key in its public-key object unless the chip
  // refuses that write (then the result says why; the key exists anyway).
  KeyGenResult generate_key(std::uint16_t oid, chip::Algorithm curve, std::uint8_t usage);
  // Every signature is verified with the slot's public key before it is returned.
  Signature sign_digest(std::uint16_t oid, ByteView digest);
  // Tells the device the public key of a slot (e.g. from the token layer). The curve is detected
  // from the point when not given.
  void set_public_key(std::uint16_t oid, ByteView bit_string, std::optional<chip::Algorithm> curve = std::nullopt);
  // Changes whenever what this process cached about the chip may be stale: another process wrote
  // an object (data, metadata, a key) or the chip was reset. Another process's signatures, reads
  // or random numbers leave it alone. Caches above (core/token) key on it.
  std::uint64_t epoch() const { return epoch_; }
  // Whether `oid` may have been changed by another process (or lost to a reset) after the moment
  // epoch() returned `since`. Valid for what was noticed at the start of this process's
  // operations: ask inside an Operation, or after one.
  bool changed_since(std::uint16_t oid, std::uint64_t since) const;
  // The objects other processes wrote after epoch `since`; nullopt when that is not known (too
  // many writes in between, or a chip reset): then treat everything as changed.
  std::optional<std::vector<std::uint16_t>> changed_objects(std::uint64_t since) const;

  // Cached, else the public-key object, else the paired certificate. UsageError if none.
  PublicKey public_key(std::uint16_t oid);
  // VerifySign on the chip. false when the signature does not match (chip error 0x2C).
  bool verify(chip::Algorithm curve, ByteView public_key, ByteView digest, ByteView der_signature);
  bool verify_with_certificate(std::uint16_t cert_oid, ByteView digest, ByteView der_signature);
  // ECDH with the slot's private key; returns the shared secret (x-coordinate).
  Bytes ecdh(std::uint16_t oid, ByteView peer_bit_string);

 private:
  friend class Operation;
  void begin_operation();
  void end_operation() noexcept;
  void open_application_sequence();
  // begin_operation's parts: continue (or recover) the link, then catch up with other processes.
  // true when it continued a link another process left.
  bool take_over_link(shared::Record* record, bool other_process_ran);
  void recover_link();
  void ensure_application_open();
  void reset_link();
  void notice_changes(shared::Record& record);
  void invalidate(std::uint16_t oid);
  // Called before an object (data, metadata or key) is written: tells the other processes.
  void note_write(std::uint16_t oid);
  // session_.run, remembering that a failed exchange leaves the link in an unknown state.
  Bytes run(const cmd::Command& command);
  std::uint8_t read_byte_object(std::uint16_t oid);
  // Refuses (UsageError) writes of key and session objects and data larger than the object.
  void check_writable_data(std::uint16_t oid, ByteView data, const std::string& what);
  void check_key_slot(std::uint16_t oid, bool ecc_only, const char* what);
  // The comms buffer size (0xE0C6), read the first time a chunk size matters: most processes
  // only read small objects, which need no chunking (architecture "Sharing the chip", cold start).
  std::uint16_t comms_buffer();
  std::size_t read_chunk() { return comms_buffer() - 4u; }   // minus the response header
  std::size_t write_chunk() { return comms_buffer() - 8u; }  // minus header, OID, offset

  std::unique_ptr<proto::ApduChannel> channel_;
  DeviceOptions options_;
  Logger log_;
  cmd::CommandSession session_;
  ChipLock lock_;
  CryptoContext crypto_;
  std::recursive_mutex mutex_;
  int depth_ = 0;
  pid_t pid_;
  bool opened_ = false;          // UID and model are known
  bool application_open_ = false;  // OpenApplication ran since the chip's last reset
  bool needs_reinit_ = false;
  shared::Record* record_ = nullptr;  // while the lock is held
  std::optional<std::uint64_t> last_generation_;
  std::uint64_t seen_write_sequence_ = 0;
  std::uint64_t seen_reset_count_ = 0;
  std::map<std::uint16_t, std::uint64_t> changed_at_;  // oid → epoch in which its change was noticed
  std::uint64_t all_changed_at_ = 0;
  chip::Uid uid_;
  std::uint16_t comms_buffer_ = 0;  // 0 = not read yet
  std::map<std::uint16_t, PublicKey> public_keys_;
  std::uint64_t epoch_ = 0;
};

}  // namespace optiga::device
