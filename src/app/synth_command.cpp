#include "app/synth_command.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <string_view>

#include "app/sim_command.hpp"
#include "core/date_time.hpp"
#include "metrology/input/comtrade.hpp"
#include "metrology/input/open_input.hpp"
#include "sim/waveform_generator.hpp"

namespace gridmeter::app {
namespace {

std::vector<std::string_view> split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t begin = 0;
  for (std::size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator, begin)) {
    parts.push_back(text.substr(begin, at - begin));
    begin = at + 1;
  }
  parts.push_back(text.substr(begin));
  return parts;
}

Result<double> number(std::string_view text, std::string_view what) {
  double value = 0.0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || !std::isfinite(value)) {
    return make_error(fmt::format("{}: '{}' is not a number", what, text));
  }
  return value;
}

// "u:5:10[:phase]" or "i:3:30[:phase]": order and percent of the fundamental, on every phase.
Status add_harmonic(std::string_view text, sim::WaveformConfig& config) {
  const auto parts = split(text, ':');
  if ((parts.size() != 3 && parts.size() != 4) || (parts[0] != "u" && parts[0] != "i")) {
    return make_error(fmt::format("--harmonic '{}': expected u|i:ORDER:PERCENT[:PHASE_DEG]", text));
  }
  auto order = number(parts[1], "--harmonic order");
  auto percent = number(parts[2], "--harmonic percent");
  if (!order) return order.error();
  if (!percent) return percent.error();
  double phase = 0.0;
  if (parts.size() == 4) {
    auto parsed = number(parts[3], "--harmonic phase");
    if (!parsed) return parsed.error();
    phase = *parsed;
  }
  if (*order < 2 || *order > 50 || std::floor(*order) != *order || *percent < 0 || *percent > 100) {
    return make_error(fmt::format("--harmonic '{}': order 2..50 and percent 0..100", text));
  }
  const sim::HarmonicComponent component{static_cast<int>(*order), *percent / 100.0, phase};
  for (sim::PhaseWaveform& phase_waveform : config.phases) {
    (parts[0] == "u" ? phase_waveform.voltage_harmonics : phase_waveform.current_harmonics)
        .push_back(component);
  }
  return {};
}

Status add_event(std::string_view text, sim::WaveformConfig& config) {
  const auto parts = split(text, ':');
  const std::string_view kind = parts[0];
  std::vector<double> values;
  for (std::size_t i = 1; i < parts.size(); ++i) {
    auto value = number(parts[i], "--event");
    if (!value) return value.error();
    values.push_back(*value);
  }
  sim::WaveformEvent event;
  if ((kind == "dip" || kind == "swell") && values.size() == 3) {
    event.kind = sim::WaveformEventKind::voltage_scale;
    event.start_s = values[0];
    event.duration_s = values[1];
    event.voltage_fraction = values[2];
  } else if (kind == "interruption" && values.size() == 2) {
    event.kind = sim::WaveformEventKind::interruption;
    event.start_s = values[0];
    event.duration_s = values[1];
  } else if (kind == "frequency" && values.size() == 2) {
    event.kind = sim::WaveformEventKind::frequency_step;
    event.start_s = values[0];
    event.frequency_hz = values[1];
  } else {
    return make_error(fmt::format(
        "--event '{}': expected dip|swell:START:DURATION:FRACTION, interruption:START:DURATION "
        "or frequency:START:HZ",
        text));
  }
  config.events.push_back(event);
  return {};
}

Status set_shape(std::string_view text, sim::WaveformConfig& config) {
  const auto parts = split(text, ':');
  sim::PhaseWaveform shape;
  if (parts[0] == "sine" && parts.size() == 1) {
    shape.current_shape = sim::CurrentShape::sine;
  } else if (parts[0] == "half-wave" && parts.size() == 1) {
    shape.current_shape = sim::CurrentShape::half_wave_rectified;
  } else if (parts[0] == "phase-fired" && parts.size() == 2) {
    auto angle = number(parts[1], "--current-shape firing angle");
    if (!angle) return angle.error();
    shape.current_shape = sim::CurrentShape::phase_fired;
    shape.firing_angle_deg = *angle;
  } else if (parts[0] == "burst" && parts.size() == 3) {
    auto on = number(parts[1], "--current-shape burst on");
    auto off = number(parts[2], "--current-shape burst off");
    if (!on) return on.error();
    if (!off) return off.error();
    shape.current_shape = sim::CurrentShape::burst_fired;
    shape.burst_on_cycles = static_cast<int>(*on);
    shape.burst_off_cycles = static_cast<int>(*off);
  } else {
    return make_error(fmt::format(
        "--current-shape '{}': expected sine, half-wave, phase-fired:ANGLE or burst:ON:OFF", text));
  }
  for (sim::PhaseWaveform& phase : config.phases) {
    phase.current_shape = shape.current_shape;
    phase.firing_angle_deg = shape.firing_angle_deg;
    phase.burst_on_cycles = shape.burst_on_cycles;
    phase.burst_off_cycles = shape.burst_off_cycles;
  }
  return {};
}

Result<metrology::ComtradeFormat> parse_format(std::string_view text) {
  for (auto format : {metrology::ComtradeFormat::ascii, metrology::ComtradeFormat::binary,
                      metrology::ComtradeFormat::binary32, metrology::ComtradeFormat::float32}) {
    std::string name(metrology::to_string(format));
    for (char& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (name == text) return format;
  }
  return make_error(fmt::format("--format '{}': ascii, binary, binary32 or float32", text));
}

Result<sim::WaveformConfig> make_config(const SynthOptions& options, const TimeZone& zone) {
  sim::WaveformConfig config;
  auto connection = metrology::parse_connection(options.connection);
  if (!connection) return make_error(fmt::format("--connection: {}", connection.error().message));
  config.connection = *connection;
  if (!(options.duration_s > 0.0) || options.duration_s > 86'400.0) {
    return make_error("--duration: more than 0 and at most 86400 seconds");
  }
  config.duration_s = options.duration_s;
  config.sample_rate_hz = options.sample_rate_hz;
  config.frequency_hz = options.frequency_hz;
  config.nominal_frequency_hz = options.nominal_frequency_hz.value_or(
      std::fabs(options.frequency_hz - 60.0) < 5.0 ? 60.0 : 50.0);
  config.phases = sim::balanced_phases(options.voltage_v, options.current_a, options.angle_deg);
  config.voltage_noise_v = options.voltage_noise_v;
  config.current_noise_a = options.current_noise_a;
  config.seed = options.seed;
  config.start_utc_us = default_sim_start(zone);
  if (options.start) {
    auto start = parse_iso8601(*options.start, zone);
    if (!start) return make_error(fmt::format("--start: {}", start.error().message));
    config.start_utc_us = *start;
  }
  for (const std::string& harmonic : options.harmonics) {
    if (Status status = add_harmonic(harmonic, config); !status) return status.error();
  }
  for (const std::string& event : options.events) {
    if (Status status = add_event(event, config); !status) return status.error();
  }
  if (Status status = set_shape(options.current_shape, config); !status) return status.error();
  return config;
}

}  // namespace

int run_synth(const SynthOptions& options, std::FILE* out, std::FILE* err) {
  auto zone = parse_time_zone(options.time_zone);
  if (!zone) {
    fmt::print(err, "gridmeter synth: {}\n", zone.error().message);
    return 2;
  }
  auto config = make_config(options, *zone);
  if (!config) {
    fmt::print(err, "gridmeter synth: {}\n", config.error().message);
    return 2;
  }
  auto format = parse_format(options.format);
  if (!format) {
    fmt::print(err, "gridmeter synth: {}\n", format.error().message);
    return 2;
  }
  auto generator = sim::WaveformGenerator::create(*config);
  if (!generator) {
    fmt::print(err, "gridmeter synth: {}\n", generator.error().message);
    return 2;
  }
  if (Status saved = metrology::write_comtrade(options.out, **generator, *format); !saved) {
    fmt::print(err, "gridmeter synth: {}\n", saved.error().message);
    return 1;
  }
  fmt::print(out, "wrote {} ({} s at {} Hz sampling, {})\n", options.out, options.duration_s,
             options.sample_rate_hz, options.connection);
  return 0;
}

}  // namespace gridmeter::app
