#include "runtime/emulator_library.h"

#include <dlfcn.h>

#include <cstdlib>
#include <stdexcept>

#include "core/util/clock.h"
#include "core/util/error.h"
#include "hal/sim_library/emulator_abi.h"

namespace optiga::runtime {
namespace {

struct DlClose {
  void operator()(void* handle) const { ::dlclose(handle); }
};

// One dlopen() of the library. RTLD_NODELETE: the emulator's code stays mapped for the process's
// life, as it did when it was linked in, so no static destructor or thread of it runs at dlclose.
class EmulatorLibrary {
 public:
  EmulatorLibrary() {
    const char* chosen = std::getenv("OPTIGA_SIM_LIBRARY");
    const bool from_env = chosen != nullptr && *chosen != '\0';
    const std::string path = from_env ? chosen : OPTIGA_SIM_LIBRARY_SONAME;
    handle_.reset(::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE));
    if (!handle_) {
      const char* why = ::dlerror();
      throw TransportError(std::string("sim: device strings need the emulator library ") +
                           OPTIGA_SIM_LIBRARY_SONAME + " (package optiga-emulator), which cannot be loaded" +
                           (from_env ? " from $OPTIGA_SIM_LIBRARY" : "") + ": " +
                           (why != nullptr ? why : path) +
                           "; install it, or set OPTIGA_SIM_LIBRARY to the library's path");
    }
    open_ =
        reinterpret_cast<optiga_sim_open_transport_fn>(::dlsym(handle_.get(), "optiga_sim_open_transport"));
    create_ = reinterpret_cast<optiga_sim_create_chip_fn>(::dlsym(handle_.get(), "optiga_sim_create_chip"));
    if (open_ == nullptr || create_ == nullptr)
      throw TransportError(path + " is not the emulator library (it lacks the optiga_sim_* entry points)");
  }

  optiga_sim_open_transport_fn open() const { return open_; }
  optiga_sim_create_chip_fn create() const { return create_; }

 private:
  std::unique_ptr<void, DlClose> handle_;
  optiga_sim_open_transport_fn open_ = nullptr;
  optiga_sim_create_chip_fn create_ = nullptr;
};

// Turns the library's error code back into the exception the emulator threw on its side.
void check(int result, optiga_sim_error& error) {
  if (result == OPTIGA_SIM_OK) return;
  error.message[sizeof error.message - 1] = '\0';
  const std::string message = error.message;
  switch (result) {
    case OPTIGA_SIM_USAGE_ERROR:
      throw UsageError(message);
    case OPTIGA_SIM_TRANSPORT_ERROR:
      throw TransportError(message);
    case OPTIGA_SIM_PROTOCOL_ERROR:
      throw ProtocolError(message);
    default:
      throw std::runtime_error(message);
  }
}

hal::I2cStatus to_status(int status) {
  switch (status) {
    case OPTIGA_SIM_I2C_OK:
      return hal::I2cStatus::ok;
    case OPTIGA_SIM_I2C_NACK:
      return hal::I2cStatus::nack;
    default:
      return hal::I2cStatus::bus_error;
  }
}

// The emulator's clock, read through the library (modelled time: polling costs no real time).
class LibraryClock final : public Clock {
 public:
  explicit LibraryClock(const optiga_sim_transport& transport) : transport_(transport) {}
  std::uint64_t now_us() override { return transport_.ops->now_us(transport_.self); }
  void sleep_us(std::uint64_t us) override { transport_.ops->sleep_us(transport_.self, us); }

 private:
  const optiga_sim_transport& transport_;
};

// An emulated bus opened by the library; keeps the library loaded while it lives.
class LibraryTransport final : public hal::I2cTransport {
 public:
  LibraryTransport(std::shared_ptr<const EmulatorLibrary> library, optiga_sim_transport transport)
      : library_(std::move(library)), transport_(transport), clock_(transport_) {}
  LibraryTransport(const LibraryTransport&) = delete;
  LibraryTransport& operator=(const LibraryTransport&) = delete;
  ~LibraryTransport() override { transport_.ops->close(transport_.self); }

  hal::I2cStatus write(ByteView data) override {
    int status = OPTIGA_SIM_I2C_BUS_ERROR;
    optiga_sim_error error{};
    check(transport_.ops->write(transport_.self, data.data(), data.size(), &status, &error), error);
    return to_status(status);
  }
  hal::I2cStatus read(std::span<std::uint8_t> out) override {
    int status = OPTIGA_SIM_I2C_BUS_ERROR;
    optiga_sim_error error{};
    check(transport_.ops->read(transport_.self, out.data(), out.size(), &status, &error), error);
    return to_status(status);
  }
  bool hardware_reset() override {
    int done = 0;
    optiga_sim_error error{};
    check(transport_.ops->hardware_reset(transport_.self, &done, &error), error);
    return done != 0;
  }
  bool set_bitrate_khz(unsigned khz) override {
    int done = 0;
    optiga_sim_error error{};
    check(transport_.ops->set_bitrate_khz(transport_.self, khz, &done, &error), error);
    return done != 0;
  }
  Clock& clock() override { return clock_; }
  std::string describe() const override {
    char text[256] = {};
    transport_.ops->describe(transport_.self, text, sizeof text);
    return text;
  }

 private:
  std::shared_ptr<const EmulatorLibrary> library_;
  optiga_sim_transport transport_;
  LibraryClock clock_;
};

}  // namespace

std::unique_ptr<hal::I2cTransport> open_emulated_transport(const config::DeviceSpec& spec) {
  auto library = std::make_shared<const EmulatorLibrary>();
  optiga_sim_transport transport{};
  optiga_sim_error error{};
  check(library->open()(OPTIGA_SIM_ABI_VERSION, spec.text.c_str(), &transport, &error), error);
  return std::make_unique<LibraryTransport>(std::move(library), transport);
}

void create_emulated_chip(const std::string& state_path, const std::string& model) {
  const EmulatorLibrary library;
  optiga_sim_error error{};
  check(library.create()(OPTIGA_SIM_ABI_VERSION, state_path.c_str(), model.c_str(), &error), error);
}

}  // namespace optiga::runtime
