#include "hal/sim/chip_engine.h"

#include <algorithm>
#include <stdexcept>

#include "core/util/error.h"

namespace optiga::sim {

namespace err = chip::err;
namespace oid = chip::oid;

ChipEngine::ChipEngine(const SimOptions& opts) : opts_(opts), model_(opts.model), latency_(opts.model) {
  std::optional<StateFile::Lock> file_lock;
  if (opts_.state_path.empty()) {
    nvm_ = ObjectStore::factory_fresh(model_, crypto_);
  } else {
    state_ = std::make_unique<StateFile>(opts_.state_path);
    file_lock.emplace(*state_);
    sync_from_file();
  }
  if (opts_.faults.security_event_counter >= 0) {
    sec() = static_cast<std::uint8_t>(std::min(opts_.faults.security_event_counter, 255));
    if (state_) save_to_file();
  }
}

ChipEngine::~ChipEngine() = default;

std::unique_ptr<ApduEngine> make_chip_engine(const SimOptions& opts) { return std::make_unique<ChipEngine>(opts); }

ApduResult ChipEngine::execute(ByteView apdu, std::uint64_t now_us) {
  std::lock_guard guard(mutex_);
  // Each command is atomic with respect to other processes sharing the state file.
  std::optional<StateFile::Lock> file_lock;
  if (state_) {
    file_lock.emplace(*state_);
    sync_from_file();
  }
  nvm_dirty_ = false;
  pending_throttle_us_ = 0;
  // SEC lives in NVM but, like the chip's RAM copy of it (spec §4.6), a change is written with the
  // next NVM update rather than on its own: signing must not cost a file write each time.
  monitor_.advance(now_us, sec(), monitor_config());

  ApduResult result;
  try {
    const Apdu a = parse_apdu(apdu);
    if (a.clear_error) last_error_ = err::no_error;
    Reply reply = dispatch(a, now_us);
    if (reply.data.size() > max_apdu_data) fail(err::insufficient_buffer);
    result.response = success_response(reply.data);
    result.latency_us = opts_.timing.chip_latency ? reply.latency_us : 0;
    // A read of 0xF1C2 reports the code and then clears it (spec §5.1).
    if (a.cmd == chip::cmd::get_data_object && a.param == chip::param::read_data && a.data.size() >= 2 &&
        get_u16(a.data, 0) == oid::last_error)
      last_error_ = err::no_error;
  } catch (const CommandError& e) {
    // The Last Error Code keeps the highest code since it was last cleared.
    last_error_ = std::max(last_error_, e.code);
    result.response = error_response();
    result.latency_us = opts_.timing.chip_latency ? 1'000 : 0;
  }
  // Throttling is the security monitor's, not the timing model's: it applies even without
  // chip_latency, so a test that sets a high SEC sees it.
  result.latency_us += pending_throttle_us_;
  if (state_ && nvm_dirty_) save_to_file();
  return result;
}

void ChipEngine::reset() {
  std::lock_guard guard(mutex_);
  app_open_ = false;
  last_error_ = err::no_error;
  security_status_global_ = 0x20;
  security_status_application_ = 0x20;
  sessions_ = Sessions{};
  monitor_.reset();
}

ChipEngine::Reply ChipEngine::dispatch(const Apdu& a, std::uint64_t now_us) {
  namespace cmd = chip::cmd;
  const bool m = model_ != chip::Model::trust_x;
  switch (a.cmd) {
    case cmd::open_application: return open_application(a);
    case cmd::get_data_object:
    case cmd::set_data_object:
    case cmd::get_random:
    case cmd::calc_sign:
    case cmd::verify_sign:
    case cmd::calc_ssec:
    case cmd::gen_key_pair: break;
    case cmd::close_application:
      if (m) break;
      fail(err::invalid_command);
    default:
      // Unknown commands and the ones this emulator does not implement (CalcHash, DeriveKey,
      // RSA, symmetric, SetObjectProtected, Trust X DTLS/auth messages).
      fail(err::invalid_command);
  }
  if (!app_open_) fail(err::command_not_available);
  switch (a.cmd) {
    case cmd::close_application: return close_application(a);
    case cmd::get_data_object: return get_data_object(a);
    case cmd::set_data_object: return set_data_object(a);
    case cmd::get_random: return get_random(a);
    case cmd::calc_sign: return calc_sign(a, now_us);
    case cmd::verify_sign: return verify_sign(a);
    case cmd::calc_ssec: return calc_ssec(a, now_us);
    default: return gen_key_pair(a);
  }
}

ChipEngine::Reply ChipEngine::open_application(const Apdu& a) {
  const ByteView aid(chip::application_id, sizeof chip::application_id);
  auto aid_matches = [&] { return a.data.size() >= aid.size() && std::equal(aid.begin(), aid.end(), a.data.begin()); };
  if (a.param == 0x00) {
    if (a.data.size() != aid.size() || !aid_matches()) fail(err::invalid_parameter_in_data);
    sessions_ = Sessions{};
    saved_.reset();  // re-opening invalidates a hibernated context
  } else if (a.param == 0x01 && model_ != chip::Model::trust_x) {
    if (a.data.size() != aid.size() + 8 || !aid_matches()) fail(err::invalid_parameter_in_data);
    const ByteView handle = a.data.subspan(aid.size());
    if (!saved_ || !std::equal(handle.begin(), handle.end(), saved_->handle.begin())) {
      saved_.reset();  // a wrong handle flushes the saved context
      fail(err::invalid_parameter_in_data);
    }
    sessions_ = saved_->sessions;
    saved_.reset();
  } else {
    fail(err::invalid_param);
  }
  app_open_ = true;
  security_status_application_ = 0x20;
  return {{}, latency_.open_application()};
}

ChipEngine::Reply ChipEngine::close_application(const Apdu& a) {
  if (!a.data.empty()) fail(err::invalid_length);
  Reply r{{}, latency_.close_application()};
  if (a.param == 0x01) {
    // Hibernate needs a settled security monitor (spec §5.6).
    if (sec() != 0) fail(err::out_of_sequence);
    saved_ = Saved{crypto_.random(8), sessions_};
    r.data = saved_->handle;
  } else if (a.param != 0x00) {
    fail(err::invalid_param);
  }
  app_open_ = false;
  sessions_ = Sessions{};
  return r;
}

const chip::ObjectInfo& ChipEngine::object_info(std::uint16_t oid) const {
  const chip::ObjectInfo* info = chip::find_object(model_, oid);
  if (!info) fail(err::invalid_oid);
  return *info;
}

StoredObject& ChipEngine::stored(std::uint16_t oid) {
  StoredObject* o = nvm_->find(oid);
  if (!o) fail(err::invalid_oid);
  return *o;
}

chip::AcContext ChipEngine::ac_context(const chip::Metadata& m) const {
  chip::AcContext c;
  c.lcs_object = m.lcso.value_or(chip::lcs::operational);
  c.lcs_application = nvm_->find(oid::lcs_application)->data.at(0);
  c.lcs_global = nvm_->find(oid::lcs_global)->data.at(0);
  c.security_status_global = security_status_global_;
  c.security_status_application = security_status_application_;
  // The APDU seam carries no Shielded Connection state, so Conf/Int(E140) are never satisfied here.
  return c;
}

void ChipEngine::require(const std::optional<chip::AccessCondition>& ac, const chip::Metadata& m) const {
  if (!ac || !ac->evaluate(ac_context(m))) fail(err::access_conditions);
}

std::uint8_t& ChipEngine::sec() { return nvm_->find(oid::security_event_counter)->data.at(0); }

MonitorConfig ChipEngine::monitor_config() const {
  if (model_ == chip::Model::trust_m_v3) return MonitorConfig::from_e0c9(nvm_->find(oid::security_monitor_config)->data);
  return MonitorConfig{};
}

std::optional<std::size_t> ChipEngine::session_index(std::uint16_t oid) {
  if (oid >= oid::session_context_1 && oid < oid::session_context_1 + 4) return oid - oid::session_context_1;
  return std::nullopt;
}

void ChipEngine::sync_from_file() {
  nlohmann::json j;
  switch (state_->load_if_changed(j)) {
    case StateFile::Status::unchanged: return;
    case StateFile::Status::missing:
      // First use creates the chip; a file deleted under a running instance is rewritten from memory.
      if (!nvm_) nvm_ = ObjectStore::factory_fresh(model_, crypto_);
      save_to_file();
      return;
    case StateFile::Status::changed: break;
  }
  const auto unusable = [&](const std::string& why) {
    return std::runtime_error("emulator state file " + opts_.state_path + ": corrupt or unusable: " + why);
  };
  std::optional<ObjectStore> loaded;
  try {
    loaded = ObjectStore::from_json(j);
  } catch (const ParseError& e) {
    throw unusable(e.what());
  }
  if (loaded->model() != model_)
    throw unusable("holds a " + std::string(chip::model_token(loaded->model())) + " chip but model " +
                   std::string(chip::model_token(model_)) + " was requested");
  nvm_ = std::move(*loaded);
}

void ChipEngine::save_to_file() { state_->save(nvm_->to_json()); }

}  // namespace optiga::sim
