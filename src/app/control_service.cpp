#include "app/control_service.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>  // std::max
#include <array>      // std::array
#include <cerrno>     // errno
#include <cstring>    // std::strerror
#include <istream>    // std::istream
#include <utility>    // std::move
#include <vector>     // std::vector

#include <asio/read_until.hpp>
#include <asio/write.hpp>

#include "app/pulse_log.hpp"

namespace gridmeter::app {
namespace {

using asio::local::stream_protocol;

// The S0 levels go out this long after their time: the meter releases a pulse at the end of
// the measurement interval it falls in, so one interval behind, every edge keeps its spacing.
constexpr std::int64_t pulse_output_delay_us = 200'000;
// A connection that does not read its lines (pulses pile up) is closed past this many.
constexpr std::size_t queued_lines_max = 4096;

}  // namespace

// One client of the control socket: reads command lines, writes answers and, once it asked,
// pulses; every write goes through one queue so lines never interleave.
class ControlService::Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(ControlService& service, stream_protocol::socket socket)
      : service_(service), socket_(std::move(socket)), buffer_(control_line_max + 2) {}

  void start() { read(); }

  void send(std::string line) {
    if (closed_) return;
    if (queue_.size() >= queued_lines_max) {
      close();  // it does not read what it asked for
      return;
    }
    queue_.push_back(std::move(line));
    if (!writing_) write_next();
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    asio::error_code ignored;
    socket_.shutdown(stream_protocol::socket::shutdown_both, ignored);
    socket_.close(ignored);
    service_.connections_.remove(shared_from_this());
  }

  [[nodiscard]] bool subscribed() const { return subscribed_; }

 private:
  void read() {
    asio::async_read_until(
        socket_, buffer_, '\n',
        [self = shared_from_this()](const asio::error_code& error, std::size_t length) {
          self->on_line(error, length);
        });
  }

  void on_line(const asio::error_code& error, std::size_t length) {
    if (closed_) return;
    if (error == asio::error::not_found) {
      // The buffer filled without an end of line: say why, then hang up.
      send(fmt::format("error: a command line is at most {} characters\n", control_line_max));
      closing_ = true;
      return;
    }
    if (error) {
      close();
      return;
    }
    std::string line(length - 1, '\0');
    std::istream stream(&buffer_);
    stream.read(line.data(), static_cast<std::streamsize>(line.size()));
    buffer_.consume(1);  // the '\n'
    bool subscribe = false;
    const std::string answer = service_.answer(line, subscribe);
    if (subscribe) subscribed_ = true;
    if (!answer.empty()) send(answer + "\n");
    read();
  }

  void write_next() {
    if (queue_.empty()) {
      writing_ = false;
      if (closing_) close();
      return;
    }
    writing_ = true;
    asio::async_write(socket_, asio::buffer(queue_.front()),
                      [self = shared_from_this()](const asio::error_code& error, std::size_t) {
                        if (self->closed_) return;
                        if (error) {
                          self->close();
                          return;
                        }
                        self->queue_.pop_front();
                        self->write_next();
                      });
  }

  ControlService& service_;
  stream_protocol::socket socket_;
  asio::streambuf buffer_;
  std::deque<std::string> queue_;
  bool writing_ = false;
  bool subscribed_ = false;
  bool closing_ = false;
  bool closed_ = false;
};

ControlService::ControlService(asio::io_context& io, MeterSession& session,
                               const Clock& meter_clock, double speed, ControlOptions options,
                               LineSink reply, LineSink log)
    : io_(io),
      session_(session),
      meter_clock_(meter_clock),
      speed_(speed),
      options_(std::move(options)),
      reply_(std::move(reply)),
      log_(std::move(log)),
      stdin_buffer_(control_line_max + 2),
      edge_timer_(io),
      next_pulse_(session.meter().pulse_edges().end()) {}

ControlService::~ControlService() { stop(); }

Status ControlService::start() {
  if (options_.socket_path) {
    const std::string& path = *options_.socket_path;
    if (path.empty() || path.size() >= sizeof(sockaddr_un::sun_path)) {
      return make_error(fmt::format("--control: '{}': a socket path is 1 to {} characters", path,
                                    sizeof(sockaddr_un::sun_path) - 1));
    }
    struct stat info {};
    if (::lstat(path.c_str(), &info) == 0) {
      if (!S_ISSOCK(info.st_mode)) {
        return make_error(fmt::format("--control: '{}' exists and is not a socket", path));
      }
      // A socket someone answers on belongs to a running meter; one nobody answers is left
      // over from a run that was killed, and is replaced.
      stream_protocol::socket probe(io_);
      asio::error_code refused;
      probe.connect(stream_protocol::endpoint(path), refused);
      if (!refused) {
        return make_error(fmt::format("--control: '{}' is in use by another process", path));
      }
      ::unlink(path.c_str());
    }
    asio::error_code error;
    acceptor_.emplace(io_);
    const stream_protocol::endpoint endpoint(path);
    acceptor_->open(endpoint.protocol(), error);
    if (!error) acceptor_->bind(endpoint, error);
    if (!error) acceptor_->listen(asio::socket_base::max_listen_connections, error);
    if (error) {
      acceptor_.reset();
      return make_error(fmt::format("--control: cannot listen on '{}': {}", path, error.message()));
    }
    // The meter's breaker and credit answer to this socket: its owner only.
    ::chmod(path.c_str(), S_IRUSR | S_IWUSR);
    accept();
  }
  if (options_.pulse_output) {
    const std::string& path = *options_.pulse_output;
    pulse_fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
    if (pulse_fd_ < 0) {
      return make_error(
          fmt::format("--pulse-output: cannot open '{}': {}", path, std::strerror(errno)));
    }
    write_level('0');
  }
  if (options_.use_stdin) {
    // A duplicate, so that closing it leaves the process's standard input alone; asio puts
    // it back in blocking mode when it closes it.
    const int descriptor = ::dup(STDIN_FILENO);
    if (descriptor >= 0) {
      asio::error_code error;
      stdin_.emplace(io_);
      stdin_->assign(descriptor, error);
      if (error) {
        ::close(descriptor);
        stdin_.reset();
      } else {
        read_stdin();
      }
    }
  }
  return {};
}

void ControlService::stop() {
  asio::error_code ignored;
  if (acceptor_) {
    acceptor_->close(ignored);
    acceptor_.reset();
    if (options_.socket_path) ::unlink(options_.socket_path->c_str());
  }
  while (!connections_.empty())
    connections_.front()->close();
  if (stdin_) {
    stdin_->close(ignored);
    stdin_.reset();
  }
  edge_timer_.cancel();
  if (pulse_fd_ >= 0) {
    write_level('0');
    ::close(pulse_fd_);
    pulse_fd_ = -1;
  }
}

void ControlService::accept() {
  acceptor_->async_accept([this](const asio::error_code& error, stream_protocol::socket socket) {
    if (error) {
      if (error != asio::error::operation_aborted && acceptor_) accept();
      return;
    }
    auto connection = std::make_shared<Connection>(*this, std::move(socket));
    connections_.push_back(connection);
    connection->start();
    accept();
  });
}

void ControlService::read_stdin() {
  asio::async_read_until(
      *stdin_, stdin_buffer_, '\n', [this](const asio::error_code& error, std::size_t length) {
        if (error == asio::error::not_found) {
          reply_(fmt::format("error: a command line is at most {} characters", control_line_max));
          stdin_buffer_.consume(stdin_buffer_.size());
          read_stdin();
          return;
        }
        // End of input (or no terminal): the meter runs on; the socket still takes commands.
        if (error) return;
        std::string line(length - 1, '\0');
        std::istream stream(&stdin_buffer_);
        stream.read(line.data(), static_cast<std::streamsize>(line.size()));
        stdin_buffer_.consume(1);
        bool subscribe = false;
        std::string reply = answer(line, subscribe);
        if (subscribe) reply = "error: pulses stream on the control socket (--control PATH)";
        if (!reply.empty()) reply_(reply);
        read_stdin();
      });
}

std::string ControlService::answer(std::string_view line, bool& subscribe) {
  subscribe = false;
  if (blank_line(line)) return {};
  auto request = parse_control_line(line);
  if (!request) return "error: " + request.error().message;
  std::unique_lock<std::mutex> hold;
  if (options_.meter_lock != nullptr) hold = std::unique_lock(*options_.meter_lock);
  Meter& meter = session_.meter();
  switch (request->verb) {
    case ControlVerb::status:
      return "ok: " + supply_status(meter);
    case ControlVerb::help:
      return "ok: " + control_help();
    case ControlVerb::pulses:
      subscribe = true;
      return "ok: every pulse follows as a line: pulse N TIME";
    case ControlVerb::supply:
      break;
  }
  const Result<std::string> done = apply_supply_command(request->supply, meter);
  if (!done) return "error: " + done.error().message;
  // Saved before it is acknowledged: a top-up the customer was told about survives a crash.
  if (Status saved = session_.flush(false); !saved) {
    return fmt::format("error: {}, but the store failed: {}", *done, saved.error().message);
  }
  if (log_) log_(*done);
  return "ok: " + *done;
}

void ControlService::publish_pulses() {
  const Meter& meter = session_.meter();
  const PulseEdgeRing& ring = meter.pulse_edges();
  if (next_pulse_ < ring.begin()) {
    if (log_) log_(fmt::format("S0 output: {} pulses went by unread", ring.begin() - next_pulse_));
    next_pulse_ = ring.begin();
  }
  const PulseOutputConfig& s0 = meter.config().pulse_output;
  for (; next_pulse_ < ring.end(); ++next_pulse_) {
    const UtcMicros rise = ring.rise(next_pulse_);
    const std::string line =
        fmt::format("pulse {} {}\n", next_pulse_, format_pulse_time(rise, meter.config().zone));
    // A copy: a connection that cannot keep up closes, and leaves the list, as it is sent to.
    const std::vector<std::shared_ptr<Connection>> connections(connections_.begin(),
                                                               connections_.end());
    for (const auto& connection : connections) {
      if (connection->subscribed()) connection->send(line);
    }
    if (pulse_fd_ >= 0) {
      edges_.emplace_back(rise, '1');
      edges_.emplace_back(rise + std::int64_t{s0.width_ms} * micros_per_millisecond, '0');
    }
  }
  schedule_edge();
}

void ControlService::schedule_edge() {
  if (edge_armed_ || edges_.empty() || pulse_fd_ < 0) return;
  const UtcMicros due = edges_.front().first + pulse_output_delay_us;
  const auto wall_us = static_cast<std::int64_t>(
      static_cast<double>(std::max<std::int64_t>(0, due - meter_clock_.now())) / speed_);
  edge_armed_ = true;
  edge_timer_.expires_after(std::chrono::microseconds(wall_us));
  edge_timer_.async_wait([this](const asio::error_code& error) {
    edge_armed_ = false;
    if (error || edges_.empty()) return;
    write_level(edges_.front().second);
    edges_.pop_front();
    schedule_edge();
  });
}

void ControlService::write_level(char level) {
  // A GPIO value file (sysfs) takes the level as text at offset 0; a plain file then holds
  // the present level.
  const std::array<char, 2> text{level, '\n'};
  if (::pwrite(pulse_fd_, text.data(), text.size(), 0) != static_cast<ssize_t>(text.size()) &&
      log_) {
    log_(fmt::format("--pulse-output: write failed: {}", std::strerror(errno)));
  }
}

}  // namespace gridmeter::app
