// Operation guard: the per-operation lock, continuing the link another process left, and
// noticing what other processes changed (architecture "Sharing the chip").
#include <unistd.h>

#include <algorithm>

#include "core/chip/chip_error.h"
#include "core/cmd/commands.h"
#include "core/device/device.h"
#include "core/device/key_slots.h"

namespace optiga::device {

Device::Operation::Operation(Device& device) : device_(device), guard_(device.mutex_) {
  if (device_.depth_++ > 0) return;
  try {
    device_.begin_operation();
  } catch (...) {
    --device_.depth_;
    throw;
  }
}

Device::Operation::~Operation() {
  if (--device_.depth_ == 0) device_.end_operation();
}

void Device::begin_operation() {
  bool forked = false;
  if (::getpid() != pid_) {
    // A forked child shares the parent's lock-file description: take its own lock. Its link
    // state is the parent's copy; the shared record says where the parent left the chip.
    lock_.reopen();
    pid_ = ::getpid();
    forked = true;
  }
  record_ = lock_.acquire();
  try {
    const bool other_ran = forked || (record_ && last_generation_ && *last_generation_ != record_->generation);
    if (record_ && !last_generation_) {
      // First operation of this process: nothing is cached yet, so nothing is stale.
      seen_write_sequence_ = record_->write_sequence;
      seen_reset_count_ = record_->reset_count;
    }
    const bool continued = take_over_link(record_, other_ran);
    if (record_) notice_changes(*record_);
    try {
      ensure_application_open();
    } catch (const chip::ChipError&) {
      throw;
    } catch (const Error&) {
      // The re-synchronised or adopted link does not work: only a reset is left. (A link this
      // process opened itself has just been reset: a second try would only double the wait.)
      if (!continued && !opened_) throw;
      reset_link();
      ensure_application_open();
    }
    needs_reinit_ = false;
  } catch (...) {
    end_operation();
    throw;
  }
}

bool Device::take_over_link(shared::Record* record, bool other_process_ran) {
  const bool first = !last_generation_;
  bool continued = false;
  if (record && !options_.private_link && (other_process_ran || first)) {
    const shared::LinkRecord& l = record->link;
    if (l.valid) {
      proto::LinkState state;
      state.frame_size = l.frame_size;
      state.scl_khz = l.scl_khz;
      state.last_sent = l.last_sent;
      state.last_received = l.last_received;
      state.presentation = l.presentation != 0;
      state.clean = l.clean != 0;
      channel_->adopt_link_state(state);
      if (other_process_ran) log_.trace("continuing the link another process left" + std::string(state.clean ? "" : " (re-sync: it was not left clean)"));
      continued = true;
      application_open_ = l.application_open != 0;
      // The record is newer than what we knew of our own failures: it says whether to re-sync.
      needs_reinit_ = false;
    } else if (!first || opened_) {
      // The last user left nothing we can continue (a channel without a shareable link, or a
      // failed operation): start the link afresh.
      reset_link();
    }
  } else if (!record && other_process_ran && !options_.private_link) {
    // Forked without a lock: nothing tells where the parent left the link.
    reset_link();
  }
  // A holder that dies from here on leaves the link in an unknown state: say so until we are done.
  if (record) record->link.clean = 0;
  if (needs_reinit_) recover_link();
  return continued;
}

void Device::ensure_application_open() {
  if (!opened_) {
    open_application_sequence();
  } else if (!application_open_) {
    run(cmd::open_application());
    application_open_ = true;
  }
}

void Device::recover_link() {
  // Our own exchange failed half-way: re-synchronise the frame counters (spec §2.5) and re-open
  // the application (the chip may have reset meanwhile). ensure_application_open() resets the
  // chip if that does not bring the link back.
  try {
    log_.debug("re-synchronising the link after a failed exchange");
    channel_->resynchronise();
    application_open_ = false;
  } catch (const Error&) {
    reset_link();
  }
}

void Device::reset_link() {
  log_.debug("resetting the chip and the link");
  channel_->reset();
  application_open_ = false;
  public_keys_.clear();
  all_changed_at_ = ++epoch_;
  if (record_) seen_reset_count_ = ++record_->reset_count;
}

void Device::notice_changes(shared::Record& record) {
  bool bumped = false;
  auto bump = [&] {
    if (!bumped) ++epoch_;
    bumped = true;
  };
  if (record.reset_count != seen_reset_count_) {
    // Another process reset the chip: session contexts are gone, and what it wrote before is
    // not told apart any more.
    seen_reset_count_ = record.reset_count;
    bump();
    all_changed_at_ = epoch_;
    public_keys_.clear();
  }
  const std::uint64_t last = record.write_sequence;
  if (last == seen_write_sequence_) return;
  bump();
  bool everything = last - seen_write_sequence_ > shared::write_log_slots;
  std::vector<std::uint16_t> oids;
  for (std::uint64_t seq = seen_write_sequence_ + 1; !everything && seq <= last; ++seq) {
    const shared::WriteLogEntry& e = record.writes[seq % shared::write_log_slots];
    if (e.sequence != seq) everything = true;
    oids.push_back(e.oid);
  }
  seen_write_sequence_ = last;
  if (everything) {
    all_changed_at_ = epoch_;
    public_keys_.clear();
    return;
  }
  for (std::uint16_t oid : oids) invalidate(oid);
}

void Device::invalidate(std::uint16_t oid) {
  changed_at_[oid] = epoch_;
  // A slot's cached public key came from the slot itself (generated), its public-key object or
  // its certificate: any of them changing makes it stale.
  for (auto it = public_keys_.begin(); it != public_keys_.end();) {
    const std::uint16_t slot = it->first;
    if (slot == oid || public_key_object(slot) == oid || paired_certificate(slot) == oid) {
      it = public_keys_.erase(it);
    } else {
      ++it;
    }
  }
}

void Device::note_write(std::uint16_t oid) {
  if (!record_) return;
  const std::uint64_t seq = ++record_->write_sequence;
  record_->writes[seq % shared::write_log_slots] = shared::WriteLogEntry{seq, oid, {}};
  // Our own write is no news to us.
  if (seen_write_sequence_ == seq - 1) seen_write_sequence_ = seq;
}

bool Device::changed_since(std::uint16_t oid, std::uint64_t since) const {
  if (all_changed_at_ > since) return true;
  const auto it = changed_at_.find(oid);
  return it != changed_at_.end() && it->second > since;
}

std::optional<std::vector<std::uint16_t>> Device::changed_objects(std::uint64_t since) const {
  if (all_changed_at_ > since) return std::nullopt;
  std::vector<std::uint16_t> out;
  for (const auto& [oid, at] : changed_at_)
    if (at > since) out.push_back(oid);
  return out;
}

void Device::end_operation() noexcept {
  if (record_) {
    shared::Record& r = *record_;
    std::optional<proto::LinkState> link;
    try {
      if (!options_.private_link) link = channel_->export_link_state();
    } catch (...) {
    }
    if (link && needs_reinit_) {
      // Our exchange failed: the next process re-synchronises and re-opens instead of resetting.
      link->clean = false;
    }
    if (link) {
      r.link = shared::LinkRecord{1, link->clean, application_open_ && !needs_reinit_, link->presentation, link->last_sent,
                                  link->last_received, link->frame_size, link->scl_khz, {}};
    } else if (!options_.private_link) {
      // Nothing the next process can continue: it resets.
      r.link = shared::LinkRecord{};
    }
    last_generation_ = ++r.generation;
  }
  record_ = nullptr;
  lock_.release();
}

}  // namespace optiga::device
