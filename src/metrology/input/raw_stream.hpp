// Raw interleaved little-endian samples, e.g. a live ADC feed on standard input.
//
//   RawStreamOptions options;
//   options.format = RawSampleFormat::int16;
//   options.channel_count = 2;
//   options.channel_map = *parse_channel_map("u1=0,i1=1");
//   options.scale_factors = {325.0, 50.0};     // full scale (32768) = 325 V and 50 A
//   options.sample_rate_hz = 8000.0;
//   Result<std::unique_ptr<SampleSource>> adc = open_raw_fd(0, "stdin", options);
//   Result<std::size_t> got = (*adc)->read(buffer);   // blocks until the buffer is full or EOF
//
// Integers are read as a fraction of full scale (x / 2^(bits-1)), float32 as it is; then value
// = fraction × scale_factors[channel] × the map entry's scale. A partial frame at the end of the
// stream is an error naming its byte offset.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <cstdio>       // std::FILE
#include <memory>       // std::unique_ptr
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include "core/result.hpp"
#include "meter/measurement.hpp"
#include "metrology/input/channel_map.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::metrology {

enum class RawSampleFormat { int16, int32, float32 };

// "int16" (also "s16", "s16le"), "int32" ("s32", "s32le"), "float32" ("f32", "f32le").
Result<RawSampleFormat> parse_raw_sample_format(std::string_view text);
std::string_view to_string(RawSampleFormat format);

inline constexpr std::size_t raw_max_channels = 64;
inline constexpr double raw_min_sample_rate_hz = 1'000.0;
inline constexpr double raw_max_sample_rate_hz = 1'000'000.0;

struct RawStreamOptions {
  RawSampleFormat format = RawSampleFormat::int16;
  std::size_t channel_count = 0;          // 1..64
  std::optional<ChannelMap> channel_map;  // else default_channel_map(channel_count)
  std::optional<Connection> connection;   // else inferred from the map
  std::vector<double> scale_factors;      // per channel; missing ones are 1
  double sample_rate_hz = 0.0;            // 1 kHz .. 1 MHz
  double nominal_frequency_hz = 50.0;
  UtcMicros start_utc_us = 0;
  std::size_t read_chunk_bytes = std::size_t{64} * 1024;  // bytes asked of the input per read
};

// Neither takes ownership: the caller closes `fd` / `file` after the source is gone.
Result<std::unique_ptr<SampleSource>> open_raw_fd(int fd, std::string name,
                                                  const RawStreamOptions& options);
Result<std::unique_ptr<SampleSource>> open_raw_file(std::FILE* file, std::string name,
                                                    const RawStreamOptions& options);
// Opens and owns the file at `path`.
Result<std::unique_ptr<SampleSource>> open_raw_path(const std::string& path,
                                                    const RawStreamOptions& options);
Result<std::unique_ptr<SampleSource>> open_raw_memory(std::vector<std::uint8_t> bytes,
                                                      std::string name,
                                                      const RawStreamOptions& options);

}  // namespace gridmeter::metrology
