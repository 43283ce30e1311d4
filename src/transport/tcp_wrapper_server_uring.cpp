// The TCP server's io_uring engine. Each connection has at most one chain of requests pending:
// a read; or, after a read that was answered, the answer's send linked to the next read (the
// read starts only once the whole answer is sent, so a peer that does not read its answers is
// not read from either); or, before a close, the last answer's send. One io_uring_enter submits
// the chains of every connection served since the last and waits for the next completion, so
// concurrent clients share the system calls that epoll spends per request (a recv and a send).
//
// A successful linked send posts no completion (IOSQE_CQE_SKIP_SUCCESS): with one client a
// request then costs one system call, not two. It is sent with MSG_WAITALL, so the kernel
// finishes a send a full socket buffer interrupted rather than reporting it short; a send that
// fails (or stays short) posts its completion, and cancels the read linked to it.
//
// A connection's buffers must outlive its requests: one that is closed while a chain is
// pending is shut down (which ends the chain at once) and released when the chain's completion
// arrives. A failed linked send posts its completion, and the kernel then skips the completion
// of the read it cancels (REQ_F_SKIP_LINK_CQES): the send's completion ends the chain. Requests
// carry a chain number, not an address, so a completion the server no longer expects (a kernel
// that does post the cancelled read) finds nothing and is ignored. The kernel must be Linux 6.0 or
// later (IORING_FEAT_LINKED_FILE stands for that: send with MSG_WAITALL, skipped completions and
// fast poll all came before it).
#include <liburing.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>         // errno
#include <cstdint>        // std::uint64_t
#include <unordered_map>  // std::unordered_map
#include <utility>        // std::exchange, std::move, std::pair
#include <vector>         // std::vector

#include "transport/tcp_wrapper_server.hpp"
#include "transport/tcp_wrapper_server_connection.hpp"

namespace gridmeter::transport {

namespace {

// The user_data of requests that are not a connection's; a connection's carry the chain's
// number (from first_chain on, even), plus one on a send linked to a read.
constexpr std::uint64_t accept_request = 1;
constexpr std::uint64_t wake_request = 2;
constexpr std::uint64_t tick_request = 3;
constexpr std::uint64_t cancel_request = 4;
constexpr std::uint64_t first_chain = 16;
constexpr std::uint64_t linked_send_bit = 1;
constexpr unsigned ring_entries = 256;  // room for every connection's pair, and more
constexpr unsigned features_needed =
    IORING_FEAT_NODROP | IORING_FEAT_FAST_POLL | IORING_FEAT_CQE_SKIP | IORING_FEAT_LINKED_FILE;
constexpr auto teardown_patience = std::chrono::seconds(2);

}  // namespace

struct TcpWrapperServer::Uring {
  io_uring ring{};
  bool ready = false;
  bool stop = false;
  // The tick's period (the kernel reads it when the timeout is submitted).
  __kernel_timespec tick_period{};
  bool accept_pending = false;
  bool wake_pending = false;
  bool tick_pending = false;
  // The chains pending, by number.
  std::unordered_map<std::uint64_t, Connection*> chains;
  std::uint64_t next_chain = first_chain;

  Uring() = default;
  Uring(const Uring&) = delete;
  Uring& operator=(const Uring&) = delete;
  ~Uring() {
    if (ready) io_uring_queue_exit(&ring);
  }

  // A free submission entry; when the queue is full, what it holds is submitted first.
  io_uring_sqe* entry() {
    io_uring_sqe* sqe = io_uring_get_sqe(&ring);
    if (sqe == nullptr && io_uring_submit(&ring) >= 0) sqe = io_uring_get_sqe(&ring);
    return sqe;
  }
};

void TcpWrapperServer::UringDeleter::operator()(Uring* uring) const { delete uring; }

Status TcpWrapperServer::open_uring() {
  std::unique_ptr<Uring, UringDeleter> uring(new Uring);
  io_uring_params params{};
  const int result = io_uring_queue_init_params(ring_entries, &uring->ring, &params);
  if (result < 0) {
    return make_error(fmt::format("io_uring is not available here: {}", error_text(-result)));
  }
  uring->ready = true;
  if ((params.features & features_needed) != features_needed) {
    return make_error("io_uring is too old here (Linux 6.0 or later is needed)");
  }
  // The tick is io_uring's own timeout (the epoll engine's timerfd, read through io_uring, would
  // block one of its worker threads).
  const auto period = tick_period(options_.inactivity_timeout);
  uring->tick_period.tv_sec = static_cast<std::int64_t>(period.count() / 1'000'000'000);
  uring->tick_period.tv_nsec = static_cast<long long>(period.count() % 1'000'000'000);
  uring_ = std::move(uring);
  engine_ = TcpServerEngine::io_uring;
  return {};
}

void TcpWrapperServer::close_uring() { uring_.reset(); }

// The engine's loop and its handlers, as lambdas over the server's state: they are one piece
// of logic, private to this file.
void TcpWrapperServer::run_uring() {
  Uring& uring = *uring_;

  auto arm_poll = [&](int fd, std::uint64_t request, bool& pending) {
    io_uring_sqe* sqe = uring.entry();
    if (sqe == nullptr) return;
    io_uring_prep_poll_add(sqe, fd, POLLIN);
    io_uring_sqe_set_data64(sqe, request);
    pending = true;
  };
  // A poll for the listening socket; accept4 itself is called when it is readable. Connections
  // are rare next to requests, and io_uring's own accept, failing for want of descriptors,
  // was seen to leave the ring's timeouts and reads stalled (Linux 6.18).
  auto arm_accept = [&] { arm_poll(listener_, accept_request, uring.accept_pending); };
  // stop() writes the eventfd: a poll for it (no read: nothing needs the count).
  auto arm_wake = [&] { arm_poll(wake_, wake_request, uring.wake_pending); };
  auto arm_tick = [&] {
    io_uring_sqe* sqe = uring.entry();
    if (sqe == nullptr) return;
    io_uring_prep_timeout(sqe, &uring.tick_period, 0, 0);
    io_uring_sqe_set_data64(sqe, tick_request);
    uring.tick_pending = true;
  };
  auto release = [&](Connection& connection) {
    const int fd = connection.fd;
    uring.chains.erase(connection.chain);
    connections_.erase(fd);  // the session goes before the descriptor can be reused
    ::close(fd);
  };
  // Closes now, or once the pending chain has ended (the shutdown ends it at once).
  auto close_connection = [&](Connection& connection, std::string_view why) {
    if (!connection.closed) forget(connection, why);
    if (connection.in_flight) {
      ::shutdown(connection.fd, SHUT_RDWR);
      return;
    }
    release(connection);
  };
  // The chain after a read was served: the answers (if any) then, unless closing, the next
  // read. False when the ring has no room (the connection is then closed).
  auto submit_chain = [&](Connection& connection) {
    // A linked pair must be submitted together: room for both first.
    if (io_uring_sq_space_left(&uring.ring) < 2) (void)io_uring_submit(&uring.ring);
    if (io_uring_sq_space_left(&uring.ring) < 2) return false;
    connection.chain = uring.next_chain;
    uring.next_chain += 2;
    uring.chains[connection.chain] = &connection;
    if (!connection.output.empty()) {
      io_uring_sqe* send = io_uring_get_sqe(&uring.ring);
      io_uring_prep_send(send, connection.fd, connection.output.data(), connection.output.size(),
                         MSG_NOSIGNAL | MSG_WAITALL);
      connection.in_flight = true;
      if (connection.close_after) {
        io_uring_sqe_set_data64(send, connection.chain);  // the chain's end
        connection.final_send = true;
        return true;
      }
      io_uring_sqe_set_flags(send, IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS);
      io_uring_sqe_set_data64(send, connection.chain | linked_send_bit);
      connection.linked_send = true;
    }
    io_uring_sqe* read = io_uring_get_sqe(&uring.ring);
    io_uring_prep_recv(read, connection.fd, connection.input.data(), connection.input.size(), 0);
    io_uring_sqe_set_data64(read, connection.chain);
    connection.in_flight = true;
    return true;
  };
  auto start_chain = [&](Connection& connection) {
    if (!submit_chain(connection)) close_connection(connection, "the server has no room for it");
  };

  auto on_listener_ready = [&] {
    uring.accept_pending = false;
    if (uring.stop) return;
    for (;;) {
      sockaddr_storage peer{};
      socklen_t peer_size = sizeof peer;
      const int fd =
          accept4(listener_, reinterpret_cast<sockaddr*>(&peer), &peer_size, SOCK_CLOEXEC);
      if (fd < 0) {
        const int error = errno;
        if (error == EINTR || error == ECONNABORTED) continue;
        if (error == EAGAIN || error == EWOULDBLOCK) break;
        // Out of descriptors or memory: the listener rests, and the tick re-arms it.
        accept_failed(error);
        return;
      }
      Connection* connection = admit(fd, peer);
      if (connection != nullptr) {
        connection->input.resize(read_size);
        start_chain(*connection);
      }
    }
    arm_accept();
  };
  auto on_tick = [&](int result) {
    uring.tick_pending = false;
    if (uring.stop) return;
    if (result < 0 && result != -ETIME && result != -EINTR) {  // ETIME: the period is over
      log(fmt::format("DLMS server: its timer failed ({}): inactive connections stay open",
                      error_text(-result)));
      return;
    }
    const Clock::time_point now = Clock::now();
    for (const int fd : idle_connections(now)) {
      const auto found = connections_.find(fd);
      if (found != connections_.end()) close_connection(*found->second, "inactivity timeout");
    }
    if (retry_accept_ && now >= *retry_accept_) {
      retry_accept_.reset();
      if (!uring.accept_pending) arm_accept();
    }
    arm_tick();
  };
  // The end of a connection's chain: its read, or the send before a close, completed; or a
  // linked send failed (or stayed short), and the read it cancelled posts nothing.
  auto on_chain_end = [&](Connection& connection, int result, bool failed_send) {
    connection.in_flight = false;
    uring.chains.erase(connection.chain);
    const bool linked_send = std::exchange(connection.linked_send, false);
    if (failed_send) {
      close_connection(connection, result < 0 ? error_text(-result)
                                              : std::string("the peer stopped taking the answer"));
      return;
    }
    if (connection.final_send) {
      connection.final_send = false;
      const std::string why = result < 0 ? error_text(-result) : *connection.close_after;
      close_connection(connection, why);
      return;
    }
    if (result == -ECANCELED && linked_send) {
      close_connection(connection, "the answer could not be sent");
      return;
    }
    if (connection.closed || uring.stop) {
      close_connection(connection, "the server stops");
      return;
    }
    if (result <= 0) {
      close_connection(connection,
                       result == 0 ? std::string("closed by the peer") : error_text(-result));
      return;
    }
    connection.output.clear();  // sent: the read linked after it has completed
    connection.close_after = serve_input(
        connection,
        std::span<const std::uint8_t>(connection.input.data(), static_cast<std::size_t>(result)));
    if (connection.close_after && connection.output.empty()) {
      close_connection(connection, *connection.close_after);
      return;
    }
    start_chain(connection);
  };
  auto on_completion = [&](std::uint64_t data, int result) {
    switch (data) {
      case accept_request:
        on_listener_ready();
        return;
      case wake_request:
        uring.wake_pending = false;
        uring.stop = true;
        return;
      case tick_request:
        on_tick(result);
        return;
      case cancel_request:
        return;
      default:
        break;
    }
    const auto found = uring.chains.find(data & ~linked_send_bit);
    if (found == uring.chains.end()) return;  // a chain already ended
    on_chain_end(*found->second, result, (data & linked_send_bit) != 0);
  };
  auto reap = [&] {
    unsigned head = 0;
    unsigned seen = 0;
    io_uring_cqe* cqe = nullptr;
    io_uring_for_each_cqe(&uring.ring, head, cqe) {
      ++seen;
      on_completion(cqe->user_data, cqe->res);
    }
    io_uring_cq_advance(&uring.ring, seen);
  };

  arm_accept();
  arm_wake();
  arm_tick();
  while (!uring.stop) {
    const int result = io_uring_submit_and_wait(&uring.ring, 1);
    // EBUSY, EAGAIN: completions must be reaped (or memory freed) before more can be submitted.
    if (result < 0 && result != -EINTR && result != -EBUSY && result != -EAGAIN) {
      log(fmt::format("DLMS server cannot wait for events: {}", error_text(-result)));
      uring.stop = true;
      break;
    }
    wakeups_.fetch_add(1, std::memory_order_relaxed);
    reap();
  }

  // Teardown: every connection is closed; its pending chain, ended by the shutdown, and the
  // accept and timer reads, cancelled, complete before their buffers go.
  std::vector<Connection*> open;
  for (auto& [fd, connection] : connections_)
    open.push_back(connection.get());
  for (Connection* connection : open)
    close_connection(*connection, "the server stops");
  for (auto [pending, request] :
       {std::pair{uring.accept_pending, accept_request},
        std::pair{uring.tick_pending, tick_request}, std::pair{uring.wake_pending, wake_request}}) {
    if (!pending) continue;
    if (io_uring_sqe* sqe = uring.entry(); sqe != nullptr) {
      io_uring_prep_cancel64(sqe, request, 0);
      io_uring_sqe_set_data64(sqe, cancel_request);
    }
  }
  const auto deadline = Clock::now() + teardown_patience;
  while (
      (!connections_.empty() || uring.accept_pending || uring.tick_pending || uring.wake_pending) &&
      Clock::now() < deadline) {
    __kernel_timespec wait{.tv_sec = 0, .tv_nsec = 100'000'000};
    io_uring_cqe* cqe = nullptr;
    const int result = io_uring_submit_and_wait_timeout(&uring.ring, &cqe, 1, &wait, nullptr);
    if (result < 0 && result != -ETIME && result != -EINTR) break;
    reap();
  }
  if (!connections_.empty() || uring.accept_pending || uring.tick_pending || uring.wake_pending) {
    // The kernel still holds buffers: they are left to it rather than freed under it.
    log("DLMS server: requests still pending at the stop; their buffers are left allocated");
    for (auto& [fd, connection] : connections_)
      (void)connection.release();
    connections_.clear();
    (void)uring_.release();
  }
}

}  // namespace gridmeter::transport
