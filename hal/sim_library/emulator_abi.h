/* The C interface of the emulator library liboptiga-sim.so.0 (docs/emulated-chip.md, "The
 * emulator library"). The runtime (runtime/emulator_library.cpp) dlopen()s the library only for
 * sim: and sim+unix: device strings, so the shipped PKCS#11 module and provider carry no emulator
 * code and no test CA keys.
 *
 * Plain C on purpose: the module and the provider are built with hidden visibility and
 * --exclude-libs, so C++ exception types and RTTI would not match across the boundary. Every
 * function catches everything on its side and reports an error code plus a message, which the
 * runtime turns back into optiga::UsageError / TransportError / ProtocolError.
 *
 * Two symbols are exported: optiga_sim_open_transport and optiga_sim_create_chip. A transport is
 * an opaque pointer plus a table of functions, so adding a function never adds a symbol.
 * Change OPTIGA_SIM_ABI_VERSION (and the soname) whenever a struct or signature here changes. */
#ifndef OPTIGA_HAL_SIM_LIBRARY_EMULATOR_ABI_H
#define OPTIGA_HAL_SIM_LIBRARY_EMULATOR_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OPTIGA_SIM_ABI_VERSION 1u
#define OPTIGA_SIM_LIBRARY_SONAME "liboptiga-sim.so.0"

/* Result of every call. */
enum optiga_sim_result {
  OPTIGA_SIM_OK = 0,
  OPTIGA_SIM_USAGE_ERROR = 1,     /* optiga::UsageError: a bad device string or option */
  OPTIGA_SIM_TRANSPORT_ERROR = 2, /* optiga::TransportError: no state file, no emulator at a socket */
  OPTIGA_SIM_PROTOCOL_ERROR = 3,  /* optiga::ProtocolError */
  OPTIGA_SIM_OTHER_ERROR = 4      /* anything else (rethrown as std::runtime_error) */
};

/* What an I2C transaction did (optiga::hal::I2cStatus). */
enum optiga_sim_i2c_status { OPTIGA_SIM_I2C_OK = 0, OPTIGA_SIM_I2C_NACK = 1, OPTIGA_SIM_I2C_BUS_ERROR = 2 };

struct optiga_sim_error {
  int code;          /* an optiga_sim_result */
  char message[512]; /* NUL-terminated, truncated if longer */
};

/* One open emulated bus; every function is called with `self`. None may be called after close. */
struct optiga_sim_transport_ops {
  void (*close)(void* self);
  /* One I2C write or read transaction; *status receives an optiga_sim_i2c_status. */
  int (*write)(void* self, const uint8_t* data, size_t size, int* status, struct optiga_sim_error* error);
  int (*read)(void* self, uint8_t* out, size_t size, int* status, struct optiga_sim_error* error);
  /* *done receives 1 when the transport did it, 0 when it cannot. */
  int (*hardware_reset)(void* self, int* done, struct optiga_sim_error* error);
  int (*set_bitrate_khz)(void* self, unsigned khz, int* done, struct optiga_sim_error* error);
  /* The transport's (modelled) clock; never fail. */
  uint64_t (*now_us)(void* self);
  void (*sleep_us)(void* self, uint64_t us);
  /* Writes the transport's description ("emulated OPTIGA Trust M V3 (sim:memory)"), NUL-terminated
   * and truncated to size; never fails. */
  void (*describe)(void* self, char* out, size_t size);
};

struct optiga_sim_transport {
  void* self;
  const struct optiga_sim_transport_ops* ops;
};

/* Opens the emulated chip a sim: or sim+unix: device string names. abi_version must be
 * OPTIGA_SIM_ABI_VERSION. On success fills *out; the caller ends it with out->ops->close. */
int optiga_sim_open_transport(unsigned abi_version, const char* device_string,
                              struct optiga_sim_transport* out, struct optiga_sim_error* error);
typedef int (*optiga_sim_open_transport_fn)(unsigned, const char*, struct optiga_sim_transport*,
                                            struct optiga_sim_error*);

/* Creates a new, factory-provisioned emulated chip in state_path (`optigactl sim create`). The
 * model is a token: trust-x, trust-m-v1 or trust-m-v3. The caller decides about an existing file. */
int optiga_sim_create_chip(unsigned abi_version, const char* state_path, const char* model,
                           struct optiga_sim_error* error);
typedef int (*optiga_sim_create_chip_fn)(unsigned, const char*, const char*, struct optiga_sim_error*);

#ifdef __cplusplus
}
#endif

#endif /* OPTIGA_HAL_SIM_LIBRARY_EMULATOR_ABI_H */
