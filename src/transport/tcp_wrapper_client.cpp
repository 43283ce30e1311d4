#include "transport/tcp_wrapper_client.hpp"

#include <fmt/format.h>

#include <poll.h>

#include <array>     // std::array
#include <cerrno>    // errno, EINTR
#include <optional>  // std::optional
#include <utility>   // std::move

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>

#include "transport/wrapper_frame.hpp"

namespace gridmeter::transport {

struct TcpWrapperClient::Link {
  asio::io_context io;
  asio::ip::tcp::socket socket{io};
  WrapperFramer framer;
  std::uint16_t client_wport = 0;
  std::uint16_t server_wport = 0;
  std::chrono::milliseconds timeout{0};
  std::string peer;
  std::vector<std::uint8_t> frame;  // the frame being sent, kept for its capacity

  // Runs the io_context until `done` or the timeout; an operation still pending then is
  // cancelled and the connection closed.
  template <typename Done>
  bool run_until(Done&& done) {
    io.restart();
    io.run_for(timeout);
    if (done()) return true;
    asio::error_code ignored;
    socket.close(ignored);
    io.restart();
    io.run();  // let the cancelled handlers finish
    return false;
  }
};

TcpWrapperClient::TcpWrapperClient(std::unique_ptr<Link> link) : link_(std::move(link)) {}
TcpWrapperClient::TcpWrapperClient(TcpWrapperClient&&) noexcept = default;
TcpWrapperClient& TcpWrapperClient::operator=(TcpWrapperClient&&) noexcept = default;
TcpWrapperClient::~TcpWrapperClient() { close(); }

Result<TcpWrapperClient> TcpWrapperClient::connect(const HostPort& server,
                                                   std::uint16_t client_wport,
                                                   std::uint16_t server_wport,
                                                   std::chrono::milliseconds timeout) {
  auto link = std::make_unique<Link>();
  link->client_wport = client_wport;
  link->server_wport = server_wport;
  link->timeout = timeout;
  link->peer = fmt::format("{}:{}", server.host, server.port);
  asio::ip::tcp::resolver resolver(link->io);
  asio::error_code error;
  const auto endpoints = resolver.resolve(server.host, std::to_string(server.port), error);
  if (error) return make_error(fmt::format("cannot resolve {}: {}", server.host, error.message()));
  bool connected = false;
  asio::async_connect(link->socket, endpoints,
                      [&](const asio::error_code& result, const asio::ip::tcp::endpoint&) {
                        error = result;
                        connected = true;
                      });
  if (!link->run_until([&] { return connected; })) {
    return make_error(
        fmt::format("cannot connect to {}: no answer within {} ms", link->peer, timeout.count()));
  }
  if (error) {
    return make_error(fmt::format("cannot connect to {}: {}", link->peer, error.message()));
  }
  asio::error_code ignored;
  link->socket.set_option(asio::ip::tcp::no_delay(true), ignored);
  link->socket.non_blocking(true, ignored);  // send() and exchange() wait with poll()
  return TcpWrapperClient(std::move(link));
}

// Sending and receiving are plain non-blocking calls with poll() for the waits: a GET is then
// a send, a poll and a recv, where an io_context run per operation would add its timer and
// epoll calls (a client that load-tests a meter spends its CPU on those).
namespace {

// Waits until the socket is ready for `events` or `deadline` passes; false on a timeout.
bool wait_ready(int descriptor, short events, std::chrono::steady_clock::time_point deadline) {
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() < 0) return false;
    pollfd watched{descriptor, events, 0};
    // Round up, so that a wait never ends before the deadline it was given.
    const int ready = ::poll(&watched, 1, static_cast<int>(left.count()) + 1);
    if (ready > 0) return true;
    if (ready < 0 && errno != EINTR) return true;  // the next call reports the error
    if (ready == 0 && std::chrono::steady_clock::now() >= deadline) return false;
  }
}

}  // namespace

Status TcpWrapperClient::send(std::span<const std::uint8_t> apdu) {
  if (!link_ || !link_->socket.is_open()) return make_error("the connection is closed");
  Link& link = *link_;
  link.frame.clear();
  if (auto encoded = encode_wrapper(link.client_wport, link.server_wport, apdu, link.frame);
      !encoded) {
    return encoded.error();
  }
  const auto deadline = std::chrono::steady_clock::now() + link.timeout;
  std::size_t sent = 0;
  while (sent < link.frame.size()) {
    asio::error_code error;
    sent += link.socket.write_some(asio::buffer(link.frame.data() + sent, link.frame.size() - sent),
                                   error);
    if (error == asio::error::would_block || error == asio::error::try_again) {
      if (!wait_ready(link.socket.native_handle(), POLLOUT, deadline)) {
        close();
        return make_error(fmt::format("sending to {} timed out", link.peer));
      }
      continue;
    }
    if (error) {
      close();
      return make_error(fmt::format("sending to {}: {}", link.peer, error.message()));
    }
  }
  return {};
}

Result<std::vector<std::uint8_t>> TcpWrapperClient::exchange(std::span<const std::uint8_t> apdu) {
  if (Status sent = send(apdu); !sent) return sent.error();
  Link& link = *link_;
  const auto deadline = std::chrono::steady_clock::now() + link.timeout;
  std::optional<std::vector<std::uint8_t>> answer;
  std::array<std::uint8_t, 4096> input{};
  while (!answer) {
    if (!wait_ready(link.socket.native_handle(), POLLIN, deadline)) {
      close();
      return make_error(
          fmt::format("{} did not answer within {} ms", link.peer, link.timeout.count()));
    }
    asio::error_code error;
    const std::size_t size = link.socket.read_some(asio::buffer(input), error);
    if (error == asio::error::would_block || error == asio::error::try_again) continue;
    if (error) {
      close();
      return make_error(
          fmt::format("{} {}", link.peer,
                      error == asio::error::eof ? "closed the connection" : error.message()));
    }
    std::span<const std::uint8_t> bytes(input.data(), size);
    const Status framing = link.framer.feed_all(bytes, [&](const WrapperFrameView& frame) {
      if (answer) return;
      if (frame.header.source_wport == link.server_wport &&
          frame.header.destination_wport == link.client_wport) {
        answer.emplace(frame.apdu.begin(), frame.apdu.end());
      }
    });
    if (!framing) {
      close();
      return make_error(fmt::format("{}: {}", link.peer, framing.error().message));
    }
  }
  return std::move(*answer);
}

void TcpWrapperClient::close() {
  if (!link_) return;
  asio::error_code ignored;
  link_->socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  link_->socket.close(ignored);
}

}  // namespace gridmeter::transport
