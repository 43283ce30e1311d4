// TcpWrapperServer: the DLMS/COSEM TCP transport of a server (IEC 62056-47 / IEC 62056-9-7):
// it listens, accepts many simultaneous connections, reassembles wrapper frames from each
// byte stream and hands them to that connection's WrapperSession, and sends back what the
// session answers. It carries bytes and wPorts; what the APDUs mean is the session's business.
//
//   TcpWrapperServer server(TcpServerOptions{}, [&] { return make_session(); });
//   if (Status listening = server.start(); !listening) fail(listening.error().message);
//   ...                                         // served on the server's own thread
//   server.stop();                              // closes everything, joins the thread
//
// The server runs on a thread of its own, with one of two engines (TcpServerEngine):
//   - io_uring (Linux 5.19 and later, where the kernel allows it): each answer is sent and the
//     next read started by one linked pair of requests, and one system call submits the
//     requests of every connection served and waits for the next completions, so concurrent
//     clients share the system calls (tcp_wrapper_server_uring.cpp);
//   - epoll: one level-triggered epoll set holds the listening socket and every connection, so
//     a request costs one share of an epoll_wait, one recv and one send, the fewest system
//     calls a readiness-based server can make (bench/tcp_floor.hpp; tcp_wrapper_server_epoll.cpp).
// The inactivity timeouts are checked on a periodic timer (a quarter of the timeout, 10 ms to
// 1 s) rather than by a timeout on each wait, which would arm a kernel timer every time the
// server sleeps: a connection is closed between the timeout and a period after it.
// Sessions are created, called and destroyed on that thread; a session that reaches state
// other threads touch serialises itself (app::DlmsService locks the meter for each frame).
//
// Each connection is served one read at a time: the frames of a read are answered, and the
// answers written, before the connection reads again, so a peer that does not read its
// answers stops being read from and holds only its own buffers. A connection is closed when:
//   - nothing arrives for `inactivity_timeout` (a half-open peer, a stuck write, a client that
//     went quiet: IEC 62056-9-7's inactivity time-out of the TCP-UDP setup object);
//   - its byte stream loses the wrapper framing (wrong version, a length over the maximum): a
//     TCP stream cannot resynchronise;
//   - the session asks for it (a frame to a wPort that names no logical device);
//   - the peer closes, or the server stops.
// A connection beyond `connections_max` is accepted and closed at once.
#pragma once

#include <pthread.h>
#include <sys/socket.h>  // sockaddr_storage

#include <atomic>         // std::atomic
#include <chrono>         // std::chrono::milliseconds, std::chrono::steady_clock
#include <cstddef>        // std::size_t
#include <cstdint>        // std::uint16_t, std::uint32_t
#include <functional>     // std::function
#include <future>         // std::promise
#include <memory>         // std::unique_ptr
#include <optional>       // std::optional
#include <span>           // std::span
#include <string>         // std::string
#include <string_view>    // std::string_view
#include <thread>         // std::thread
#include <unordered_map>  // std::unordered_map
#include <vector>         // std::vector

#include "core/result.hpp"
#include "transport/wrapper_frame.hpp"
#include "transport/wrapper_port.hpp"

namespace gridmeter::transport {

// What a server does with the frames of one connection; one instance per connection, created,
// called and destroyed on the server's thread.
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

// How the server waits for its sockets. `best`: io_uring where the kernel offers it, else epoll.
enum class TcpServerEngine { best, epoll, io_uring };
std::string_view engine_name(TcpServerEngine engine);

struct TcpServerOptions {
  std::string address = "127.0.0.1";
  std::uint16_t port = dlms_cosem_port;  // 0: any free port (see local_port())
  std::size_t connections_max = 64;
  std::chrono::milliseconds inactivity_timeout = std::chrono::seconds(120);
  // The longest APDU a frame may carry; a longer one loses the connection.
  std::uint16_t apdu_size_max = wrapper_apdu_size_max;
  TcpServerEngine engine = TcpServerEngine::best;
  // Where connection events go (refused, closed and why), called on the server's thread;
  // empty: nowhere.
  std::function<void(std::string_view)> log;
};

// Counters of what the server has done, for logs and tests.
struct TcpServerCounters {
  std::size_t accepted = 0;
  std::size_t refused = 0;         // over connections_max
  std::size_t timed_out = 0;       // closed for inactivity
  std::size_t framing_errors = 0;  // closed for a broken stream
  std::size_t frames = 0;          // frames handed to sessions
  std::size_t wakeups = 0;         // returns from the wait for events (frames / wakeups: batching)
};

class TcpWrapperServer {
 public:
  TcpWrapperServer(TcpServerOptions options, SessionFactory factory);
  ~TcpWrapperServer();
  TcpWrapperServer(const TcpWrapperServer&) = delete;
  TcpWrapperServer& operator=(const TcpWrapperServer&) = delete;

  // listen(), then serve(). The error names the address and why (in use, not an address, ...).
  Status start();
  // Binds and listens, so local_port() is known; connections wait in the backlog until
  // serve(). For a caller that needs the port before the first session is made.
  Status listen();
  // Starts the server's thread: from now on the factory and the sessions are called there.
  // Fails when the engine asked for is not available (io_uring: too old a kernel, or one that
  // forbids it); `best` falls back to epoll.
  Status serve();
  // Stops the thread, then closes every connection (logged "the server stops") and the
  // listening socket. Safe to call more than once; not from a session.
  void stop();

  [[nodiscard]] std::uint16_t local_port() const { return port_; }
  // Both may be read from any thread while the server runs.
  [[nodiscard]] std::size_t connection_count() const {
    return connection_count_.load(std::memory_order_relaxed);
  }
  [[nodiscard]] TcpServerCounters counters() const;
  // The server's thread, while it runs (for its CPU clock: bench/dlms_get.cpp).
  [[nodiscard]] std::optional<pthread_t> thread_handle() const { return thread_handle_; }
  // The engine serving (epoll or io_uring), once serve() has succeeded.
  [[nodiscard]] TcpServerEngine engine() const { return engine_; }

 private:
  struct Connection;
  struct Uring;  // tcp_wrapper_server_uring.cpp
  using Clock = std::chrono::steady_clock;

  // Shared by both engines (tcp_wrapper_server.cpp).
  Status open_engine();
  void run(std::promise<Status>& opened);
  Connection* admit(int fd, const sockaddr_storage& peer);
  std::optional<std::string> serve_input(Connection& connection, std::span<const std::uint8_t> in);
  void forget(Connection& connection, std::string_view why);
  std::vector<int> idle_connections(Clock::time_point now);
  void accept_failed(int error);
  void log(std::string_view message) const;

  // The epoll engine (tcp_wrapper_server_epoll.cpp).
  Status open_epoll();
  void run_epoll();
  void epoll_accept();
  void epoll_readable(Connection& connection);
  void epoll_write_then(Connection& connection, std::optional<std::string> close_why);
  void epoll_close(int fd, std::string_view why);
  void epoll_tick();
  bool watch(int fd, std::uint32_t events, int operation) const;

  // The io_uring engine (tcp_wrapper_server_uring.cpp).
  Status open_uring();
  void run_uring();
  void close_uring();

  TcpServerOptions options_;
  SessionFactory factory_;
  int listener_ = -1;
  int epoll_ = -1;
  int wake_ = -1;                                   // eventfd: written by stop()
  int tick_ = -1;                                   // epoll: timerfd, the inactivity checks' tick
  TcpServerEngine engine_ = TcpServerEngine::best;  // the one serving, once serve() succeeded
  struct UringDeleter {
    void operator()(Uring* uring) const;
  };
  std::unique_ptr<Uring, UringDeleter> uring_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::optional<pthread_t> thread_handle_;
  std::atomic<bool> stopping_{false};
  // Touched by the server's thread alone while it runs (and by stop() after it has joined).
  std::unordered_map<int, std::unique_ptr<Connection>> connections_;
  std::vector<std::uint8_t> input_;                // one read's bytes
  std::optional<Clock::time_point> retry_accept_;  // the listener rests after a failed accept
  // Readable from any thread.
  std::atomic<std::size_t> connection_count_{0};
  std::atomic<std::size_t> accepted_{0};
  std::atomic<std::size_t> refused_{0};
  std::atomic<std::size_t> timed_out_{0};
  std::atomic<std::size_t> framing_errors_{0};
  std::atomic<std::size_t> frames_{0};
  std::atomic<std::size_t> wakeups_{0};
};

}  // namespace gridmeter::transport
