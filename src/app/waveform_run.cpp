#include "app/waveform_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

#include <asio/io_context.hpp>

#include "app/control_service.hpp"
#include "app/meter_session.hpp"
#include "app/stop_signal.hpp"
#include "core/clock.hpp"
#include "metrology/metrology_engine.hpp"

namespace gridmeter::app {
namespace {

// Prints the status line once a wall-clock second.
class StatusPrinter {
 public:
  StatusPrinter(const TimeZone& zone, std::FILE* out) : zone_(zone), out_(out) {}
  void maybe_print(const MeterSession& session, const Meter& meter) {
    const auto now = std::chrono::steady_clock::now();
    if (now < next_) return;
    next_ = now + std::chrono::seconds(1);
    fmt::print(out_, "{}\n", status_line(meter, session.last_measurement(), zone_));
    std::fflush(out_);
  }

 private:
  const TimeZone& zone_;
  std::FILE* out_;
  std::chrono::steady_clock::time_point next_ = std::chrono::steady_clock::now();
};

}  // namespace

int run_waveform(const RunOptions& options, const Programming& programming,
                 std::optional<DlmsServiceOptions> dlms_options, std::FILE* out, std::FILE* err) {
  const TimeZone& zone = programming.effective_zone;
  if (options.scenario || options.seed) {
    fmt::print(err,
               "gridmeter run: --input feeds the meter instead of a scenario; "
               "--scenario and --seed do not apply\n");
    return 2;
  }
  // The live meter ignores the samples' time stamps (see below), so any default will do.
  auto input_options = options.input.to_input_options(zone, 0);
  if (!input_options) {
    fmt::print(err, "gridmeter run: {}\n", input_options.error().message);
    return 2;
  }
  auto source = metrology::open_input(*input_options);
  if (!source) {
    fmt::print(err, "gridmeter run: {}\n", source.error().message);
    return 1;
  }
  const metrology::StreamInfo& info = (*source)->info();
  const SystemClock system_clock;
  const UtcMicros power_up = system_clock.now();
  SessionOptions session_options;
  session_options.default_start = power_up;
  session_options.config = programming.config;
  session_options.zone = programming.zone;
  session_options.store_path = options.store_path;
  session_options.durable_commits = true;
  session_options.flush_interval_us = std::max<std::int64_t>(
      1, std::llround(options.speed * static_cast<double>(micros_per_second)));
  session_options.waveform_connection = info.connection;
  auto session = MeterSession::open(session_options, power_up);
  if (!session) {
    fmt::print(err, "gridmeter run: {}\n", session.error().message);
    return 1;
  }
  // Live: the samples' own time stamps give way to the meter's clock, which starts now (or
  // where the store left off), so that a restarted feed continues the meter's time line.
  metrology::MetrologyConfig config = metrology::config_from_stream(info);
  config.start_utc_us = session->start_time();
  auto engine = metrology::MetrologyEngine::create(config);
  if (!engine) {
    fmt::print(err, "gridmeter run: {}: {}\n", info.description, engine.error().message);
    return 1;
  }

  const bool paced = options.input.path != "-";
  const ScaledClock meter_clock(system_clock, session->start_time(), options.speed);
  const auto wall_start = std::chrono::steady_clock::now();
  const auto wall_limit = std::chrono::duration<double>(options.duration_s);
  StatusPrinter status(zone, out);
  auto on_measurement = [&](const Measurement& m) { session->advance(m); };
  metrology::SampleBuffer buffer(
      std::max<std::size_t>(256, static_cast<std::size_t>(info.sample_rate_hz / 10.0)));

  asio::io_context io(1);  // one thread runs it: the scheduler can skip cross-thread work
  // The meter and its store are shared with the DLMS server's thread: whoever touches them
  // holds this lock.
  std::mutex meter_lock;
  SessionMeterAccess meter_access(*session);
  std::optional<DlmsService> dlms;
  if (dlms_options) {
    use_session_store(*dlms_options, *session);
    dlms_options->meter_lock = &meter_lock;
    dlms.emplace(meter_access, std::move(*dlms_options));
    if (Status listening = dlms->start(); !listening) {
      fmt::print(err, "gridmeter run: {}\n", listening.error().message);
      (void)session->close();
      return 1;
    }
    fmt::print(err, "gridmeter run: {}\n", dlms->description());
  }

  // Standard input is the side channel for commands, unless it carries the samples.
  ControlService control(
      io, *session, meter_clock, options.speed,
      ControlOptions{.socket_path = options.control_path,
                     .use_stdin = options.input.path != "-",
                     .pulse_output = options.pulse_output_path,
                     .meter_lock = &meter_lock},
      [out](std::string_view line) {
        fmt::print(out, "{}\n", line);
        std::fflush(out);
      },
      [err](std::string_view line) { fmt::print(err, "gridmeter run: {}\n", line); });
  if (Status started = control.start(); !started) {
    fmt::print(err, "gridmeter run: {}\n", started.error().message);
    if (dlms) dlms->stop();
    (void)session->close();
    return 1;
  }
  const StopSignalScope stop_scope;
  Status failure;
  for (;;) {
    io.poll();
    if (io.stopped()) io.restart();
    if (stop_requested()) break;
    if (options.duration_s > 0 && std::chrono::steady_clock::now() - wall_start >= wall_limit) {
      break;
    }
    auto read = (*source)->read(buffer);
    if (!read) {
      if (!stop_requested()) failure = read.error();
      break;
    }
    if (*read == 0) break;
    UtcMicros reached = 0;
    {
      const std::lock_guard hold(meter_lock);
      engine->process(buffer, on_measurement);
      control.publish_pulses();
      failure = session->flush_if_due();
      if (failure) status.maybe_print(*session, session->meter());
      reached = session->meter().state().time_utc_us;
    }
    if (!failure) break;
    // A file plays at its own pace: wait until the meter's clock reaches the samples' time.
    while (paced && !stop_requested() && meter_clock.now() < reached) {
      // Serves the control channel while it waits (DLMS has a thread of its own); with nothing
      // to serve run_for returns at once (the context stops), and the wait is a sleep.
      io.run_for(std::chrono::milliseconds(20));
      if (io.stopped()) {
        io.restart();
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  }
  // From here on the meter is this thread's alone.
  if (dlms) dlms->stop();
  engine->flush(on_measurement);
  control.stop();
  if (dlms && failure) failure = dlms->save_security();
  if (Status result = session->close_after(failure); !result) {
    fmt::print(err, "gridmeter run: {}\n", result.error().message);
    return 1;
  }
  return 0;
}

}  // namespace gridmeter::app
