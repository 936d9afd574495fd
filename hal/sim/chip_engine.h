// The emulated chip's application: executes command APDUs against the object store with the
// chip's access conditions, life cycle, error flow, security monitor and timing model
// (spec §5–§7, §9). The link side (register file, frames, chaining, presentation layer) hands
// complete APDUs to execute(). See docs/emulated-chip.md for the choices made where the spec is
// unverified.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "core/chip/ids.h"
#include "core/chip/metadata.h"
#include "core/chip/object_map.h"
#include "hal/sim/apdu_engine.h"
#include "hal/sim/engine_apdu.h"
#include "hal/sim/engine_keys.h"
#include "hal/sim/engine_latency.h"
#include "hal/sim/object_store.h"
#include "hal/sim/security_monitor.h"
#include "hal/sim/sim_crypto.h"
#include "hal/sim/sim_options.h"
#include "hal/sim/state_file.h"

namespace optiga::sim {

class ChipEngine final : public ApduEngine {
 public:
  // With opts.state_path: loads the shared state file, or creates a factory-fresh chip of
  // opts.model there when it does not exist. Throws std::runtime_error naming the file when it is
  // corrupt or holds a different model.
  explicit ChipEngine(const SimOptions& opts);
  ~ChipEngine() override;

  ApduResult execute(ByteView apdu, std::uint64_t now_us) override;
  void reset() override;

  chip::Model model() const { return model_; }

 private:
  // What a handler produced: response data and modelled execution time.
  struct Reply {
    Bytes data;
    std::uint64_t latency_us = 0;
  };
  // Volatile key or secret in a session context (0xE100‥0xE103).
  struct Session {
    std::optional<chip::Algorithm> algorithm;
    std::uint8_t usage = 0;
    Bytes private_der;
    Bytes secret;  // shared secret from CalcSSec
  };
  using Sessions = std::array<Session, 4>;
  // The private key a command uses, from a key object or a session context.
  struct KeyRef {
    chip::Algorithm algorithm;
    std::uint8_t usage;
    const Bytes* private_der;
    bool session;
  };

  Reply dispatch(const Apdu& a, std::uint64_t now_us);
  // chip_engine.cpp
  Reply open_application(const Apdu& a);
  Reply close_application(const Apdu& a);
  // cmd_data_object.cpp
  Reply get_data_object(const Apdu& a);
  Reply set_data_object(const Apdu& a);
  Reply get_metadata(std::uint16_t oid);
  Reply set_metadata(std::uint16_t oid, std::uint16_t offset, ByteView tlv);
  Reply count(std::uint16_t oid, ByteView data);
  Bytes read_value(std::uint16_t oid, const StoredObject& o) const;
  void write_status(std::uint16_t oid, StoredObject& o, bool erase, std::uint16_t offset, ByteView data);
  // cmd_crypto.cpp
  Reply get_random(const Apdu& a);
  Reply gen_key_pair(const Apdu& a);
  Reply calc_sign(const Apdu& a, std::uint64_t now_us);
  Reply verify_sign(const Apdu& a);
  Reply calc_ssec(const Apdu& a, std::uint64_t now_us);
  KeyRef private_key(std::uint16_t oid);
  std::uint64_t protected_operation(std::uint64_t now_us);
  bool next_signature_non_minimal();

  // Object lookup and access control (chip_engine.cpp).
  const chip::ObjectInfo& object_info(std::uint16_t oid) const;  // 0x01 when unknown
  StoredObject& stored(std::uint16_t oid);                        // 0x01 when not addressable
  chip::AcContext ac_context(const chip::Metadata& m) const;
  void require(const std::optional<chip::AccessCondition>& ac, const chip::Metadata& m) const;  // 0x07
  std::uint8_t& sec();
  MonitorConfig monitor_config() const;
  static std::optional<std::size_t> session_index(std::uint16_t oid);

  // Persistence (chip_engine.cpp).
  void sync_from_file();
  void save_to_file();

  SimOptions opts_;
  chip::Model model_;
  SimCrypto crypto_;
  KeyInspector inspector_;
  LatencyModel latency_;
  std::optional<ObjectStore> nvm_;  // always set after construction
  std::unique_ptr<StateFile> state_;
  bool nvm_dirty_ = false;           // this command changed the NVM: save the state file
  std::uint64_t pending_throttle_us_ = 0;  // security-monitor delay of this command
  std::mutex mutex_;  // one APDU at a time per instance

  // Volatile state, cleared by reset().
  bool app_open_ = false;
  std::uint8_t last_error_ = 0;
  std::uint8_t security_status_global_ = 0x20;
  std::uint8_t security_status_application_ = 0x20;
  Sessions sessions_{};
  SecurityMonitor monitor_;
  // CloseApplication(hibernate) keeps the sessions under a handle across resets.
  struct Saved {
    Bytes handle;
    Sessions sessions;
  };
  std::optional<Saved> saved_;
  std::uint64_t signature_count_ = 0;
};

std::unique_ptr<ApduEngine> make_chip_engine(const SimOptions& opts);

}  // namespace optiga::sim
