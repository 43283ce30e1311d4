#include "app/sim_command.hpp"

#include <fmt/format.h>

#include <cmath>  // std::llround

#include "app/meter_session.hpp"
#include "app/profile_export.hpp"
#include "app/programming_options.hpp"
#include "app/progress_bar.hpp"
#include "app/pulse_log.hpp"
#include "app/register_report.hpp"
#include "app/sim_actions.hpp"
#include "app/stop_signal.hpp"
#include "app/vq_report.hpp"

namespace gridmeter::app {
namespace {

// Intervals between checks of the progress bar and the stop flag (about 14 minutes of meter
// time): often enough to feel live, rare enough to cost nothing.
constexpr std::uint64_t check_every_intervals = 4096;

}  // namespace

UtcMicros default_sim_start(const TimeZone& zone) {
  auto start = zone.from_local(CivilTime{2026, 1, 1, 0, 0, 0, 0});
  return start ? *start : 0;
}

int run_sim(const SimOptions& options, std::FILE* out, std::FILE* err) {
  auto programming = load_programming({options.config_path, options.time_zone});
  if (!programming) {
    fmt::print(err, "gridmeter sim: {}\n", programming.error().message);
    return 2;
  }
  const TimeZone& zone = programming->effective_zone;
  if (!(options.days > 0.0) || options.days > 36'600.0) {
    fmt::print(err, "gridmeter sim: --days must be more than 0 and at most 36600\n");
    return 2;
  }
  if (!(options.flush_interval_min > 0.0)) {
    fmt::print(err, "gridmeter sim: --flush-interval must be more than 0 minutes\n");
    return 2;
  }
  std::vector<ExportRequest> exports;
  for (const std::string& text : options.exports) {
    auto request = parse_export_request(text);
    if (!request) {
      fmt::print(err, "gridmeter sim: {}\n", request.error().message);
      return 2;
    }
    exports.push_back(std::move(*request));
  }
  std::vector<SimAction> actions;
  for (const std::string& text : options.actions) {
    auto action = parse_sim_action(text, zone);
    if (!action) {
      fmt::print(err, "gridmeter sim: {}\n", action.error().message);
      return 2;
    }
    actions.push_back(*action);
  }
  // In time order; the same instant in command-line order.
  SimActionPlan plan(std::move(actions));

  SessionOptions session_options;
  session_options.scenario = options.scenario;
  session_options.seed = options.seed;
  session_options.default_start = default_sim_start(zone);
  session_options.store_path = options.store_path;
  session_options.durable_commits = false;  // a simulation may lose its last flush interval
  session_options.flush_interval_us = static_cast<std::int64_t>(
      options.flush_interval_min * static_cast<double>(micros_per_minute));
  session_options.config = programming->config;
  session_options.zone = programming->zone;
  if (options.start) {
    auto start = parse_iso8601(*options.start, zone);
    if (!start) {
      fmt::print(err, "gridmeter sim: --start: {}\n", start.error().message);
      return 2;
    }
    session_options.start = *start;
  }
  auto session = MeterSession::open(session_options, std::nullopt);
  if (!session) {
    fmt::print(err, "gridmeter sim: {}\n", session.error().message);
    return 1;
  }
  // Every export names a profile the meter keeps.
  for (const ExportRequest& request : exports) {
    const std::vector<const Profile*> profiles = session->meter().profiles();
    if (find_profile(profiles, request.obis) == nullptr) {
      std::string known;
      for (const Profile* profile : profiles)
        known += (known.empty() ? "" : ", ") + to_string(profile->obis());
      fmt::print(err, "gridmeter sim: --export: the meter keeps no profile {} (it keeps: {})\n",
                 to_string(request.obis), known);
      return 2;
    }
  }

  Meter& meter = session->meter();
  std::optional<PulseLog> pulses;
  if (options.pulses_path) {
    auto opened = PulseLog::open(*options.pulses_path, meter);
    if (!opened) {
      fmt::print(err, "gridmeter sim: {}\n", opened.error().message);
      return 1;
    }
    pulses.emplace(std::move(*opened));
  }
  // Actions before the meter's time belong to the part of its life a resumed store already
  // holds: applied again they would press the button twice.
  for (const SimAction& skipped : plan.drop_before(session->start_time())) {
    fmt::print(err,
               "gridmeter sim: --action at {} is before the resumed meter's time {}; skipped\n",
               format_iso8601(skipped.at, meter.config().zone),
               format_iso8601(session->start_time(), meter.config().zone));
  }
  // A request the meter refuses (a replayed token, a reconnection its mode does not allow) is
  // reported and the run goes on, as the meter itself does.
  auto refused = [&](const SimAction& action, const Error& error) {
    fmt::print(err, "gridmeter sim: at {}: {}\n", format_iso8601(action.at, meter.config().zone),
               error.message);
  };
  const std::int64_t interval_us = session->scenario().interval_us();
  const UtcMicros start = session->start_time();
  const auto requested_us =
      static_cast<std::int64_t>(std::llround(options.days * static_cast<double>(micros_per_day)));
  // Whole intervals only, so that runs can be split anywhere and resume on the same grid.
  const std::int64_t interval_count = requested_us / interval_us;
  const UtcMicros end = start + interval_count * interval_us;

  std::optional<StopSignalScope> stop_scope;
  stop_scope.emplace();
  ProgressBar progress(start, end, meter.config().zone);
  std::uint64_t intervals = 0;
  Status status;
  UtcMicros t = start;
  VqEventCollector events(meter);
  while (t < end && status) {
    t = plan.apply_due(t, meter, refused);
    if (t >= end) break;
    session->step(t);
    events.collect(meter);
    t += interval_us;
    ++intervals;
    status = session->flush_if_due();
    if (status && pulses) status = pulses->drain(meter, meter.config().zone);
    if (intervals % check_every_intervals == 0) {
      progress.update(meter.state().time_utc_us);
      if (stop_requested()) break;
    }
  }
  progress.finish();
  const bool interrupted = stop_requested();
  if (status) status = session->close();
  if (status && pulses) status = pulses->close();
  stop_scope.reset();
  if (!status) {
    fmt::print(err, "gridmeter sim: {}\n", status.error().message);
    return 1;
  }
  const std::vector<const Profile*> profiles = meter.profiles();
  for (const ExportRequest& request : exports) {
    if (Status written = export_profile(*find_profile(profiles, request.obis), request.path,
                                        meter.config().zone);
        !written) {
      fmt::print(err, "gridmeter sim: --export: {}\n", written.error().message);
      return 1;
    }
  }

  RunSummary run;
  run.source = session->source();
  run.period_start_utc_us = start;
  run.period_end_utc_us = meter.state().time_utc_us;
  run.measurement_intervals = intervals;
  events.collect(meter);
  if (options.json) {
    nlohmann::ordered_json document = run_json(run, meter);
    document["events"] = events_json(events.events(), meter);
    if (options.pq_report) document["pq_report"] = pq_report_json(meter);
    fmt::print(out, "{}\n", document.dump(2));
  } else {
    fmt::print(out, "{}\n{}", run_table(run, meter), events_table(events.events(), meter));
    if (options.pq_report) fmt::print(out, "\n{}", pq_report_table(meter));
  }
  return interrupted ? 130 : 0;
}

}  // namespace gridmeter::app
