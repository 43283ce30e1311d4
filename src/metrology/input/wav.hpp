// Multichannel RIFF WAVE recordings as a SampleSource.
//
//   WavOptions options;
//   options.channel_map = *parse_channel_map("u1=0,i1=1");
//   options.scale_factors = {325.0, 50.0};            // full scale = 325 V and 50 A
//   options.start_utc_us = start;                      // WAV files carry no time
//   Result<std::unique_ptr<WavReader>> wav = open_wav("capture.wav", options);
//   SampleBuffer buffer(4096);
//   Result<std::size_t> got = (*wav)->read(buffer);
//
// Formats: PCM 16, 24 and 32 bit (format tag 1), IEEE float 32 and 64 bit (tag 3), and
// WAVE_FORMAT_EXTENSIBLE (0xFFFE) with the PCM or IEEE float sub-format GUID; 1..16 channels;
// 1 kHz .. 1 MHz. Integers are read as a fraction of full scale (x / 2^(bits-1)), floats as
// they are; then value = fraction × scale_factors[channel] × the map entry's scale. Chunks other
// than fmt and data (LIST, fact, ...) are skipped, odd sizes padded. The data chunk is streamed.
// Errors name the file and the byte offset.
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint64_t, std::uint8_t
#include <memory>    // std::unique_ptr
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "core/result.hpp"
#include "meter/measurement.hpp"
#include "metrology/input/channel_map.hpp"
#include "metrology/samples.hpp"

namespace gridmeter::metrology {

enum class WavSampleType { pcm16, pcm24, pcm32, float32, float64 };

struct WavFormat {
  WavSampleType sample_type = WavSampleType::pcm16;
  std::size_t channel_count = 0;
  double sample_rate_hz = 0.0;
  std::size_t frame_bytes = 0;    // block align
  std::uint64_t data_offset = 0;  // first byte of the samples
  std::uint64_t frame_count = 0;
};

inline constexpr std::size_t wav_max_channels = 16;
inline constexpr double wav_min_sample_rate_hz = 1'000.0;
inline constexpr double wav_max_sample_rate_hz = 1'000'000.0;

struct WavOptions {
  std::optional<ChannelMap> channel_map;  // else default_channel_map(channel count)
  std::optional<Connection> connection;   // else inferred from the map
  std::vector<double> scale_factors;      // per WAV channel; missing ones are 1
  double nominal_frequency_hz = 50.0;
  UtcMicros start_utc_us = 0;
};

class WavReader : public SampleSource {
 public:
  [[nodiscard]] virtual const WavFormat& format() const = 0;
  [[nodiscard]] virtual const ChannelMap& channel_map() const = 0;
};

Result<std::unique_ptr<WavReader>> open_wav(const std::string& path, const WavOptions& options);
// The same from the bytes of a file; `name` names it in errors.
Result<std::unique_ptr<WavReader>> open_wav_memory(std::vector<std::uint8_t> bytes,
                                                   std::string name, const WavOptions& options);

}  // namespace gridmeter::metrology
