// Internal to the TCP server (tcp_wrapper_server*.cpp): one connection's state, and what the
// two engines share.
#pragma once

#include <algorithm>  // std::clamp
#include <chrono>     // std::chrono
#include <cstddef>    // std::size_t
#include <cstdint>    // std::uint8_t
#include <memory>     // std::unique_ptr
#include <optional>   // std::optional
#include <string>     // std::string
#include <utility>    // std::move
#include <vector>     // std::vector

#include "transport/tcp_wrapper_server.hpp"
#include "transport/wrapper_frame.hpp"

namespace gridmeter::transport {

inline constexpr std::size_t read_size = 4096;  // a GET is ~20-60 octets; a big SET comes in blocks
inline constexpr std::chrono::milliseconds accept_retry_after{100};

// strerror, thread-safe.
std::string error_text(int error);

// How often the inactivity timeouts are checked: a quarter of the timeout, 10 ms to 1 s.
inline std::chrono::nanoseconds tick_period(std::chrono::milliseconds inactivity_timeout) {
  return std::clamp<std::chrono::nanoseconds>(inactivity_timeout / 4, std::chrono::milliseconds(10),
                                              std::chrono::seconds(1));
}

struct TcpWrapperServer::Connection {
  Connection(int socket_fd, std::string peer_name, std::uint16_t apdu_size_max,
             std::unique_ptr<WrapperSession> wrapper_session, Clock::time_point now)
      : fd(socket_fd),
        peer(std::move(peer_name)),
        framer(apdu_size_max),
        session(std::move(wrapper_session)),
        last_received(now) {}

  int fd;
  std::string peer;  // "address:port", for the log
  WrapperFramer framer;
  std::unique_ptr<WrapperSession> session;
  std::vector<std::uint8_t> output;        // answers not yet sent
  std::optional<std::string> close_after;  // why to close once output is sent
  Clock::time_point last_received;
  bool closed = false;  // forgotten: no longer served (io_uring: its requests still finishing)
  // epoll
  std::size_t sent = 0;  // of output
  bool writing = false;  // waiting for room to send the rest (not reading meanwhile)
  // io_uring
  std::vector<std::uint8_t> input;  // the pending read's buffer
  bool in_flight = false;           // a chain of requests (send and/or read) is pending
  bool linked_send = false;         // the pending chain starts with a send
  bool final_send = false;          // the pending chain is the send before a close
  std::uint64_t chain = 0;          // the pending chain's number (its requests' user_data)
};

}  // namespace gridmeter::transport
