// ControlService: `gridmeter run`'s hands on the meter, on the run's event loop. It reads
// commands (control_channel.hpp) from standard input and from a Unix stream socket
// (--control PATH), carries them out on the running meter between two metering steps, and
// answers each with one line. A command that changes the meter is saved to the store before
// it is answered, so an "ok" survives a crash. It also puts out the S0 pulse output: every
// pulse as a line "pulse N TIME" to the control connections that asked for it (`pulses`),
// and as levels "1" and "0" written to a file or a GPIO value file (--pulse-output PATH), at
// the pulse's own times, one measurement interval behind the metering.
//
//   ControlService control(io, session, meter_clock, speed, options, print_line, log);
//   if (Status ok = control.start(); !ok) fail(ok.error().message);
//   ... session.step(t); control.publish_pulses(); ...
//
//   $ socat - UNIX-CONNECT:/run/gridmeter.sock
//   topup 1001 12.5
//   ok: topup: token 1001 added 12.500 kWh; credit 12.500 kWh; breaker connected
#pragma once

#include <chrono>      // std::chrono
#include <cstdint>     // std::uint64_t
#include <deque>       // std::deque
#include <functional>  // std::function
#include <list>        // std::list
#include <memory>      // std::shared_ptr
#include <mutex>       // std::mutex
#include <optional>    // std::optional
#include <string>      // std::string

#include <asio/io_context.hpp>
#include <asio/local/stream_protocol.hpp>
#include <asio/posix/stream_descriptor.hpp>
#include <asio/steady_timer.hpp>
#include <asio/streambuf.hpp>

#include "app/control_channel.hpp"
#include "app/meter_session.hpp"
#include "core/clock.hpp"

namespace gridmeter::app {

struct ControlOptions {
  std::optional<std::string> socket_path;   // --control PATH
  bool use_stdin = true;                    // off when standard input carries samples
  std::optional<std::string> pulse_output;  // --pulse-output PATH
  // Held while a command reads or changes the meter (the DLMS server's thread answers
  // requests on the same meter); null: no lock.
  std::mutex* meter_lock = nullptr;
};

class ControlService {
 public:
  using LineSink = std::function<void(std::string_view)>;
  // `meter_clock` is the run's clock of meter time (the time base), `speed` its rate against
  // the wall clock; `reply` prints the answers to standard input's commands (standard
  // output), `log` one-line notes (standard error).
  ControlService(asio::io_context& io, MeterSession& session, const Clock& meter_clock,
                 double speed, ControlOptions options, LineSink reply, LineSink log);
  ~ControlService();
  ControlService(const ControlService&) = delete;
  ControlService& operator=(const ControlService&) = delete;

  // Opens the socket and the pulse output file and starts reading; the error names what
  // failed. A socket path that exists is refused unless it is a socket (a stale one from a
  // killed run is replaced).
  Status start();
  void stop();

  // After the meter advanced: its new pulses to the subscribers and the pulse output. The
  // caller holds the meter lock (it has just stepped the meter).
  void publish_pulses();

  // One command line's answer ("ok: ..." / "error: ..."), without the end of line; blank
  // lines answer nothing (empty). `subscribe` is set for `pulses`. Takes the meter lock.
  std::string answer(std::string_view line, bool& subscribe);

 private:
  class Connection;
  void accept();
  void read_stdin();
  void schedule_edge();
  void write_level(char level);

  asio::io_context& io_;
  MeterSession& session_;
  const Clock& meter_clock_;
  double speed_;
  ControlOptions options_;
  LineSink reply_;
  LineSink log_;
  std::optional<asio::local::stream_protocol::acceptor> acceptor_;
  std::list<std::shared_ptr<Connection>> connections_;
  std::optional<asio::posix::stream_descriptor> stdin_;
  asio::streambuf stdin_buffer_;
  // The pulse output file: levels due, in time order, and the timer that writes them.
  int pulse_fd_ = -1;
  std::deque<std::pair<UtcMicros, char>> edges_;
  asio::steady_timer edge_timer_;
  bool edge_armed_ = false;
  std::uint64_t next_pulse_ = 0;
};

}  // namespace gridmeter::app
