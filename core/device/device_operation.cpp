// Operation guard: the per-operation lock and the re-open after another process or a fork.
#include <unistd.h>

#include "core/cmd/commands.h"
#include "core/device/device.h"

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
  if (::getpid() != pid_) {
    // A forked child shares the parent's lock-file description and link state: take its own
    // lock and start the link afresh.
    lock_.reopen();
    pid_ = ::getpid();
    needs_reinit_ = true;
  }
  const std::uint64_t generation = lock_.acquire();
  try {
    if (lock_.enabled() && last_generation_ && *last_generation_ != generation) needs_reinit_ = true;
    if (needs_reinit_) {
      // Another process (or our own broken exchange) ran the link in between: the frame
      // sequence numbers and the application context are no longer ours, and what it may have
      // changed on the chip (keys!) is not known to us either.
      log_.debug("re-initialising the link: another process or a failed exchange used it");
      channel_->reset();
      public_keys_.clear();
      ++epoch_;
      if (opened_) run(cmd::open_application());
    }
    if (!opened_) open_application_sequence();
    needs_reinit_ = false;
  } catch (...) {
    end_operation();
    throw;
  }
}

void Device::end_operation() noexcept {
  try {
    last_generation_ = lock_.release();
  } catch (...) {
    // The lock itself is released; without a stored generation others may not notice us, and
    // we cannot trust ours: start afresh next time.
    last_generation_.reset();
    needs_reinit_ = true;
  }
}

}  // namespace optiga::device
