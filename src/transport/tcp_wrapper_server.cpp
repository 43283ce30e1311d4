#include "transport/tcp_wrapper_server.hpp"

#include <fmt/format.h>

#include <array>     // std::array
#include <chrono>    // std::chrono::steady_clock
#include <optional>  // std::optional
#include <utility>   // std::move

#include <asio/ip/address.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>

namespace gridmeter::transport {

// One accepted connection: its socket, framer, session and inactivity timer. Owned by the
// server's table through a shared_ptr; each pending operation holds another, so a connection
// lives until its last handler has run.
class TcpWrapperServer::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(TcpWrapperServer& server, asio::ip::tcp::socket socket,
             std::unique_ptr<WrapperSession> session)
      : server_(server),
        socket_(std::move(socket)),
        timer_(server.io_),
        framer_(server.options_.apdu_size_max),
        session_(std::move(session)) {}

  void start() {
    asio::error_code ignored;
    // Answers are small and must go at once: no Nagle delay. Keep-alive finds peers that
    // vanished without a FIN even when the inactivity timeout is long.
    socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
    socket_.set_option(asio::socket_base::keep_alive(true), ignored);
    // Writes are tried at once and must never block the server (write_then).
    socket_.non_blocking(true, ignored);
    const auto peer = socket_.remote_endpoint(ignored);
    peer_ = fmt::format("{}:{}", peer.address().to_string(), peer.port());
    last_received_ = std::chrono::steady_clock::now();
    arm_timer(server_.options_.inactivity_timeout);
    read();
  }

  void close(std::string_view why) {
    if (closed_) return;
    closed_ = true;
    asio::error_code ignored;
    timer_.cancel();
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    server_.log(fmt::format("DLMS connection from {} closed: {}", peer_, why));
    server_.closed(this);
  }

 private:
  // The timer is not re-armed on every read (a cancel, a second handler and often a timerfd
  // update per frame): each read stamps last_received_, and the timer, when it expires, waits
  // again for what is left of the timeout since then. This also closes a race of re-arming: a
  // timer that expired in the same poll as a read arrived used to close a live connection.
  void arm_timer(std::chrono::steady_clock::duration after) {
    timer_.expires_after(after);
    timer_.async_wait([self = shared_from_this()](const asio::error_code& error) {
      if (error || self->closed_) return;
      const auto timeout =
          std::chrono::steady_clock::duration(self->server_.options_.inactivity_timeout);
      const auto quiet = std::chrono::steady_clock::now() - self->last_received_;
      if (quiet < timeout) {
        self->arm_timer(timeout - quiet);
        return;
      }
      ++self->server_.counters_.timed_out;
      self->close("inactivity timeout");
    });
  }

  void read() {
    socket_.async_read_some(
        asio::buffer(input_),
        [self = shared_from_this()](const asio::error_code& error, std::size_t size) {
          self->on_read(error, size);
        });
  }

  void on_read(const asio::error_code& error, std::size_t size) {
    if (closed_) return;
    if (error) {
      close(error == asio::error::eof ? "closed by the peer" : error.message());
      return;
    }
    last_received_ = std::chrono::steady_clock::now();
    bool close_requested = false;
    const Status framing = framer_.feed_all(
        std::span<const std::uint8_t>(input_.data(), size), [&](const WrapperFrameView& frame) {
          if (close_requested) return;
          ++server_.counters_.frames;
          if (session_->on_frame(frame, output_) == WrapperSession::Verdict::close) {
            close_requested = true;
          }
        });
    // In both cases below, whatever was answered before goes out first (the frames before a
    // broken header were served, and may have changed something the client must hear of); the
    // connection then closes.
    if (close_requested) {
      write_then(std::string("a frame to a wPort the server does not serve"));
      return;
    }
    if (!framing) {
      ++server_.counters_.framing_errors;
      write_then(framing.error().message);
      return;
    }
    write_then(std::nullopt);
  }

  // Writes the answers gathered, then reads on, or closes for `close_why`. The answer goes out
  // at once when the socket takes it all (it nearly always does: an answer is small and the
  // peer waits for it), which saves the completion round of an asynchronous write; what a
  // slow peer's full buffer does not take is written asynchronously, never blocking the
  // server (the socket is non-blocking).
  void write_then(std::optional<std::string> close_why) {
    if (!output_.empty()) {
      asio::error_code error;
      std::size_t written = socket_.write_some(asio::buffer(output_), error);
      if (error == asio::error::would_block || error == asio::error::try_again) {
        written = 0;
        error.clear();
      }
      if (error) {
        close(error.message());
        return;
      }
      if (written < output_.size()) {
        write_rest(written, std::move(close_why));
        return;
      }
      output_.clear();
    }
    if (close_why) {
      close(*close_why);
    } else {
      read();
    }
  }

  void write_rest(std::size_t written, std::optional<std::string> close_why) {
    sending_.assign(output_.begin() + static_cast<std::ptrdiff_t>(written), output_.end());
    output_.clear();
    asio::async_write(socket_, asio::buffer(sending_),
                      [self = shared_from_this(), why = std::move(close_why)](
                          const asio::error_code& error, std::size_t /*written*/) {
                        if (self->closed_) return;
                        if (error) {
                          self->close(error.message());
                          return;
                        }
                        self->sending_.clear();
                        if (why) {
                          self->close(*why);
                          return;
                        }
                        self->read();
                      });
  }

  TcpWrapperServer& server_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  WrapperFramer framer_;
  std::unique_ptr<WrapperSession> session_;
  std::array<std::uint8_t, 4096> input_{};
  std::vector<std::uint8_t> output_;   // answers gathered from the frames of one read
  std::vector<std::uint8_t> sending_;  // the answers being written
  std::string peer_;
  std::chrono::steady_clock::time_point last_received_;
  bool closed_ = false;
};

TcpWrapperServer::TcpWrapperServer(asio::io_context& io, TcpServerOptions options,
                                   SessionFactory factory)
    : io_(io),
      options_(std::move(options)),
      factory_(std::move(factory)),
      acceptor_(io),
      retry_(io) {}

TcpWrapperServer::~TcpWrapperServer() { stop(); }

Status TcpWrapperServer::start() {
  asio::error_code error;
  const auto address = asio::ip::make_address(options_.address, error);
  if (error) {
    return make_error(fmt::format("listen address \"{}\" is not an IP address", options_.address));
  }
  const asio::ip::tcp::endpoint endpoint(address, options_.port);
  auto fail = [&](std::string_view step) {
    asio::error_code ignored;
    acceptor_.close(ignored);
    return make_error(fmt::format("cannot listen on {}:{}: {} ({})", options_.address,
                                  options_.port, error.message(), step));
  };
  acceptor_.open(endpoint.protocol(), error);
  if (error) return fail("open");
  acceptor_.set_option(asio::ip::tcp::acceptor::reuse_address(true), error);
  if (error) return fail("reuse address");
  acceptor_.bind(endpoint, error);
  if (error) return fail("bind");
  acceptor_.listen(asio::socket_base::max_listen_connections, error);
  if (error) return fail("listen");
  stopping_ = false;
  accept_next();
  return {};
}

void TcpWrapperServer::stop() {
  stopping_ = true;
  asio::error_code ignored;
  acceptor_.close(ignored);
  retry_.cancel();
  // close() removes each connection from the table: walk a copy.
  auto open = connections_;
  for (auto& [raw, connection] : open)
    connection->close("the server stops");
  connections_.clear();
}

std::uint16_t TcpWrapperServer::local_port() const {
  asio::error_code ignored;
  return acceptor_.local_endpoint(ignored).port();
}

void TcpWrapperServer::accept_next() {
  acceptor_.async_accept([this](const asio::error_code& error, asio::ip::tcp::socket socket) {
    if (stopping_ || !acceptor_.is_open()) return;
    if (error) {
      // Out of descriptors or memory: try again shortly instead of spinning.
      log(fmt::format("DLMS accept failed: {}", error.message()));
      retry_.expires_after(std::chrono::milliseconds(100));
      retry_.async_wait([this](const asio::error_code& wait_error) {
        if (!wait_error && !stopping_) accept_next();
      });
      return;
    }
    {
      if (connections_.size() >= options_.connections_max) {
        ++counters_.refused;
        asio::error_code ignored;
        socket.close(ignored);
        log("DLMS connection refused: the server holds its maximum of connections");
      } else {
        ++counters_.accepted;
        auto connection = std::make_shared<Connection>(*this, std::move(socket), factory_());
        connections_.emplace(connection.get(), connection);
        connection->start();
      }
    }
    accept_next();
  });
}

void TcpWrapperServer::closed(Connection* connection) { connections_.erase(connection); }

void TcpWrapperServer::log(std::string_view message) const {
  if (options_.log) options_.log(message);
}

}  // namespace gridmeter::transport
