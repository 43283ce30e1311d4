// TcpWrapperServer: the DLMS/COSEM TCP transport of a server (IEC 62056-47 / IEC 62056-9-7):
// it listens, accepts many simultaneous connections, reassembles wrapper frames from each
// byte stream and hands them to that connection's WrapperSession, and sends back what the
// session answers. It carries bytes and wPorts; what the APDUs mean is the session's business.
//
//   asio::io_context io;
//   TcpWrapperServer server(io, TcpServerOptions{}, [&] { return make_session(); });
//   if (Status listening = server.start(); !listening) fail(listening.error().message);
//   io.run();                                   // serves until io.stop() or server.stop()
//
// Each connection is served on the io_context's thread, one frame at a time: a frame is read,
// answered, and the answer written before the connection reads again, so a peer that does not
// read its answers stops being read from and holds only its own buffers. A connection is
// closed when:
//   - nothing arrives for `inactivity_timeout` (a half-open peer, a stuck write, a client that
//     went quiet: IEC 62056-9-7's inactivity time-out of the TCP-UDP setup object);
//   - its byte stream loses the wrapper framing (wrong version, a length over the maximum): a
//     TCP stream cannot resynchronise;
//   - the session asks for it (a frame to a wPort that names no logical device);
//   - the peer closes, or the server stops.
// A connection beyond `connections_max` is accepted and closed at once.
#pragma once

#include <chrono>         // std::chrono::milliseconds
#include <cstddef>        // std::size_t
#include <cstdint>        // std::uint16_t
#include <functional>     // std::function
#include <memory>         // std::unique_ptr, std::shared_ptr
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "core/result.hpp"
#include "transport/wrapper_frame.hpp"
#include "transport/wrapper_port.hpp"

namespace gridmeter::transport {

// What a server does with the frames of one connection; one instance per connection.
class WrapperSession {
 public:
  virtual ~WrapperSession() = default;
  enum class Verdict { keep, close };
  // One complete frame; whole WPDUs to send back are appended to `out`.
  virtual Verdict on_frame(const WrapperFrameView& frame, std::vector<std::uint8_t>& out) = 0;

 protected:
  WrapperSession() = default;
  WrapperSession(const WrapperSession&) = default;
  WrapperSession& operator=(const WrapperSession&) = default;
};

using SessionFactory = std::function<std::unique_ptr<WrapperSession>()>;

struct TcpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = dlms_cosem_port;  // 0: any free port (see local_port())
  std::size_t connections_max = 64;
  std::chrono::milliseconds inactivity_timeout = std::chrono::seconds(120);
  // The longest APDU a frame may carry; a longer one loses the connection.
  std::uint16_t apdu_size_max = wrapper_apdu_size_max;
  // Where connection events go (accepted, closed and why); empty: nowhere.
  std::function<void(std::string_view)> log;
};

// Counters of what the server has done, for logs and tests.
struct TcpServerCounters {
  std::size_t accepted = 0;
  std::size_t refused = 0;         // over connections_max
  std::size_t timed_out = 0;       // closed for inactivity
  std::size_t framing_errors = 0;  // closed for a broken stream
  std::size_t frames = 0;          // frames handed to sessions
};

class TcpWrapperServer {
 public:
  TcpWrapperServer(asio::io_context& io, TcpServerOptions options, SessionFactory factory);
  ~TcpWrapperServer();
  TcpWrapperServer(const TcpWrapperServer&) = delete;
  TcpWrapperServer& operator=(const TcpWrapperServer&) = delete;

  // Binds and listens; the error names the address and why (in use, not an address, ...).
  Status start();
  // Stops accepting and closes every connection.
  void stop();

  [[nodiscard]] std::uint16_t local_port() const;
  [[nodiscard]] std::size_t connection_count() const { return connections_.size(); }
  [[nodiscard]] const TcpServerCounters& counters() const { return counters_; }

 private:
  class Connection;
  friend class Connection;

  void accept_next();
  void closed(Connection* connection);
  void log(std::string_view message) const;

  asio::io_context& io_;
  TcpServerOptions options_;
  SessionFactory factory_;
  asio::ip::tcp::acceptor acceptor_;
  asio::steady_timer retry_;  // a failed accept is retried after a pause
  std::unordered_map<Connection*, std::shared_ptr<Connection>> connections_;
  TcpServerCounters counters_;
  bool stopping_ = false;
};

}  // namespace gridmeter::transport
