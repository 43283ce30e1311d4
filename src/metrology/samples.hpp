// Sampled voltages and currents: what every waveform input (COMTRADE, WAV, raw stream,
// synthetic generator) produces and what the metrology engine consumes.
//
//   SampleBuffer buffer(4096);                  // room for 4096 sample instants
//   auto read = source.read(buffer);            // fills buffer.count() instants, 0 at the end
//   engine.process(buffer, [&](const Measurement& m) { meter.advance(m); });
//
// Layout is structure-of-arrays, one contiguous float array per channel, so the DSP loops
// run over each channel with SIMD. Values are primary quantities in volts and amperes
// (readers apply the files' scaling). float carries 24 bits: 6e-8 of full scale, far below
// any metrology error budget; every sum over samples is done in double.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <string>   // std::string
#include <vector>   // std::vector

#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/measurement.hpp"

namespace gridmeter::metrology {

// Channel slots, in this order in every SampleBuffer. For the 3-wire connection the voltage
// slots hold line-to-line voltages U12 (slot u1) and U32 (slot u3), and u2 is unused (zero).
enum class Channel : std::size_t { u1 = 0, u2, u3, i1, i2, i3, i_neutral };
inline constexpr std::size_t channel_count = 7;

struct StreamInfo {
  double sample_rate_hz = 0.0;
  double nominal_frequency_hz = 50.0;
  Connection connection = Connection::single_phase_2w;
  bool has_neutral_current = false;
  UtcMicros start_utc_us = 0;  // time of the first sample
  std::string description;     // e.g. the file name, for messages
};

class SampleBuffer {
 public:
  explicit SampleBuffer(std::size_t capacity) {
    for (auto& channel : channels_)
      channel.assign(capacity, 0.0F);
  }
  [[nodiscard]] std::size_t capacity() const { return channels_[0].size(); }
  [[nodiscard]] std::size_t count() const { return count_; }
  void set_count(std::size_t count) { count_ = count <= capacity() ? count : capacity(); }

  float* channel(Channel slot) { return channels_[static_cast<std::size_t>(slot)].data(); }
  [[nodiscard]] const float* channel(Channel slot) const {
    return channels_[static_cast<std::size_t>(slot)].data();
  }

 private:
  std::array<std::vector<float>, channel_count> channels_;
  std::size_t count_ = 0;
};

// A source of samples: a file reader, standard input, or the synthetic generator.
class SampleSource {
 public:
  SampleSource() = default;
  SampleSource(const SampleSource&) = delete;
  SampleSource& operator=(const SampleSource&) = delete;
  virtual ~SampleSource() = default;

  [[nodiscard]] virtual const StreamInfo& info() const = 0;
  // Fills `buffer` from its start with up to buffer.capacity() sample instants and sets its
  // count; returns the count, 0 at the end of the stream, or an error naming the source and
  // the offending line or byte offset. Unused channel slots are zero.
  virtual Result<std::size_t> read(SampleBuffer& buffer) = 0;
};

}  // namespace gridmeter::metrology
