#include "transport/tcp_wrapper_client.hpp"

#include <fmt/format.h>

#include <array>    // std::array
#include <utility>  // std::move

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

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
  return TcpWrapperClient(std::move(link));
}

Status TcpWrapperClient::send(std::span<const std::uint8_t> apdu) {
  if (!link_ || !link_->socket.is_open()) return make_error("the connection is closed");
  std::vector<std::uint8_t> frame;
  if (auto encoded = encode_wrapper(link_->client_wport, link_->server_wport, apdu, frame);
      !encoded) {
    return encoded.error();
  }
  asio::error_code error;
  bool written = false;
  asio::async_write(link_->socket, asio::buffer(frame),
                    [&](const asio::error_code& result, std::size_t) {
                      error = result;
                      written = true;
                    });
  if (!link_->run_until([&] { return written; })) {
    return make_error(fmt::format("sending to {} timed out", link_->peer));
  }
  if (error) return make_error(fmt::format("sending to {}: {}", link_->peer, error.message()));
  return {};
}

Result<std::vector<std::uint8_t>> TcpWrapperClient::exchange(std::span<const std::uint8_t> apdu) {
  if (Status sent = send(apdu); !sent) return sent.error();
  Link& link = *link_;
  std::optional<std::vector<std::uint8_t>> answer;
  std::optional<Error> failure;
  std::array<std::uint8_t, 4096> input{};
  std::function<void()> read_more = [&] {
    link.socket.async_read_some(
        asio::buffer(input), [&](const asio::error_code& error, std::size_t size) {
          if (error) {
            failure = make_error(
                fmt::format("{} {}", link.peer,
                            error == asio::error::eof ? "closed the connection" : error.message()));
            return;
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
            failure = make_error(fmt::format("{}: {}", link.peer, framing.error().message));
            return;
          }
          if (!answer) read_more();
        });
  };
  read_more();
  if (!link.run_until([&] { return answer.has_value() || failure.has_value(); })) {
    return make_error(
        fmt::format("{} did not answer within {} ms", link.peer, link.timeout.count()));
  }
  if (failure) {
    close();
    return *failure;
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
