#include "metrology/input/open_input.hpp"

#include <fmt/format.h>
#include <unistd.h>  // STDIN_FILENO

#include <filesystem>  // std::filesystem::path

#include "metrology/input/channel_map.hpp"
#include "metrology/input/comtrade.hpp"
#include "metrology/input/input_support.hpp"
#include "metrology/input/wav.hpp"

namespace gridmeter::metrology {
namespace {

using input_detail::iequals;

Result<std::unique_ptr<SampleSource>> upcast_comtrade(
    Result<std::unique_ptr<ComtradeReader>> reader) {
  if (!reader) return reader.error();
  return std::unique_ptr<SampleSource>(std::move(*reader));
}

Result<std::unique_ptr<SampleSource>> upcast_wav(Result<std::unique_ptr<WavReader>> reader) {
  if (!reader) return reader.error();
  return std::unique_ptr<SampleSource>(std::move(*reader));
}

}  // namespace

Result<std::unique_ptr<SampleSource>> open_input(const InputOptions& options) {
  std::optional<ChannelMap> map;
  if (!options.channel_map.empty()) {
    auto parsed = parse_channel_map(options.channel_map);
    if (!parsed) return parsed.error();
    map = std::move(*parsed);
  }
  const bool standard_input = options.path == "-";
  const std::string extension =
      standard_input ? "" : std::filesystem::path(options.path).extension().string();
  if (iequals(extension, ".cfg") || iequals(extension, ".cff")) {
    ComtradeOptions comtrade;
    comtrade.connection = options.connection;
    comtrade.channel_map = map;
    comtrade.scale_factors = options.scale_factors;
    comtrade.nominal_frequency_hz = options.nominal_frequency_hz;
    comtrade.start_utc_us = options.start_utc_us;
    return upcast_comtrade(open_comtrade(options.path, comtrade));
  }
  if (iequals(extension, ".wav")) {
    WavOptions wav;
    wav.channel_map = map;
    wav.connection = options.connection;
    wav.scale_factors = options.scale_factors;
    wav.nominal_frequency_hz = options.nominal_frequency_hz.value_or(50.0);
    wav.start_utc_us = options.start_utc_us.value_or(0);
    return upcast_wav(open_wav(options.path, wav));
  }
  if (standard_input || iequals(extension, ".raw")) {
    RawStreamOptions raw;
    raw.format = options.sample_format;
    raw.channel_count = options.channel_count;
    raw.channel_map = map;
    raw.connection = options.connection;
    raw.scale_factors = options.scale_factors;
    raw.sample_rate_hz = options.sample_rate_hz;
    raw.nominal_frequency_hz = options.nominal_frequency_hz.value_or(50.0);
    raw.start_utc_us = options.start_utc_us.value_or(0);
    if (standard_input) return open_raw_fd(STDIN_FILENO, "standard input", raw);
    return open_raw_path(options.path, raw);
  }
  return make_error(fmt::format(
      "{}: unknown input type {} (expected .cfg or .cff COMTRADE, .wav, .raw, or - for raw "
      "samples on standard input)",
      options.path, extension.empty() ? "(no extension)" : input_detail::quote(extension)));
}

Result<Connection> parse_connection(std::string_view text) {
  const std::string_view trimmed = input_detail::trim(text);
  if (iequals(trimmed, "1p2w")) return Connection::single_phase_2w;
  if (iequals(trimmed, "3p4w")) return Connection::three_phase_4w;
  if (iequals(trimmed, "3p3w")) return Connection::three_phase_3w;
  return make_error(
      fmt::format("connection {} is not 1p2w, 3p4w or 3p3w", input_detail::quote(text)));
}

Result<std::vector<double>> parse_scale_factors(std::string_view text) {
  std::vector<std::string_view> fields;
  input_detail::split(text, ',', fields);
  std::vector<double> factors;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    const auto value = input_detail::parse_real(fields[i]);
    if (!value) {
      return make_error(fmt::format("scale factors {}: factor {} {} is not a number",
                                    input_detail::quote(text), i + 1,
                                    input_detail::quote(input_detail::trim(fields[i]))));
    }
    factors.push_back(*value);
  }
  return factors;
}

}  // namespace gridmeter::metrology
