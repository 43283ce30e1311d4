// Fuzzes the metrology engine: any bytes choose a config (sample rate, connection, nominal
// frequency, neutral, block size) and the samples, raw float bits included (NaN, infinities,
// huge values, denormals). The engine must refuse a bad config with a message, never crash or
// hang, and every Measurement it emits must be finite, positive in duration and contiguous
// with the one before; after the bad samples, a clean stretch must measure clean values again
// (non-finite input must not poison the state).
//
// Layout: bytes 0..7 the header, then the samples, cycled as often as needed for 2.5 s of
// signal (so that intervals complete however short the input):
//   0..1  sample rate: 1800 + value % 15000 Hz (below 2400 and above 16000 must be refused)
//   2     connection (value % 4; 3 is not one)
//   3     bit 0: 60 Hz; bit 1: 55 Hz (refused); bit 2: neutral current; bit 3: add a clean
//         230 V sine below the fuzzed samples, so the tracker has crossings to follow
//   4..5  block size: 1 + value % 3000
//   6     bit 0: samples are raw float bits (4 bytes), else int16 scaled to ±400 (2 bytes)
//   7     seed for the sine's frequency offset
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "meter/measurement.hpp"
#include "metrology/metrology_engine.hpp"
#include "metrology/samples.hpp"

namespace {

using gridmeter::Connection;
using gridmeter::Measurement;
using gridmeter::metrology::Channel;
using gridmeter::metrology::MetrologyConfig;
using gridmeter::metrology::MetrologyEngine;
using gridmeter::metrology::SampleBuffer;

constexpr std::size_t header_bytes = 8;
constexpr double signal_seconds = 2.5;

void require(bool condition) {
  if (!condition) std::abort();
}

bool finite(const Measurement& m) {
  bool ok = std::isfinite(m.frequency_hz) && std::isfinite(m.neutral_current_a);
  for (const auto& p : m.phases) {
    ok = ok && std::isfinite(p.voltage_v) && std::isfinite(p.current_a) &&
         std::isfinite(p.active_power_w) && std::isfinite(p.reactive_power_var) &&
         std::isfinite(p.apparent_power_va) && std::isfinite(p.power_factor) &&
         std::isfinite(p.voltage_thd_percent) && std::isfinite(p.current_thd_percent);
  }
  for (const auto& series : m.half_cycle_voltage_v) {
    for (const float v : series)
      ok = ok && std::isfinite(v);
  }
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < header_bytes) return 0;
  MetrologyConfig config;
  config.sample_rate_hz = 1800.0 + static_cast<double>((data[0] | (data[1] << 8)) % 15000);
  config.connection = static_cast<Connection>(data[2] % 4);
  config.nominal_frequency_hz = (data[3] & 2) != 0 ? 55.0 : (data[3] & 1) != 0 ? 60.0 : 50.0;
  config.has_neutral_current = (data[3] & 4) != 0;
  const bool add_sine = (data[3] & 8) != 0;
  const std::size_t block = 1 + static_cast<std::size_t>((data[4] | (data[5] << 8)) % 3000);
  const bool raw_floats = (data[6] & 1) != 0;
  const double sine_hz = config.nominal_frequency_hz * (0.9 + 0.2 * data[7] / 255.0);

  auto created = MetrologyEngine::create(config);
  if (!created) {
    require(!created.error().message.empty());
    return 0;
  }
  MetrologyEngine& engine = *created;
  const std::uint8_t* samples = data + header_bytes;
  const std::size_t sample_bytes = size - header_bytes;
  const std::size_t width = raw_floats ? 4 : 2;
  const auto total = static_cast<std::size_t>(signal_seconds * config.sample_rate_hz);

  bool have_previous = false;
  gridmeter::UtcMicros previous_end = 0;
  std::size_t count = 0;
  const auto check = [&](const Measurement& m) {
    require(m.duration_us > 0);
    require(!have_previous || m.start_utc_us == previous_end);
    require(m.half_cycle_count <= gridmeter::half_cycles_max);
    require(finite(m));
    have_previous = true;
    previous_end = m.end_utc_us();
    ++count;
  };

  SampleBuffer buffer(block);
  std::size_t cursor = 0;
  for (std::size_t done = 0; done < total;) {
    const std::size_t n = std::min(block, total - done);
    for (std::size_t k = 0; k < n; ++k) {
      const double t = static_cast<double>(done + k) / config.sample_rate_hz;
      const double sine = add_sine ? 325.0 * std::sin(2.0 * 3.14159265358979 * sine_hz * t) : 0.0;
      for (std::size_t c = 0; c < gridmeter::metrology::channel_count; ++c) {
        float value = 0.0F;
        if (sample_bytes >= width) {
          std::uint8_t bytes[4] = {};
          for (std::size_t b = 0; b < width; ++b) {
            bytes[b] = samples[cursor % sample_bytes];
            ++cursor;
          }
          if (raw_floats) {
            std::memcpy(&value, bytes, sizeof(value));
          } else {
            std::int16_t raw = 0;
            std::memcpy(&raw, bytes, sizeof(raw));
            value = static_cast<float>(raw) * (400.0F / 32768.0F);
          }
        }
        buffer.channel(static_cast<Channel>(c))[k] = value + static_cast<float>(c < 3 ? sine : 0.0);
      }
    }
    buffer.set_count(n);
    engine.process(buffer, check);
    done += n;
  }

  // A clean 1.5 s after whatever came before: every interval that starts in it measures the
  // clean sine (the engine holds no state from bad samples beyond their own interval).
  const auto clean = static_cast<std::size_t>(1.5 * config.sample_rate_hz);
  const gridmeter::UtcMicros clean_from =
      config.start_utc_us +
      static_cast<gridmeter::UtcMicros>(static_cast<double>(total) * 1e6 / config.sample_rate_hz);
  std::size_t clean_intervals = 0;
  for (std::size_t done = 0; done < clean;) {
    const std::size_t n = std::min(block, clean - done);
    for (std::size_t k = 0; k < n; ++k) {
      const double t = static_cast<double>(total + done + k) / config.sample_rate_hz;
      for (std::size_t c = 0; c < gridmeter::metrology::channel_count; ++c) {
        buffer.channel(static_cast<Channel>(c))[k] =
            c < 3 ? static_cast<float>(100.0 * std::sin(2.0 * 3.14159265358979 * sine_hz * t))
                  : 0.0F;
      }
    }
    buffer.set_count(n);
    engine.process(buffer, [&](const Measurement& m) {
      check(m);
      // Half a second in, the tracker has settled on the clean sine (100 V peak, in the u1
      // slot whatever the connection) and its RMS is back.
      if (m.start_utc_us >= clean_from + 500'000) {
        ++clean_intervals;
        require(std::abs(m.phases[0].voltage_v - 70.71) < 0.1);
      }
    });
    done += n;
  }
  engine.flush(check);
  require(count > 0);
  require(clean_intervals > 0);
  return 0;
}
