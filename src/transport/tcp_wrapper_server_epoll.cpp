// The TCP server's epoll engine: one level-triggered epoll set holds the listening socket, the
// stop eventfd, the inactivity timerfd and every connection. Level-triggered readiness lets the
// server read once per event (what a recv leaves in the socket, such as the peer's FIN behind
// a request, is reported again by the next wait), so a request costs a share of one
// epoll_wait, one recv and one send.
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>    // std::array
#include <cerrno>   // errno
#include <utility>  // std::move

#include "transport/tcp_wrapper_server.hpp"
#include "transport/tcp_wrapper_server_connection.hpp"

namespace gridmeter::transport {

namespace {
constexpr int events_max = 64;
}  // namespace

Status TcpWrapperServer::open_epoll() {
  // The tick: a periodic timerfd in the set.
  const auto period = tick_period(options_.inactivity_timeout);
  itimerspec every{};
  every.it_interval.tv_sec = static_cast<time_t>(period.count() / 1'000'000'000);
  every.it_interval.tv_nsec = static_cast<long>(period.count() % 1'000'000'000);
  every.it_value = every.it_interval;
  epoll_ = epoll_create1(EPOLL_CLOEXEC);
  tick_ = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
  if (epoll_ < 0 || tick_ < 0 || timerfd_settime(tick_, 0, &every, nullptr) != 0 ||
      !watch(listener_, EPOLLIN, EPOLL_CTL_ADD) || !watch(wake_, EPOLLIN, EPOLL_CTL_ADD) ||
      !watch(tick_, EPOLLIN, EPOLL_CTL_ADD)) {
    const int error = errno;
    for (int* fd : {&epoll_, &tick_}) {
      if (*fd >= 0) ::close(*fd);
      *fd = -1;
    }
    return make_error(fmt::format("the DLMS server cannot wait for events: {}", error_text(error)));
  }
  engine_ = TcpServerEngine::epoll;
  return {};
}

// The wait has no timeout (the tick wakes it): a timeout would arm a kernel timer on every wait.
void TcpWrapperServer::run_epoll() {
  std::array<epoll_event, events_max> events{};
  input_.resize(read_size);
  while (!stopping_.load(std::memory_order_relaxed)) {
    const int ready = epoll_wait(epoll_, events.data(), events_max, -1);
    if (ready < 0 && errno != EINTR) {
      log(fmt::format("DLMS server cannot wait for events: {}", error_text(errno)));
      return;
    }
    wakeups_.fetch_add(1, std::memory_order_relaxed);
    for (int i = 0; i < ready; ++i) {
      const int fd = events.at(static_cast<std::size_t>(i)).data.fd;
      const std::uint32_t what = events.at(static_cast<std::size_t>(i)).events;
      if (fd == wake_) return;
      if (fd == listener_) {
        epoll_accept();
        continue;
      }
      if (fd == tick_) {
        epoll_tick();
        continue;
      }
      // A connection closed by an earlier event of this batch is gone from the table. Should a
      // connection accepted since have its descriptor number, the stale event costs one recv
      // that finds nothing (EAGAIN).
      const auto found = connections_.find(fd);
      if (found == connections_.end()) continue;
      Connection& connection = *found->second;
      if (connection.writing) {
        if ((what & (EPOLLOUT | EPOLLERR | EPOLLHUP)) != 0) epoll_write_then(connection, {});
      } else if ((what & (EPOLLIN | EPOLLERR | EPOLLHUP)) != 0) {
        epoll_readable(connection);
      }
    }
  }
}

void TcpWrapperServer::epoll_accept() {
  sockaddr_storage peer{};
  socklen_t peer_size = sizeof peer;
  const int fd = accept4(listener_, reinterpret_cast<sockaddr*>(&peer), &peer_size,
                         SOCK_NONBLOCK | SOCK_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR || error == ECONNABORTED) return;
    accept_failed(error);
    (void)watch(listener_, 0, EPOLL_CTL_DEL);
    return;
  }
  Connection* connection = admit(fd, peer);
  if (connection != nullptr && !watch(fd, EPOLLIN, EPOLL_CTL_ADD)) {
    epoll_close(fd, fmt::format("cannot wait for it: {}", error_text(errno)));
  }
}

void TcpWrapperServer::epoll_readable(Connection& connection) {
  const ssize_t size = ::recv(connection.fd, input_.data(), input_.size(), 0);
  if (size < 0) {
    const int error = errno;
    if (error == EAGAIN || error == EWOULDBLOCK || error == EINTR) return;
    epoll_close(connection.fd, error_text(error));
    return;
  }
  if (size == 0) {
    epoll_close(connection.fd, "closed by the peer");
    return;
  }
  std::optional<std::string> close_why = serve_input(
      connection, std::span<const std::uint8_t>(input_.data(), static_cast<std::size_t>(size)));
  epoll_write_then(connection, std::move(close_why));
}

// Sends what is due. The socket nearly always takes an answer whole (it is small and the peer
// waits for it); what a slow peer's full buffer does not take waits for EPOLLOUT, and the
// connection is not read meanwhile, so a peer that does not read holds only its own buffers.
void TcpWrapperServer::epoll_write_then(Connection& connection,
                                        std::optional<std::string> close_why) {
  if (close_why) connection.close_after = std::move(close_why);
  while (connection.sent < connection.output.size()) {
    const ssize_t written = ::send(connection.fd, connection.output.data() + connection.sent,
                                   connection.output.size() - connection.sent, MSG_NOSIGNAL);
    if (written < 0) {
      const int error = errno;
      if (error == EINTR) continue;
      if (error == EAGAIN || error == EWOULDBLOCK) break;
      epoll_close(connection.fd, error_text(error));
      return;
    }
    connection.sent += static_cast<std::size_t>(written);
  }
  if (connection.sent < connection.output.size()) {
    if (!connection.writing) {
      connection.writing = true;
      if (!watch(connection.fd, EPOLLOUT, EPOLL_CTL_MOD)) {
        epoll_close(connection.fd, error_text(errno));
      }
    }
    return;
  }
  connection.output.clear();
  connection.sent = 0;
  if (connection.close_after) {
    const std::string why = std::move(*connection.close_after);
    epoll_close(connection.fd, why);
    return;
  }
  if (connection.writing) {
    connection.writing = false;
    if (!watch(connection.fd, EPOLLIN, EPOLL_CTL_MOD))
      epoll_close(connection.fd, error_text(errno));
  }
}

void TcpWrapperServer::epoll_close(int fd, std::string_view why) {
  const auto found = connections_.find(fd);
  if (found == connections_.end()) return;
  if (!found->second->closed) forget(*found->second, why);
  // The session goes first, before the descriptor can be reused by another connection.
  connections_.erase(found);
  ::shutdown(fd, SHUT_RDWR);
  ::close(fd);  // also leaves the epoll set
}

void TcpWrapperServer::epoll_tick() {
  std::uint64_t expirations = 0;
  if (::read(tick_, &expirations, sizeof expirations) < 0) return;  // EAGAIN: not yet due
  const Clock::time_point now = Clock::now();
  for (const int fd : idle_connections(now))
    epoll_close(fd, "inactivity timeout");
  if (retry_accept_ && now >= *retry_accept_) {
    retry_accept_.reset();
    (void)watch(listener_, EPOLLIN, EPOLL_CTL_ADD);
  }
}

bool TcpWrapperServer::watch(int fd, std::uint32_t events, int operation) const {
  epoll_event event{};
  event.events = events;
  event.data.fd = fd;
  return epoll_ctl(epoll_, operation, fd, &event) == 0;
}

}  // namespace gridmeter::transport
