// Helpers for the TCP transport tests: a TcpWrapperServer on its own thread, and a raw client
// socket whose reads end at a deadline, so a test that goes wrong fails instead of hanging.
//
//   ServerThread server(options, [] { return std::make_unique<EchoSession>(); });
//   RawClient client(server.port());
//   client.write(frame_of(0x10, 0x01, {0xC0}));
//   EXPECT_EQ(client.read(answer.size()).bytes, answer);
//   EXPECT_EQ(server.counters().frames, 1U);
#pragma once

#include <gtest/gtest.h>

#include <array>       // std::array
#include <chrono>      // std::chrono
#include <cstddef>     // std::size_t
#include <cstdint>     // std::uint8_t, std::uint16_t
#include <functional>  // std::function
#include <limits>      // std::numeric_limits
#include <memory>      // std::unique_ptr
#include <optional>    // std::optional
#include <thread>      // std::thread
#include <utility>     // std::move
#include <vector>      // std::vector

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include "transport/tcp_wrapper_server.hpp"
#include "transport/wrapper_frame.hpp"

namespace gridmeter::transport::test {

using Bytes = std::vector<std::uint8_t>;
using namespace std::chrono_literals;

// A deadline generous enough for a loaded CI machine: what must happen happens well within it.
inline constexpr std::chrono::milliseconds patience = 5s;

inline Bytes frame_of(std::uint16_t source, std::uint16_t destination, const Bytes& apdu) {
  Bytes out;
  EXPECT_TRUE(encode_wrapper(source, destination, apdu, out));
  return out;
}

inline Bytes joined(const std::vector<Bytes>& parts) {
  Bytes all;
  for (const Bytes& part : parts)
    all.insert(all.end(), part.begin(), part.end());
  return all;
}

// A TcpWrapperServer on 127.0.0.1, any free port (it serves on a thread of its own).
class ServerThread {
 public:
  ServerThread(TcpServerOptions options, SessionFactory factory) {
    options.address = "127.0.0.1";
    options.port = 0;
    server_.emplace(std::move(options), std::move(factory));
    const Status started = server_->start();
    EXPECT_TRUE(started) << (started ? "" : started.error().message);
    port_ = server_->local_port();
  }
  ServerThread(const ServerThread&) = delete;
  ServerThread& operator=(const ServerThread&) = delete;
  ~ServerThread() { stop(); }

  [[nodiscard]] std::uint16_t port() const { return port_; }

  // Both are read while the server runs.
  [[nodiscard]] TcpServerCounters counters() const { return server_->counters(); }
  [[nodiscard]] std::size_t connection_count() const { return server_->connection_count(); }
  void stop() { server_->stop(); }

  // Polls `condition` until it holds or `patience` has passed.
  template <typename Condition>
  static bool eventually(Condition condition) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    for (;;) {
      if (condition()) return true;
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(5ms);
    }
  }
  TcpWrapperServer& server() { return *server_; }

 private:
  std::optional<TcpWrapperServer> server_;
  std::uint16_t port_ = 0;
};

// What a read collected before it ended.
struct Received {
  Bytes bytes;
  bool closed = false;  // the peer closed (or reset) the connection
};

// A client socket with reads bounded by a deadline.
class RawClient {
 public:
  explicit RawClient(std::uint16_t port, std::optional<int> receive_buffer = std::nullopt,
                     const char* address = "127.0.0.1") {
    asio::error_code error;
    const asio::ip::tcp::endpoint server(asio::ip::make_address(address), port);
    socket_.open(server.protocol(), error);
    EXPECT_FALSE(error) << error.message();
    if (receive_buffer) {
      socket_.set_option(asio::socket_base::receive_buffer_size(*receive_buffer), error);
    }
    socket_.connect(server, error);
    EXPECT_FALSE(error) << "connect: " << error.message();
    socket_.set_option(asio::ip::tcp::no_delay(true), error);
  }

  [[nodiscard]] bool connected() const { return socket_.is_open(); }
  // The client's own port: how the server's log names this connection.
  [[nodiscard]] std::uint16_t local_port() const {
    asio::error_code ignored;
    return socket_.local_endpoint(ignored).port();
  }

  // Writes all of `bytes` (small amounts: the server reads them, so this does not block).
  void write(const Bytes& bytes) {
    asio::error_code error;
    asio::write(socket_, asio::buffer(bytes), error);
    EXPECT_FALSE(error) << "write: " << error.message();
  }

  // Reads until `want` bytes have arrived, the peer closes, or `deadline` has passed.
  Received read(std::size_t want, std::chrono::milliseconds deadline = patience) {
    Received received;
    const auto until = std::chrono::steady_clock::now() + deadline;
    while (received.bytes.size() < want && !received.closed) {
      std::array<std::uint8_t, 65536> buffer{};
      bool done = false;
      asio::error_code error;
      std::size_t size = 0;
      socket_.async_read_some(asio::buffer(buffer),
                              [&](const asio::error_code& result, std::size_t count) {
                                error = result;
                                size = count;
                                done = true;
                              });
      io_.restart();
      io_.run_until(until);
      const bool timed_out = !done;
      if (timed_out) {
        asio::error_code ignored;
        socket_.cancel(ignored);
        io_.restart();
        io_.run();
      }
      received.bytes.insert(received.bytes.end(), buffer.begin(),
                            buffer.begin() + static_cast<std::ptrdiff_t>(size));
      if (error && error != asio::error::operation_aborted) received.closed = true;
      if (timed_out) break;
    }
    return received;
  }

  // Reads (whatever arrives) until the peer closes, within `deadline`.
  Received read_until_closed(std::chrono::milliseconds deadline = patience) {
    return read(std::numeric_limits<std::size_t>::max(), deadline);
  }

  void close() {
    asio::error_code ignored;
    socket_.close(ignored);
  }
  // Sends a FIN after what was written; the connection can still read.
  void shutdown_send() {
    asio::error_code error;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_send, error);
    EXPECT_FALSE(error) << "shutdown: " << error.message();
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_{io_};
};

}  // namespace gridmeter::transport::test
