// The floor under any TCP server's CPU per request on this machine: a bare epoll loop that
// answers each request frame with a fixed answer frame, with the same shape of exchange as a
// DLMS GET (one request outstanding per client, TCP_NODELAY, loopback). Per request it makes
// the fewest system calls a readiness-based server can: a share of one epoll_wait
// (level-triggered), one recv, one send. No parsing, no DLMS, no event library.
//
// bench_dlms_get prints it beside the real server, so that the server's CPU per GET can be
// read against what the kernel (and, on a virtual machine, the hypervisor's cost of each
// system call) takes for the exchange alone, measured in the same run.
#pragma once

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <array>    // std::array
#include <atomic>   // std::atomic
#include <chrono>   // std::chrono
#include <cstdint>  // std::uint8_t, std::uint16_t, std::int64_t
#include <cstdio>   // std::fprintf
#include <cstdlib>  // std::exit
#include <span>     // std::span
#include <thread>   // std::thread
#include <vector>   // std::vector

namespace tcp_floor {

struct Measured {
  double requests_per_second = 0.0;
  double server_us_per_request = 0.0;
  double requests_per_wakeup = 0.0;  // how many requests one epoll_wait returned, on average
};

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "bench_dlms_get: TCP floor: %s failed\n", what);
  std::exit(1);
}

inline double thread_cpu_seconds(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

inline void no_delay(int socket_fd) {
  const int on = 1;
  if (setsockopt(socket_fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on) != 0) fail("TCP_NODELAY");
}

// The server: one thread, one epoll set (level-triggered: a recv that drained the socket needs
// no second recv to learn so).
class Server {
 public:
  Server(std::span<const std::uint8_t> request, std::span<const std::uint8_t> answer)
      : request_size_(request.size()), answer_(answer.begin(), answer.end()) {
    listener_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (listener_ < 0 || bind(listener_, reinterpret_cast<sockaddr*>(&address), length) != 0 ||
        listen(listener_, 64) != 0 ||
        getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
      fail("listen");
    }
    port_ = ntohs(address.sin_port);
    epoll_ = epoll_create1(EPOLL_CLOEXEC);
    stop_ = eventfd(0, EFD_CLOEXEC);
    if (epoll_ < 0 || stop_ < 0) fail("epoll_create1");
    watch(listener_);
    watch(stop_);
    thread_ = std::thread([this] { serve(); });
    pthread_getcpuclockid(thread_.native_handle(), &cpu_clock_);
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server() {
    const std::uint64_t one = 1;
    (void)!write(stop_, &one, sizeof one);
    thread_.join();
    for (const int connection : connections_)
      close(connection);
    close(stop_);
    close(epoll_);
    close(listener_);
  }

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] double cpu_seconds() const { return thread_cpu_seconds(cpu_clock_); }
  [[nodiscard]] std::int64_t wakeups() const { return wakeups_.load(std::memory_order_relaxed); }

 private:
  void watch(int fd) const {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.fd = fd;
    if (epoll_ctl(epoll_, EPOLL_CTL_ADD, fd, &event) != 0) fail("epoll_ctl");
  }

  void serve() {
    std::array<epoll_event, 64> events{};
    std::array<std::uint8_t, 4096> input{};
    std::vector<std::uint8_t> output;
    for (;;) {
      const int ready = epoll_wait(epoll_, events.data(), static_cast<int>(events.size()), -1);
      wakeups_.fetch_add(1, std::memory_order_relaxed);
      for (int i = 0; i < ready; ++i) {
        const int fd = events[static_cast<std::size_t>(i)].data.fd;
        if (fd == stop_) return;
        if (fd == listener_) {
          const int connection = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
          if (connection < 0) continue;
          no_delay(connection);
          watch(connection);
          connections_.push_back(connection);
          continue;
        }
        const ssize_t received = recv(fd, input.data(), input.size(), 0);
        if (received <= 0) {
          epoll_ctl(epoll_, EPOLL_CTL_DEL, fd, nullptr);
          continue;  // closed with the others at the end
        }
        // One answer per whole request received (a client has one outstanding).
        const std::size_t requests = static_cast<std::size_t>(received) / request_size_;
        output.clear();
        for (std::size_t r = 0; r < requests; ++r)
          output.insert(output.end(), answer_.begin(), answer_.end());
        if (!output.empty()) (void)!send(fd, output.data(), output.size(), MSG_NOSIGNAL);
      }
    }
  }

  std::size_t request_size_;
  std::vector<std::uint8_t> answer_;
  int listener_ = -1;
  int epoll_ = -1;
  int stop_ = -1;
  std::uint16_t port_ = 0;
  std::vector<int> connections_;  // touched by the server thread alone until it has joined
  std::atomic<std::int64_t> wakeups_{0};
  std::thread thread_;
  clockid_t cpu_clock_{};
};

// `clients` threads, each one connection sending `request` and reading `answer` in a loop;
// measured over `seconds` after a warm-up, like bench_dlms_get's phases.
inline Measured measure(int clients, double seconds, std::span<const std::uint8_t> request,
                        std::span<const std::uint8_t> answer) {
  Server server(request, answer);
  std::atomic<std::int64_t> exchanges{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      address.sin_port = htons(server.port());
      if (fd < 0 || connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        fail("connect");
      }
      no_delay(fd);
      std::vector<std::uint8_t> input(answer.size());
      while (!stop.load(std::memory_order_relaxed)) {
        if (send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
            static_cast<ssize_t>(request.size())) {
          fail("send");
        }
        std::size_t have = 0;
        while (have < input.size()) {
          const ssize_t got = recv(fd, input.data() + have, input.size() - have, 0);
          if (got <= 0) fail("recv");
          have += static_cast<std::size_t>(got);
        }
        exchanges.fetch_add(1, std::memory_order_relaxed);
      }
      close(fd);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // connected and warm
  const auto wall_start = std::chrono::steady_clock::now();
  const double cpu_start = server.cpu_seconds();
  const std::int64_t count_start = exchanges.load();
  const std::int64_t wakeups_start = server.wakeups();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  const std::int64_t count_end = exchanges.load();
  const std::int64_t wakeups_end = server.wakeups();
  const double cpu_end = server.cpu_seconds();
  const auto wall_end = std::chrono::steady_clock::now();
  stop = true;
  for (std::thread& thread : threads)
    thread.join();
  const auto count = static_cast<double>(count_end - count_start);
  Measured measured;
  measured.requests_per_second =
      count / std::chrono::duration<double>(wall_end - wall_start).count();
  measured.server_us_per_request = (cpu_end - cpu_start) / count * 1e6;
  measured.requests_per_wakeup = count / static_cast<double>(wakeups_end - wakeups_start);
  return measured;
}

}  // namespace tcp_floor
