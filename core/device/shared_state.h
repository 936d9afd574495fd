// The record every process using one chip shares (architecture "Sharing the chip"): it lives in
// the chip's lock file, mapped MAP_SHARED by each process. The queue words are used with atomics
// and futexes before the lock is held; everything else is read and written only by the process
// holding the lock. Fixed layout, versioned: a file with another magic or version is
// re-initialised (under the flock) by the first process that opens it.
#pragma once

#include <cstdint>

namespace optiga::device::shared {

inline constexpr std::uint32_t magic = 0x4F505453;  // "OPTS"
inline constexpr std::uint32_t version = 1;
inline constexpr std::uint32_t queue_slots = 256;   // tickets whose PID a waiter can see
inline constexpr std::uint32_t write_log_slots = 64;  // object writes a returning process can name
inline constexpr std::uint32_t session_bytes = 512;   // reserved: the shielded connection's session

// One ticket of the queue: (ticket << 32) | fresh << 31 | pid; pid 0 = the waiter gave up.
// fresh: the waiter had not held the chip for a while (core/device/chip_lock.cpp); Linux PIDs
// stay below 2^22, so bit 31 is free.
using QueueEntry = std::uint64_t;
inline constexpr std::uint32_t fresh_flag = 0x8000'0000u;

struct LinkRecord {
  std::uint8_t valid;  // the fields below describe the chip's link
  std::uint8_t clean;  // no exchange was left half-way (else: re-synchronise first)
  std::uint8_t application_open;  // OpenApplication ran since the chip's last reset
  std::uint8_t presentation;
  std::uint8_t last_sent;
  std::uint8_t last_received;
  std::uint16_t frame_size;
  std::uint16_t scl_khz;
  std::uint16_t reserved[3];
};

struct WriteLogEntry {
  std::uint64_t sequence;  // write_sequence after this write; 0 = unused
  std::uint16_t oid;
  std::uint16_t reserved[3];
};

// A later shielded connection keeps its session here so a process switch needs no handshake:
// its own version and length, opaque to this layer.
struct SessionRecord {
  std::uint16_t version;  // 0 = no session
  std::uint16_t length;
  std::uint8_t reserved[4];
  std::uint8_t data[session_bytes];
};

struct Record {
  std::uint32_t magic;
  std::uint32_t version;
  // Queue (atomics, futex on now_serving).
  std::uint32_t next_ticket;
  std::uint32_t now_serving;
  QueueEntry queue[queue_slots];
  // Guarded by the lock.
  std::uint32_t holder_pid;       // who holds it now (diagnostics)
  std::uint32_t reserved0;
  std::uint64_t generation;       // bumped by every operation
  std::uint64_t reset_count;      // bumped by every chip reset
  std::uint64_t write_sequence;   // bumped by every object write
  WriteLogEntry writes[write_log_slots];  // ring, indexed by sequence % write_log_slots
  LinkRecord link;
  SessionRecord session;
};

}  // namespace optiga::device::shared
