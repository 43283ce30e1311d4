// One entry point for every waveform input: picks the reader by the path's extension.
//
//   InputOptions options;
//   options.path = "fault.cfg";                     // .cfg/.cff COMTRADE, .wav, .raw or "-"
//   options.channel_map = "u1=0,i1=1";              // optional; COMTRADE maps by phase names
//   Result<std::unique_ptr<SampleSource>> input = open_input(options);
//
//   // Standard input: raw interleaved samples.
//   options.path = "-";
//   options.sample_format = RawSampleFormat::int16;
//   options.channel_count = 2;
//   options.sample_rate_hz = 8000.0;
//   options.scale_factors = {325.0, 50.0};
#pragma once

#include <cstddef>      // std::size_t
#include <memory>       // std::unique_ptr
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/measurement.hpp"
#include "metrology/input/raw_stream.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::metrology {

struct InputOptions {
  std::string path;                      // .cfg, .cff, .wav, .raw (any case), or "-" (stdin)
  std::optional<Connection> connection;  // else inferred
  std::string channel_map;               // parse_channel_map text; empty = automatic/default
  // Per source channel (COMTRADE analog channel, WAV or raw channel): for WAV and raw the
  // value of digital full scale in V or A; for COMTRADE a multiplier on the primary value.
  std::vector<double> scale_factors;
  std::optional<double> nominal_frequency_hz;  // else the file's (COMTRADE lf) or 50 Hz
  std::optional<UtcMicros> start_utc_us;       // else the file's (COMTRADE) or 0
  // Raw input only.
  RawSampleFormat sample_format = RawSampleFormat::int16;
  std::size_t channel_count = 0;
  double sample_rate_hz = 0.0;
};

// COMTRADE for .cfg and .cff, WAV for .wav, raw for .raw and "-"; other extensions are an
// error naming the supported ones. Raw input needs channel_count and sample_rate_hz.
Result<std::unique_ptr<SampleSource>> open_input(const InputOptions& options);

// "1p2w", "3p4w", "3p3w" (case-insensitive).
Result<Connection> parse_connection(std::string_view text);
// Comma-separated finite numbers, e.g. "325,325,325,50,50,50".
Result<std::vector<double>> parse_scale_factors(std::string_view text);

}  // namespace gridmeter::metrology
