#include "hal/sim/state_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

namespace optiga::sim {

namespace {

std::runtime_error file_error(const std::string& path, const std::string& what) {
  return std::runtime_error("emulator state file " + path + ": " + what);
}

std::string errno_text() { return std::strerror(errno); }

// Closes a descriptor on every path out of a function.
struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Reads the whole file; nullopt when it does not exist.
std::optional<std::string> read_file(const std::string& path) {
  Fd f{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
  if (f.fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    throw file_error(path, "cannot open: " + errno_text());
  }
  std::string out;
  char buf[8192];
  while (true) {
    const ssize_t n = ::read(f.fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw file_error(path, "read failed: " + errno_text());
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  return out;
}

nlohmann::json parse_state(const std::string& path, const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw file_error(path, "corrupt (not a JSON object)");
  if (!j.contains("generation") || !j["generation"].is_number_unsigned())
    throw file_error(path, "corrupt (no generation counter)");
  return j;
}

void write_all(int fd, const std::string& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw file_error(path, "write failed: " + errno_text());
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

StateFile::StateFile(std::string path) : path_(std::move(path)) {
  const std::string lock_path = path_ + ".lock";
  lock_fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0666);
  if (lock_fd_ < 0) throw std::runtime_error("emulator lock file " + lock_path + ": " + errno_text());
}

StateFile::~StateFile() {
  if (lock_fd_ >= 0) ::close(lock_fd_);
}

StateFile::Lock::Lock(StateFile& file) : fd_(file.lock_fd_) {
  while (::flock(fd_, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    throw std::runtime_error("emulator lock file " + file.path_ + ".lock: flock: " + errno_text());
  }
}

StateFile::Lock::~Lock() { ::flock(fd_, LOCK_UN); }

std::uint64_t StateFile::read_stamp() const {
  unsigned char buf[8];
  if (::pread(lock_fd_, buf, sizeof buf, 0) != static_cast<ssize_t>(sizeof buf)) return 0;
  std::uint64_t g = 0;
  for (unsigned char b : buf) g = (g << 8) | b;
  return g;
}

void StateFile::write_stamp(std::uint64_t generation) const {
  unsigned char buf[8];
  for (int i = 7; i >= 0; --i, generation >>= 8) buf[i] = static_cast<unsigned char>(generation);
  // Best effort: a missing stamp only costs a re-read of the state file.
  if (::pwrite(lock_fd_, buf, sizeof buf, 0) != static_cast<ssize_t>(sizeof buf)) return;
}

std::optional<StateFile::Identity> StateFile::stat_file() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) {
    if (errno == ENOENT) return std::nullopt;
    throw file_error(path_, "stat failed: " + errno_text());
  }
  return Identity{static_cast<std::uint64_t>(st.st_dev), static_cast<std::uint64_t>(st.st_ino),
                  static_cast<std::uint64_t>(st.st_size),
                  static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec};
}

StateFile::Status StateFile::load_if_changed(nlohmann::json& out) {
  const auto id = stat_file();
  if (!id) return Status::missing;
  // Every save replaces the file by rename, so an unchanged identity means unchanged content.
  if (seen_ && *seen_ == *id && generation_ != 0 && read_stamp() == generation_) return Status::unchanged;
  const auto text = read_file(path_);
  if (!text) return Status::missing;
  nlohmann::json j = parse_state(path_, *text);
  const auto gen = j["generation"].get<std::uint64_t>();
  seen_ = id;
  if (gen == generation_ && generation_ != 0) return Status::unchanged;
  generation_ = gen;
  out = std::move(j);
  return Status::changed;
}

void StateFile::save(nlohmann::json state) {
  state["generation"] = generation_ + 1;
  const std::string text = state.dump(1) + "\n";
  const std::filesystem::path target(path_);
  const std::string tmp = path_ + ".tmp." + std::to_string(::getpid());
  {
    // The file holds the emulated chip's private keys: a new one is 0600 whatever the umask, and a
    // rewrite keeps the mode (and, where we may, the owner) the user gave the existing file.
    Fd f{::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
    if (f.fd < 0) throw file_error(path_, "cannot create " + tmp + ": " + errno_text());
    struct stat old {};
    const bool existed = ::stat(path_.c_str(), &old) == 0;
    if (existed && (old.st_uid != ::geteuid() || old.st_gid != ::getegid()))
      (void)!::fchown(f.fd, old.st_uid, old.st_gid);  // only root may; others keep their own
    if (::fchmod(f.fd, existed ? (old.st_mode & 07777) : 0600) != 0)
      throw file_error(path_, "cannot set the mode of " + tmp + ": " + errno_text());
    write_all(f.fd, text, path_);
    if (::fsync(f.fd) != 0) throw file_error(path_, "fsync failed: " + errno_text());
  }
  if (::rename(tmp.c_str(), path_.c_str()) != 0) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    throw file_error(path_, "rename failed: " + why);
  }
  // Make the rename itself durable.
  const std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  Fd d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (d.fd >= 0) ::fsync(d.fd);
  generation_ += 1;
  seen_ = stat_file();
  write_stamp(generation_);
}

std::optional<chip::Model> state_file_model(const std::string& path) {
  const auto text = read_file(path);
  if (!text) return std::nullopt;
  const nlohmann::json j = parse_state(path, *text);
  if (!j.contains("model") || !j["model"].is_string()) throw file_error(path, "corrupt (no model)");
  const auto model = chip::model_from_token(j["model"].get<std::string>());
  if (!model) throw file_error(path, "corrupt (unknown model)");
  return model;
}

}  // namespace optiga::sim
