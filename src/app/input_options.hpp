// The command-line options that describe a waveform input, shared by `gridmeter meter` and
// `gridmeter run --input`, and their translation into metrology::InputOptions.
//
//   WaveformInputOptions text;           // filled by CLI11
//   auto options = text.to_input_options(zone);
//   auto source = metrology::open_input(*options);
#pragma once

#include <cstddef>   // std::size_t
#include <optional>  // std::optional
#include <string>    // std::string

#include "core/date_time.hpp"
#include "core/result.hpp"
#include "metrology/input/open_input.hpp"

namespace gridmeter::app {

struct WaveformInputOptions {
  std::string path;                       // .cfg/.cff COMTRADE, .wav, .raw, or "-" (stdin, raw)
  std::optional<std::string> connection;  // 1p2w, 3p4w, 3p3w (default: from the input)
  std::string channels;                   // channel map, e.g. "u1=0,i1=1"
  std::string scale;                      // scale factors per source channel, comma-separated
  std::optional<double> frequency_hz;     // nominal 50 or 60 (default: from the input, else 50)
  std::optional<std::string> start;       // ISO 8601 time of the first sample
  std::string sample_format = "int16";    // raw only: int16, int32, float32
  std::size_t channel_count = 0;          // raw only
  double sample_rate_hz = 0.0;            // raw only

  // `default_start` is the first sample's time for inputs that carry none (WAV, raw);
  // COMTRADE files carry their own.
  [[nodiscard]] Result<metrology::InputOptions> to_input_options(const TimeZone& zone,
                                                                 UtcMicros default_start) const;
};

}  // namespace gridmeter::app
