#include "transport/tcp_wrapper_server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>    // std::array
#include <cerrno>   // errno
#include <cstring>  // std::memcpy, strerror_r
#include <future>   // std::promise, std::future
#include <utility>  // std::move

#include "transport/tcp_wrapper_server_connection.hpp"

namespace gridmeter::transport {

namespace {

std::string peer_name(const sockaddr_storage& peer) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (peer.ss_family == AF_INET6) {
    sockaddr_in6 v6{};
    std::memcpy(&v6, &peer, sizeof v6);
    inet_ntop(AF_INET6, &v6.sin6_addr, text.data(), text.size());
    return fmt::format("{}:{}", text.data(), ntohs(v6.sin6_port));
  }
  sockaddr_in v4{};
  std::memcpy(&v4, &peer, sizeof v4);
  inet_ntop(AF_INET, &v4.sin_addr, text.data(), text.size());
  return fmt::format("{}:{}", text.data(), ntohs(v4.sin_port));
}

}  // namespace

// glibc's strerror_r (the GNU one, which returns the message): no allocation and no virtual
// call, so it works when the process has no descriptor or little memory left (what the
// sanitizers' checks of a virtual call may need).
std::string error_text(int error) {
  std::array<char, 128> buffer{};
  return strerror_r(error, buffer.data(), buffer.size());
}

std::string_view engine_name(TcpServerEngine engine) {
  switch (engine) {
    case TcpServerEngine::best:
      return "best";
    case TcpServerEngine::epoll:
      return "epoll";
    case TcpServerEngine::io_uring:
      return "io_uring";
  }
  return "?";
}

TcpWrapperServer::TcpWrapperServer(TcpServerOptions options, SessionFactory factory)
    : options_(std::move(options)), factory_(std::move(factory)) {}

TcpWrapperServer::~TcpWrapperServer() { stop(); }

Status TcpWrapperServer::start() {
  if (Status listening = listen(); !listening) return listening;
  return serve();
}

Status TcpWrapperServer::listen() {
  sockaddr_storage address{};
  socklen_t address_size = 0;
  in_addr v4{};
  in6_addr v6{};
  if (inet_pton(AF_INET, options_.address.c_str(), &v4) == 1) {
    sockaddr_in bound{};
    bound.sin_family = AF_INET;
    bound.sin_port = htons(options_.port);
    bound.sin_addr = v4;
    std::memcpy(&address, &bound, sizeof bound);
    address_size = sizeof bound;
  } else if (inet_pton(AF_INET6, options_.address.c_str(), &v6) == 1) {
    sockaddr_in6 bound{};
    bound.sin6_family = AF_INET6;
    bound.sin6_port = htons(options_.port);
    bound.sin6_addr = v6;
    std::memcpy(&address, &bound, sizeof bound);
    address_size = sizeof bound;
  } else {
    return make_error(fmt::format("listen address \"{}\" is not an IP address", options_.address));
  }
  auto fail = [&](std::string_view step) {
    const int error = errno;
    if (listener_ >= 0) ::close(listener_);
    listener_ = -1;
    return make_error(fmt::format("cannot listen on {}:{}: {} ({})", options_.address,
                                  options_.port, error_text(error), step));
  };
  listener_ = ::socket(address.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (listener_ < 0) return fail("open");
  const int on = 1;
  if (setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0) {
    return fail("reuse address");
  }
  if (::bind(listener_, reinterpret_cast<const sockaddr*>(&address), address_size) != 0) {
    return fail("bind");
  }
  if (::listen(listener_, SOMAXCONN) != 0) return fail("listen");
  sockaddr_storage local{};
  socklen_t local_size = sizeof local;
  if (getsockname(listener_, reinterpret_cast<sockaddr*>(&local), &local_size) != 0) {
    return fail("local address");
  }
  if (local.ss_family == AF_INET6) {
    sockaddr_in6 bound{};
    std::memcpy(&bound, &local, sizeof bound);
    port_ = ntohs(bound.sin6_port);
  } else {
    sockaddr_in bound{};
    std::memcpy(&bound, &local, sizeof bound);
    port_ = ntohs(bound.sin_port);
  }
  return {};
}

Status TcpWrapperServer::serve() {
  if (listener_ < 0) return make_error("the DLMS server serves only after it listens");
  if (thread_.joinable()) return {};
  // The stop signal, which both engines wait for.
  if (wake_ < 0) wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_ < 0) {
    return make_error(
        fmt::format("the DLMS server cannot make its stop signal: {}", error_text(errno)));
  }
  // The engine is set up on the server's thread: an io_uring instance then belongs to the thread
  // that uses it, and the kernel's notifications for it never interrupt the caller's system
  // calls.
  stopping_.store(false);
  std::promise<Status> opened;
  std::future<Status> ready = opened.get_future();
  thread_ = std::thread([this, &opened] { run(opened); });
  if (Status status = ready.get(); !status) {
    thread_.join();
    return status;
  }
  thread_handle_ = thread_.native_handle();
  return {};
}

Status TcpWrapperServer::open_engine() {
  switch (options_.engine) {
    case TcpServerEngine::io_uring:
      return open_uring();
    case TcpServerEngine::epoll:
      return open_epoll();
    case TcpServerEngine::best:
      if (Status uring = open_uring(); uring) return uring;
      return open_epoll();
  }
  return make_error("the DLMS server has no such engine");
}

void TcpWrapperServer::run(std::promise<Status>& opened) {
  // Named for top -H, perf and gdb (at most 15 characters).
  pthread_setname_np(pthread_self(), "gridmeter-dlms");
  Status status = open_engine();
  const bool serving = static_cast<bool>(status);
  opened.set_value(std::move(status));  // `opened` is the caller's: not touched after this
  if (!serving) return;
  if (engine_ == TcpServerEngine::io_uring) {
    run_uring();
  } else {
    run_epoll();
  }
}

void TcpWrapperServer::stop() {
  if (thread_.joinable()) {
    stopping_.store(true);
    const std::uint64_t one = 1;
    // An eventfd counter cannot overflow from one write; should the write fail all the same,
    // the loop still sees stopping_ at its next wake-up (the tick's period at the latest).
    if (::write(wake_, &one, sizeof one) < 0) log("DLMS server: cannot wake its thread");
    thread_.join();
    thread_handle_.reset();
  }
  // The io_uring engine has closed its connections on its thread; the epoll engine's close here.
  while (!connections_.empty())
    epoll_close(connections_.begin()->first, "the server stops");
  close_uring();
  for (int* fd : {&listener_, &epoll_, &wake_, &tick_}) {
    if (*fd >= 0) ::close(*fd);
    *fd = -1;
  }
}

TcpServerCounters TcpWrapperServer::counters() const {
  return TcpServerCounters{.accepted = accepted_.load(std::memory_order_relaxed),
                           .refused = refused_.load(std::memory_order_relaxed),
                           .timed_out = timed_out_.load(std::memory_order_relaxed),
                           .framing_errors = framing_errors_.load(std::memory_order_relaxed),
                           .frames = frames_.load(std::memory_order_relaxed),
                           .wakeups = wakeups_.load(std::memory_order_relaxed)};
}

// A connection just accepted: kept, or refused (closed at once) over connections_max.
TcpWrapperServer::Connection* TcpWrapperServer::admit(int fd, const sockaddr_storage& peer) {
  if (connection_count_.load(std::memory_order_relaxed) >= options_.connections_max) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    ::close(fd);
    log("DLMS connection refused: the server holds its maximum of connections");
    return nullptr;
  }
  // Answers are small and must go at once: no Nagle delay. Keep-alive finds peers that
  // vanished without a FIN even when the inactivity timeout is long. A socket option that
  // cannot be set costs latency or liveness detection, not correctness.
  const int on = 1;
  (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  (void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
  accepted_.fetch_add(1, std::memory_order_relaxed);
  connection_count_.fetch_add(1, std::memory_order_relaxed);
  auto connection = std::make_unique<Connection>(fd, peer_name(peer), options_.apdu_size_max,
                                                 factory_(), Clock::now());
  Connection* kept = connection.get();
  connections_.insert_or_assign(fd, std::move(connection));
  return kept;
}

// One read's bytes to the session; the answers are appended to the connection's output. What
// comes back is why the connection must close once that output is sent, if it must.
std::optional<std::string> TcpWrapperServer::serve_input(Connection& connection,
                                                         std::span<const std::uint8_t> in) {
  connection.last_received = Clock::now();
  bool close_requested = false;
  const Status framing = connection.framer.feed_all(in, [&](const WrapperFrameView& frame) {
    if (close_requested) return;
    frames_.fetch_add(1, std::memory_order_relaxed);
    if (connection.session->on_frame(frame, connection.output) == WrapperSession::Verdict::close) {
      close_requested = true;
    }
  });
  // In both cases below, whatever was answered before goes out first (the frames before a
  // broken header were served, and may have changed something the client must hear of); the
  // connection then closes.
  if (close_requested) return std::string("a frame to a wPort the server does not serve");
  if (!framing) {
    framing_errors_.fetch_add(1, std::memory_order_relaxed);
    return framing.error().message;
  }
  return std::nullopt;
}

// The bookkeeping of a close, for both engines: the connection no longer counts, and the log
// says why. The engine then releases the socket (at once, or once its requests are done).
void TcpWrapperServer::forget(Connection& connection, std::string_view why) {
  connection.closed = true;
  connection_count_.fetch_sub(1, std::memory_order_relaxed);
  log(fmt::format("DLMS connection from {} closed: {}", connection.peer, why));
}

// Inactivity (IEC 62056-9-7's time-out of the TCP-UDP setup object): the connections from which
// nothing arrived for the timeout, writing or not, counted as timed out.
std::vector<int> TcpWrapperServer::idle_connections(Clock::time_point now) {
  std::vector<int> idle;
  for (const auto& [fd, connection] : connections_) {
    if (!connection->closed && now - connection->last_received >= options_.inactivity_timeout) {
      idle.push_back(fd);
    }
  }
  timed_out_.fetch_add(idle.size(), std::memory_order_relaxed);
  return idle;
}

// Out of descriptors or memory: the listener rests a while (retry_accept_) instead of spinning.
void TcpWrapperServer::accept_failed(int error) {
  log(fmt::format("DLMS accept failed: {}", error_text(error)));
  retry_accept_ = Clock::now() + accept_retry_after;
}

void TcpWrapperServer::log(std::string_view message) const {
  if (options_.log) options_.log(message);
}

}  // namespace gridmeter::transport
