#include "app/run_command.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <asio.hpp>
#include <chrono>
#include <cmath>
#include <functional>
#include <mutex>

#include "app/control_service.hpp"
#include "app/dlms_service.hpp"
#include "app/meter_session.hpp"
#include "app/programming_options.hpp"
#include "app/waveform_run.hpp"
#include "core/clock.hpp"

namespace gridmeter::app {
namespace {

// A stalled process (suspended laptop, debugger) catches up at most this much meter time per
// tick, so one tick never blocks the loop for long; the rest follows on the next ticks.
constexpr int catch_up_intervals_max = 10'000;

class LiveMeter {
 public:
  LiveMeter(MeterSession& session, const Clock& clock, const TimeZone& zone, double speed,
            std::FILE* out)
      : session_(session),
        clock_(clock),
        zone_(zone),
        out_(out),
        terminal_(isatty(fileno(out)) == 1),
        tick_period_(std::chrono::microseconds(std::max<std::int64_t>(
            1000, static_cast<std::int64_t>(static_cast<double>(session.scenario().interval_us()) /
                                            speed)))) {}

  // Integrates every interval that has ended by the clock's now.
  Status catch_up() {
    const std::int64_t interval_us = session_.scenario().interval_us();
    const UtcMicros now = clock_.now();
    for (int i = 0; i < catch_up_intervals_max; ++i) {
      const UtcMicros start = session_.meter().state().time_utc_us;
      if (start + interval_us > now) break;
      session_.step(start);
    }
    return session_.flush_if_due();
  }

  void print_status() {
    const std::string line = status_line(session_.meter(), session_.last_measurement(), zone_);
    if (terminal_) {
      fmt::print(out_, "\r{}\x1b[K", line);
    } else {
      fmt::print(out_, "{}\n", line);
    }
    std::fflush(out_);
  }

  void finish_status() {
    if (terminal_) fmt::print(out_, "\n");
  }

  // A line of its own (an answer to a command), over the status line on a terminal.
  void print_line(std::string_view line) {
    fmt::print(out_, "{}{}\n", terminal_ ? "\r\x1b[K" : "", line);
    std::fflush(out_);
  }

  [[nodiscard]] std::chrono::microseconds tick_period() const { return tick_period_; }

 private:
  MeterSession& session_;
  const Clock& clock_;
  const TimeZone& zone_;
  std::FILE* out_;
  bool terminal_;
  std::chrono::microseconds tick_period_;
};

}  // namespace

std::string status_line(const Meter& meter, const Measurement& now, const TimeZone& zone) {
  std::string line = format_iso8601(meter.clock_now(), zone);
  for (std::size_t p = 0; p < phase_count(meter.connection()); ++p) {
    const PhaseMeasurement& phase = now.phases[p];
    line += fmt::format(" | L{} {:5.1f} V {:6.2f} A {:7.0f} W", p + 1, phase.voltage_v,
                        phase.current_a, phase.active_power_w);
  }
  const EnergySet& total = meter.state().energy.total;
  line += fmt::format(" | A+ {:.3f} kWh  A- {:.3f} kWh | T{}",
                      total[EnergyKind::active_import].watt_hours_exact() / 1000.0,
                      total[EnergyKind::active_export].watt_hours_exact() / 1000.0,
                      meter.state().active_tariff);
  return line;
}

int run_live(const RunOptions& options, std::FILE* out, std::FILE* err) {
  auto programming = load_programming({options.config_path, options.time_zone});
  if (!programming) {
    fmt::print(err, "gridmeter run: {}\n", programming.error().message);
    return 2;
  }
  if (!(options.speed > 0.0) || options.speed > 1e6) {
    fmt::print(err, "gridmeter run: --speed must be more than 0 and at most 1000000\n");
    return 2;
  }
  if (options.duration_s < 0.0) {
    fmt::print(err, "gridmeter run: --duration must not be negative\n");
    return 2;
  }
  auto dlms_options = dlms_service_options(options.listen, options.secrets_path,
                                           options.clients_path, options.inactivity_timeout_s);
  if (!dlms_options) {
    fmt::print(err, "gridmeter run: {}\n", dlms_options.error().message);
    return 2;
  }
  if (*dlms_options) {
    (*dlms_options)->log = [err](std::string_view line) {
      fmt::print(err, "gridmeter run: {}\n", line);
    };
  }
  if (!options.input.path.empty()) {
    return run_waveform(options, *programming, *dlms_options, out, err);
  }
  const SystemClock system_clock;
  const UtcMicros power_up = system_clock.now();
  SessionOptions session_options;
  session_options.scenario = options.scenario;
  session_options.seed = options.seed;
  session_options.default_start = power_up;
  session_options.store_path = options.store_path;
  session_options.durable_commits = true;
  session_options.config = programming->config;
  session_options.zone = programming->zone;
  // One commit per wall-clock second, whatever the speed.
  session_options.flush_interval_us = std::max<std::int64_t>(
      1, std::llround(options.speed * static_cast<double>(micros_per_second)));
  auto session = MeterSession::open(session_options, power_up);
  if (!session) {
    fmt::print(err, "gridmeter run: {}\n", session.error().message);
    return 1;
  }
  const ScaledClock meter_clock(system_clock, session->start_time(), options.speed);
  LiveMeter live(*session, meter_clock, session->meter().config().zone, options.speed, out);

  asio::io_context io(1);  // one thread runs it: the scheduler can skip cross-thread work
  // The meter and its store are shared with the DLMS server's thread: whoever touches them
  // holds this lock.
  std::mutex meter_lock;
  SessionMeterAccess meter_access(*session);
  std::optional<DlmsService> dlms;
  if (*dlms_options) {
    use_session_store(**dlms_options, *session);
    (*dlms_options)->meter_lock = &meter_lock;
    dlms.emplace(meter_access, std::move(**dlms_options));
    if (Status listening = dlms->start(); !listening) {
      fmt::print(err, "gridmeter run: {}\n", listening.error().message);
      (void)session->close();
      return 1;
    }
    fmt::print(err, "gridmeter run: {}\n", dlms->description());
  }
  ControlService control(
      io, *session, meter_clock, options.speed,
      ControlOptions{.socket_path = options.control_path,
                     .use_stdin = true,
                     .pulse_output = options.pulse_output_path,
                     .meter_lock = &meter_lock},
      [&live](std::string_view line) { live.print_line(line); },
      [err](std::string_view line) { fmt::print(err, "gridmeter run: {}\n", line); });
  if (Status started = control.start(); !started) {
    fmt::print(err, "gridmeter run: {}\n", started.error().message);
    if (dlms) dlms->stop();
    (void)session->close();
    return 1;
  }
  Status failure;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&io](const asio::error_code&, int) { io.stop(); });

  asio::steady_timer tick(io);
  std::function<void()> schedule_tick = [&] {
    tick.expires_after(live.tick_period());
    tick.async_wait([&](const asio::error_code& error) {
      if (error) return;
      {
        const std::lock_guard hold(meter_lock);
        failure = live.catch_up();
        if (failure) control.publish_pulses();
      }
      if (!failure) {
        io.stop();
        return;
      }
      schedule_tick();
    });
  };
  asio::steady_timer status(io);
  std::function<void()> schedule_status = [&] {
    status.expires_after(std::chrono::seconds(1));
    status.async_wait([&](const asio::error_code& error) {
      if (error) return;
      {
        const std::lock_guard hold(meter_lock);
        live.print_status();
      }
      schedule_status();
    });
  };
  asio::steady_timer deadline(io);
  if (options.duration_s > 0.0) {
    deadline.expires_after(std::chrono::microseconds(
        static_cast<std::int64_t>(options.duration_s * static_cast<double>(micros_per_second))));
    deadline.async_wait([&io](const asio::error_code& error) {
      if (!error) io.stop();
    });
  }
  if (session->recovered_from_power_failure()) {
    fmt::print(err, "gridmeter run: the store was not closed cleanly; recorded a power failure\n");
  }
  schedule_tick();
  schedule_status();
  io.run();

  // From here on the meter is this thread's alone.
  if (dlms) dlms->stop();
  live.finish_status();
  if (failure) failure = live.catch_up();
  control.stop();
  if (dlms && failure) failure = dlms->save_security();
  if (Status result = session->close_after(failure); !result) {
    fmt::print(err, "gridmeter run: {}\n", result.error().message);
    return 1;
  }
  return 0;
}

}  // namespace gridmeter::app
