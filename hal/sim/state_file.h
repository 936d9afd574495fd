// The file that holds an emulated chip's NVM, shared by every process that opens the same
// `sim:/path` device. Access is serialised with an exclusive flock on `<path>.lock` (released by
// the kernel if a process dies); writes are atomic (temp file, fsync, rename, fsync dir); a
// generation counter in the file tells an instance whether another process changed the chip.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/chip/ids.h"

namespace optiga::sim {

class StateFile {
 public:
  // Opens (creating if needed) the lock file `<path>.lock`; throws std::runtime_error naming it.
  explicit StateFile(std::string path);
  ~StateFile();
  StateFile(const StateFile&) = delete;
  StateFile& operator=(const StateFile&) = delete;
  const std::string& path() const { return path_; }

  // Holds the exclusive flock on the lock file for its lifetime. flock belongs to this instance's
  // open file description, so two engines in one process exclude each other too.
  class Lock {
   public:
    explicit Lock(StateFile& file);
    ~Lock();
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;

   private:
    int fd_;
  };

  enum class Status { missing, unchanged, changed };
  // With the lock held: whether the file is missing, unchanged since this instance last loaded or
  // saved it, or changed (then `out` receives its content). Throws std::runtime_error naming the
  // file when it cannot be read or is not valid JSON.
  Status load_if_changed(nlohmann::json& out);
  // With the lock held: writes state with the next generation, atomically.
  void save(nlohmann::json state);

 private:
  struct Identity {
    std::uint64_t dev = 0, ino = 0, size = 0;
    std::int64_t mtime_ns = 0;
    bool operator==(const Identity&) const = default;
  };
  std::optional<Identity> stat_file() const;
  // The generation of the last save is also stamped into the lock file (which is never replaced),
  // so "unchanged" does not rest on file identity alone (inodes are reused, mtimes are coarse).
  std::uint64_t read_stamp() const;
  void write_stamp(std::uint64_t generation) const;

  std::string path_;
  int lock_fd_ = -1;
  std::uint64_t generation_ = 0;     // last generation this instance loaded or wrote
  std::optional<Identity> seen_;     // file identity at that moment
};

// The model recorded in an existing state file (so a front end can open it without being told),
// nullopt when the file does not exist. Throws std::runtime_error when it is unreadable/corrupt.
std::optional<chip::Model> state_file_model(const std::string& path);

}  // namespace optiga::sim
