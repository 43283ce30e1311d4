#include "app/input_options.hpp"

#include <fmt/format.h>

#include <cctype>

namespace gridmeter::app {

namespace {

bool is_comtrade(const std::string& path) {
  const auto dot = path.rfind('.');
  if (dot == std::string::npos) return false;
  std::string extension = path.substr(dot + 1);
  for (char& c : extension)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return extension == "cfg" || extension == "cff";
}

}  // namespace

Result<metrology::InputOptions> WaveformInputOptions::to_input_options(
    const TimeZone& zone, UtcMicros default_start) const {
  metrology::InputOptions options;
  options.path = path;
  if (connection) {
    auto parsed = metrology::parse_connection(*connection);
    if (!parsed) return make_error(fmt::format("--connection: {}", parsed.error().message));
    options.connection = *parsed;
  }
  options.channel_map = channels;
  if (!scale.empty()) {
    auto factors = metrology::parse_scale_factors(scale);
    if (!factors) return make_error(fmt::format("--scale: {}", factors.error().message));
    options.scale_factors = std::move(*factors);
  }
  if (frequency_hz) {
    if (*frequency_hz != 50.0 && *frequency_hz != 60.0) {
      return make_error("--frequency: the nominal frequency is 50 or 60 Hz");
    }
    options.nominal_frequency_hz = *frequency_hz;
  }
  if (start) {
    auto time = parse_iso8601(*start, zone);
    if (!time) return make_error(fmt::format("--start: {}", time.error().message));
    options.start_utc_us = *time;
  } else if (!is_comtrade(path)) {
    options.start_utc_us = default_start;
  } else if (!is_comtrade(path)) {
    options.start_utc_us = default_start;
  }
  auto format = metrology::parse_raw_sample_format(sample_format);
  if (!format) return make_error(fmt::format("--sample-format: {}", format.error().message));
  options.sample_format = *format;
  options.channel_count = channel_count;
  options.sample_rate_hz = sample_rate_hz;
  return options;
}

}  // namespace gridmeter::app
