#include "transport/tcp_wrapper_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>     // std::clamp
#include <array>         // std::array
#include <cerrno>        // errno
#include <cstring>       // std::strerror
#include <system_error>  // std::system_category
#include <utility>       // std::move

namespace gridmeter::transport {

namespace {

constexpr std::size_t read_size = 4096;
constexpr auto accept_retry_after = std::chrono::milliseconds(100);
constexpr int events_max = 64;
constexpr std::chrono::nanoseconds tick_min = std::chrono::milliseconds(10);
constexpr std::chrono::nanoseconds tick_max = std::chrono::seconds(1);

std::string error_text(int error) { return std::system_category().message(error); }

void set_flag(int fd, int level, int option) {
  const int on = 1;
  // A socket option that cannot be set costs latency or liveness detection, not correctness.
  (void)setsockopt(fd, level, option, &on, sizeof on);
}

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

// One accepted connection: its socket, framer, session and what it still has to send.
struct TcpWrapperServer::Connection {
  Connection(int socket_fd, std::string peer_name, std::uint16_t apdu_size_max,
             std::unique_ptr<WrapperSession> wrapper_session, Clock::time_point now)
      : fd(socket_fd),
        peer(std::move(peer_name)),
        framer(apdu_size_max),
        session(std::move(wrapper_session)),
        last_received(now) {}

  int fd;
  std::string peer;
  WrapperFramer framer;
  std::unique_ptr<WrapperSession> session;
  std::vector<std::uint8_t> output;        // answers not yet sent
  std::size_t sent = 0;                    // of output
  std::optional<std::string> close_after;  // why to close once output is sent
  Clock::time_point last_received;
  bool writing = false;  // waiting for room to send the rest (not reading meanwhile)
};

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
  const auto period =
      std::clamp<std::chrono::nanoseconds>(options_.inactivity_timeout / 4, tick_min, tick_max);
  itimerspec every{};
  every.it_interval.tv_sec = static_cast<time_t>(period.count() / 1'000'000'000);
  every.it_interval.tv_nsec = static_cast<long>(period.count() % 1'000'000'000);
  every.it_value = every.it_interval;
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  tick_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (epoll_ < 0 || wake_ < 0 || tick_ < 0 || timerfd_settime(tick_, 0, &every, nullptr) != 0 ||
      !watch(listener_, EPOLLIN, EPOLL_CTL_ADD) || !watch(wake_, EPOLLIN, EPOLL_CTL_ADD) ||
      !watch(tick_, EPOLLIN, EPOLL_CTL_ADD)) {
    const int error = errno;
    for (int* fd : {&epoll_, &wake_, &tick_}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
    return make_error(fmt::format("the DLMS server cannot wait for events: {}", error_text(error)));
  }
  stopping_.store(false);
  thread_ = std::thread([this] { run(); });
  thread_handle_ = thread_.native_handle();
  return {};
}

void TcpWrapperServer::stop() {
  if (thread_.joinable()) {
    stopping_.store(true);
    const std::uint64_t one = 1;
    // An eventfd counter cannot overflow from one write; should the write fail all the same,
    // the loop still sees stopping_ within its next wait (bounded by the inactivity timeout).
    if (::write(wake_, &one, sizeof one) < 0) log("DLMS server: cannot wake its thread");
    thread_.join();
    thread_handle_.reset();
  }
  // Key order does not matter: every connection closes for the same reason.
  while (!connections_.empty())
    close(connections_.begin()->first, "the server stops");
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

// The loop: level-triggered, so one recv per readiness is enough (what a read leaves in the
// socket is reported again by the next epoll_wait), and an idle connection costs nothing. The
// wait has no timeout (the tick wakes it): a timeout would arm a kernel timer on every wait.
void TcpWrapperServer::run() {
  // Named for top -H, perf and gdb (at most 15 characters).
  pthread_setname_np(pthread_self(), "gridmeter-dlms");
  std::array<epoll_event, events_max> events{};
  input_.resize(read_size);
  while (!stopping_.load(std::memory_order_relaxed)) {
    const int ready = epoll_wait(epoll_, events.data(), events_max, -1);
    wakeups_.fetch_add(1, std::memory_order_relaxed);
    if (ready < 0 && errno != EINTR) {
      log(fmt::format("DLMS server cannot wait for events: {}", error_text(errno)));
      return;
    }
    for (int i = 0; i < ready; ++i) {
      const int fd = events.at(static_cast<std::size_t>(i)).data.fd;
      const std::uint32_t what = events.at(static_cast<std::size_t>(i)).events;
      if (fd == wake_) return;
      if (fd == listener_) {
        accept_one();
        continue;
      }
      if (fd == tick_) {
        on_tick();
        continue;
      }
      // A connection closed by an earlier event of this batch is gone from the table. Should a
      // connection accepted since have its descriptor number, the stale event costs one recv
      // that finds nothing (EAGAIN).
      const auto found = connections_.find(fd);
      if (found == connections_.end()) continue;
      Connection& connection = *found->second;
      if (connection.writing) {
        if ((what & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) on_writable(connection);
      } else if ((what & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
        on_readable(connection);
      }
    }
  }
}

void TcpWrapperServer::on_tick() {
  std::uint64_t expirations = 0;
  if (::read(tick_, &expirations, sizeof expirations) < 0) return;  // EAGAIN: not yet due
  const Clock::time_point now = Clock::now();
  close_idle(now);
  if (retry_accept_ && now >= *retry_accept_) {
    retry_accept_.reset();
    (void)watch(listener_, EPOLLIN, EPOLL_CTL_ADD);
  }
}

void TcpWrapperServer::accept_one() {
  sockaddr_storage peer{};
  socklen_t peer_size = sizeof peer;
  const int fd = accept4(listener_, reinterpret_cast<sockaddr*>(&peer), &peer_size,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED) return;
    // Out of descriptors or memory: the listener rests a while instead of spinning.
    log(fmt::format("DLMS accept failed: {}", error_text(error)));
    (void)watch(listener_, 0, EPOLL_CTL_DEL);
    retry_accept_ = Clock::now() + accept_retry_after;
    return;
  }
  if (connections_.size() >= options_.connections_max) {
    refused_.fetch_add(1, std::memory_order_relaxed);
    ::close(fd);
    log("DLMS connection refused: the server holds its maximum of connections");
    return;
  }
  // Answers are small and must go at once: no Nagle delay. Keep-alive finds peers that
  // vanished without a FIN even when the inactivity timeout is long.
  set_flag(fd, IPPROTO_TCP, TCP_NODELAY);
  set_flag(fd, SOL_SOCKET, SO_KEEPALIVE);
  if (!watch(fd, EPOLLIN, EPOLL_CTL_ADD)) {
    log(fmt::format("DLMS accept failed: {}", error_text(errno)));
    ::close(fd);
    return;
  }
  accepted_.fetch_add(1, std::memory_order_relaxed);
  connections_.emplace(fd, std::make_unique<Connection>(fd, peer_name(peer), options_.apdu_size_max,
                                                        factory_(), Clock::now()));
  connection_count_.store(connections_.size(), std::memory_order_relaxed);
}

void TcpWrapperServer::on_readable(Connection& connection) {
  const ssize_t size = ::recv(connection.fd, input_.data(), input_.size(), 0);
  if (size < 0) {
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR) return;
    close(connection.fd, error_text(error));
    return;
  }
  if (size == 0) {
    close(connection.fd, "closed by the peer");
    return;
  }
  connection.last_received = Clock::now();
  bool close_requested = false;
  const Status framing = connection.framer.feed_all(
      std::span<const std::uint8_t>(input_.data(), static_cast<std::size_t>(size)),
      [&](const WrapperFrameView& frame) {
        if (close_requested) return;
        frames_.fetch_add(1, std::memory_order_relaxed);
        if (connection.session->on_frame(frame, connection.output) ==
            WrapperSession::Verdict::close) {
          close_requested = true;
        }
      });
  // In both cases below, whatever was answered before goes out first (the frames before a
  // broken header were served, and may have changed something the client must hear of); the
  // connection then closes.
  if (close_requested) {
    write_then(connection, std::string("a frame to a wPort the server does not serve"));
    return;
  }
  if (!framing) {
    framing_errors_.fetch_add(1, std::memory_order_relaxed);
    write_then(connection, framing.error().message);
    return;
  }
  write_then(connection, std::nullopt);
}

// Sends what is due. The socket nearly always takes an answer whole (it is small and the peer
// waits for it); what a slow peer's full buffer does not take waits for EPOLLOUT, and the
// connection is not read meanwhile, so a peer that does not read holds only its own buffers.
void TcpWrapperServer::write_then(Connection& connection, std::optional<std::string> close_why) {
  if (close_why) connection.close_after = std::move(close_why);
  while (connection.sent < connection.output.size()) {
    const ssize_t written = ::send(connection.fd, connection.output.data() + connection.sent,
                                   connection.output.size() - connection.sent, MSG_NOSIGNAL);
    if (written < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (error == EAGAIN || error == EWOULDBLOCK) break;
      close(connection.fd, error_text(error));
      return;
    }
    connection.sent += static_cast<std::size_t>(written);
  }
  if (connection.sent < connection.output.size()) {
    if (!connection.writing) {
      connection.writing = true;
      if (!watch(connection.fd, EPOLLOUT, EPOLL_CTL_MOD)) close(connection.fd, error_text(errno));
    }
    return;
  }
  connection.output.clear();
  connection.sent = 0;
  if (connection.close_after) {
    const std::string why = std::move(*connection.close_after);
    close(connection.fd, why);
    return;
  }
  if (connection.writing) {
    connection.writing = false;
    if (!watch(connection.fd, EPOLLIN, EPOLL_CTL_MOD)) close(connection.fd, error_text(errno));
  }
}

void TcpWrapperServer::on_writable(Connection& connection) { write_then(connection, std::nullopt); }

void TcpWrapperServer::close(int fd, std::string_view why) {
  const auto found = connections_.find(fd);
  if (found == connections_.end()) return;
  // The session goes first, before the descriptor can be reused by another connection.
  const std::string peer = std::move(found->second->peer);
  connections_.erase(found);
  connection_count_.store(connections_.size(), std::memory_order_relaxed);
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);  // also leaves the epoll set
  log(fmt::format("DLMS connection from {} closed: {}", peer, why));
}

// Inactivity (IEC 62056-9-7's time-out of the TCP-UDP setup object): a connection from which
// nothing arrived for the timeout is closed, writing or not.
void TcpWrapperServer::close_idle(Clock::time_point now) {
  std::vector<int> idle;
  for (const auto& [fd, connection] : connections_) {
    if (now - connection->last_received >= options_.inactivity_timeout) idle.push_back(fd);
  }
  for (const int fd : idle) {
    timed_out_.fetch_add(1, std::memory_order_relaxed);
    close(fd, "inactivity timeout");
  }
}

bool TcpWrapperServer::watch(int fd, std::uint32_t events, int operation) const {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  return epoll_ctl(epoll_, operation, fd, &event) == 0;
}

void TcpWrapperServer::log(std::string_view message) const {
  if (options_.log) options_.log(message);
}

}  // namespace gridmeter::transport
