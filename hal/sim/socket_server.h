// Serves one emulated chip to any number of clients over a Unix stream socket, so several
// processes share one chip as they would a real bus. A single poll loop handles every client,
// which serialises their I2C transactions for free.
#pragma once

#include <memory>
#include <string>

#include "hal/sim/sim_transport.h"
#include "hal/sim/unique_fd.h"

namespace optiga::sim {

class SocketServer {
 public:
  // Binds and listens at path (an existing socket file there is replaced). Throws
  // optiga::TransportError when the socket cannot be created.
  SocketServer(std::string path, std::unique_ptr<SimTransport> chip);
  // Closes every connection and removes the socket file.
  ~SocketServer();
  SocketServer(const SocketServer&) = delete;
  SocketServer& operator=(const SocketServer&) = delete;

  // Serves until stop() is called.
  void run();
  // Makes run() return soon. Safe from any thread (it only writes to a pipe).
  void stop();

  const std::string& path() const { return path_; }

 private:
  // Handles one request; false if the client should be dropped.
  bool serve(int client);

  std::string path_;
  std::unique_ptr<SimTransport> chip_;
  UniqueFd listener_;
  UniqueFd wake_read_;
  UniqueFd wake_write_;
};

}  // namespace optiga::sim
