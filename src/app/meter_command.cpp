#include "app/meter_command.hpp"

#include <fmt/format.h>

#include <memory>  // std::unique_ptr
#include <vector>  // std::vector

#include "app/interval_summary.hpp"
#include "app/programming_options.hpp"
#include "app/register_report.hpp"
#include "app/sim_command.hpp"
#include "app/vq_report.hpp"
#include "meter/meter.hpp"
#include "metrology/metrology_engine.hpp"

namespace gridmeter::app {
namespace {

constexpr std::size_t buffer_instants = 8192;

struct MeteredRecording {
  std::unique_ptr<Meter> meter;
  RunSummary run;
  std::vector<IntervalSummary> seconds;
  std::vector<Measurement> measurements;  // only with --measurements
  std::vector<VqEvent> events;            // voltage-quality events of the recording
};

Result<MeteredRecording> meter_recording(const MeterCommandOptions& options,
                                         const Programming& programming) {
  const TimeZone& zone = programming.effective_zone;
  auto input_options = options.input.to_input_options(zone, default_sim_start(zone));
  if (!input_options) return input_options.error();
  auto source = metrology::open_input(*input_options);
  if (!source) return source.error();
  const metrology::StreamInfo& info = (*source)->info();
  auto engine = metrology::MetrologyEngine::create(metrology::config_from_stream(info));
  if (!engine) return make_error(fmt::format("{}: {}", info.description, engine.error().message));

  MeterConfig config = programming.config.value_or(MeterConfig{});
  if (programming.zone) config.zone = *programming.zone;
  if (Status valid = config.validate(); !valid) return valid.error();
  MeteredRecording result;
  result.meter = std::make_unique<Meter>(info.connection, info.start_utc_us, config);
  Meter& meter = *result.meter;
  IntervalSummarizer seconds(phase_count(info.connection), micros_per_second);
  std::uint64_t intervals = 0;
  VqEventCollector events(meter);
  auto on_measurement = [&](const Measurement& m) {
    meter.advance(m);
    events.collect(meter);
    seconds.add(m);
    ++intervals;
    if (options.measurements) result.measurements.push_back(m);
  };
  metrology::SampleBuffer buffer(buffer_instants);
  for (;;) {
    auto read = (*source)->read(buffer);
    if (!read) return read.error();
    if (*read == 0) break;
    engine->process(buffer, on_measurement);
  }
  engine->flush(on_measurement);
  result.run.input = options.input.path;
  result.run.scaler = -3;  // mWh: a recording is short
  result.run.period_start_utc_us = info.start_utc_us;
  result.run.period_end_utc_us = meter.state().time_utc_us;
  result.run.measurement_intervals = intervals;
  result.seconds = seconds.finish();
  result.events = events.events();
  return result;
}

void print_json(const MeteredRecording& recording, const MeterCommandOptions& options,
                const TimeZone& zone, std::FILE* out) {
  const std::size_t phases = phase_count(recording.meter->connection());
  nlohmann::ordered_json document = run_json(recording.run, *recording.meter);
  nlohmann::ordered_json summary = nlohmann::ordered_json::array();
  for (const IntervalSummary& second : recording.seconds) {
    summary.push_back(summary_json(second, phases, zone));
  }
  document["summary"] = summary;
  document["events"] = events_json(recording.events, *recording.meter);
  if (options.pq_report) document["pq_report"] = pq_report_json(*recording.meter);
  if (options.measurements) {
    nlohmann::ordered_json all = nlohmann::ordered_json::array();
    for (const Measurement& m : recording.measurements)
      all.push_back(measurement_json(m, zone));
    document["measurements"] = all;
  }
  fmt::print(out, "{}\n", document.dump(2));
}

void print_tables(const MeteredRecording& recording, const MeterCommandOptions& options,
                  const TimeZone& zone, std::FILE* out) {
  const std::size_t phases = phase_count(recording.meter->connection());
  fmt::print(out, "{}\n{}", run_table(recording.run, *recording.meter),
             events_table(recording.events, *recording.meter));
  if (options.pq_report) fmt::print(out, "\n{}", pq_report_table(*recording.meter));
  fmt::print(out, "\nper second\n{}", summary_table_header(phases));
  for (const IntervalSummary& second : recording.seconds) {
    fmt::print(out, "{}", summary_table_row(second.start_utc_us, second.phases, phases, zone));
  }
  if (!options.measurements) return;
  fmt::print(out, "\nmeasurement intervals\n{}", summary_table_header(phases));
  for (const Measurement& m : recording.measurements) {
    fmt::print(out, "{}", summary_table_row(m.start_utc_us, m.phases, phases, zone));
  }
}

}  // namespace

int run_meter(const MeterCommandOptions& options, std::FILE* out, std::FILE* err) {
  auto programming = load_programming({options.config_path, options.time_zone});
  if (!programming) {
    fmt::print(err, "gridmeter meter: {}\n", programming.error().message);
    return 2;
  }
  const TimeZone* zone = &programming->effective_zone;
  auto recording = meter_recording(options, *programming);
  if (!recording) {
    fmt::print(err, "gridmeter meter: {}\n", recording.error().message);
    return 1;
  }
  if (options.json) {
    print_json(*recording, options, *zone, out);
  } else {
    print_tables(*recording, options, *zone, out);
  }
  return 0;
}

}  // namespace gridmeter::app
