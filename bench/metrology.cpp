// How fast the metrology engine turns samples into measurements, on one core.
//
//   build/bench/bench_metrology
//
// Three-phase 4-wire with a measured neutral at 8 kHz, 50 Hz: 7 channels per sample instant,
// harmonics and noise in every channel, everything computed (RMS, P, Q, Urms(1/2), THD and 40
// subgroups per channel, unbalance, neutral). 10 s of samples (exactly 500 cycles, so the
// stream loops without a seam) are synthesised once and fed again and again.
// Counters: items_per_second = sample instants (sets of 7 channels) per second;
// meters_realtime = how many such meters one core keeps up with (rate / 8000).
// BM_SumSquaresBaseline only sums the squares of every channel of the same buffers, in the
// same run: the floor for touching the data at all. The ratio of the two is printed last.
// The pieces (tracker; resampler and FFTs) have their own rows, per sample instant as well.
#include <benchmark/benchmark.h>

#include <algorithm>  // std::min
#include <array>      // std::array
#include <cstddef>    // std::size_t
#include <cstdint>    // std::int64_t
#include <cstdio>     // std::printf
#include <cstring>    // std::memcpy
#include <string>     // std::string
#include <vector>     // std::vector

#include "meter/measurement.hpp"
#include "metrology/harmonic_analyzer.hpp"
#include "metrology/metrology_engine.hpp"
#include "metrology/reference_tracker.hpp"
#include "metrology/resampler.hpp"
#include "metrology/samples.hpp"
#include "sim/waveform_generator.hpp"

namespace {

using gridmeter::Connection;
using gridmeter::Measurement;
using gridmeter::metrology::Channel;
using gridmeter::metrology::SampleBuffer;

constexpr double sample_rate_hz = 8000.0;
constexpr std::size_t block_samples = 4000;  // 0.5 s
constexpr std::size_t blocks = 20;           // 10 s, 500 cycles

const std::vector<SampleBuffer>& stream() {
  static const std::vector<SampleBuffer> buffers = [] {
    gridmeter::sim::WaveformConfig config;
    config.sample_rate_hz = sample_rate_hz;
    config.connection = Connection::three_phase_4w;
    config.has_neutral_current = true;
    config.phases = gridmeter::sim::balanced_phases(230.0, 12.0, 25.0);
    for (auto& phase : config.phases) {
      phase.voltage_harmonics = {{.order = 3, .fraction = 0.02}, {.order = 5, .fraction = 0.04}};
      phase.current_harmonics = {{.order = 3, .fraction = 0.3}, {.order = 5, .fraction = 0.15}};
    }
    config.phases[1].current_rms_a = 4.0;
    config.voltage_noise_v = 0.05;
    config.current_noise_a = 0.001;
    auto generator = gridmeter::sim::WaveformGenerator::create(config);
    std::vector<SampleBuffer> out;
    for (std::size_t b = 0; b < blocks; ++b) {
      out.emplace_back(block_samples);
      (void)(*generator)->read(out.back());
    }
    return out;
  }();
  return buffers;
}

void set_counters(benchmark::State& state) {
  const auto instants = static_cast<double>(blocks * block_samples);
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(blocks * block_samples));
  state.counters["meters_realtime"] =
      benchmark::Counter(instants / sample_rate_hz, benchmark::Counter::kIsIterationInvariantRate);
}

void BM_MetrologyEngine3p4w8kHz(benchmark::State& state) {
  const std::vector<SampleBuffer>& buffers = stream();
  auto engine =
      gridmeter::metrology::MetrologyEngine::create({.connection = Connection::three_phase_4w,
                                                     .nominal_frequency_hz = 50.0,
                                                     .sample_rate_hz = sample_rate_hz,
                                                     .has_neutral_current = true});
  if (!engine) {
    state.SkipWithError(engine.error().message.c_str());
    return;
  }
  double energy_ws = 0.0;
  std::size_t intervals = 0;
  for (auto _ : state) {
    for (const SampleBuffer& buffer : buffers) {
      engine->process(buffer, [&](const Measurement& m) {
        energy_ws += m.phases[0].active_power_w * static_cast<double>(m.duration_us);
        ++intervals;
      });
    }
    benchmark::DoNotOptimize(energy_ws);
  }
  set_counters(state);
  state.counters["intervals"] = static_cast<double>(intervals);
}

// 4-lane float partial sums, added into double every block: the same arithmetic the engine's
// sums use, so the baseline is the cost of reading every sample once.
void BM_SumSquaresBaseline(benchmark::State& state) {
  typedef float Lanes4 __attribute__((vector_size(16)));
  const std::vector<SampleBuffer>& buffers = stream();
  double total = 0.0;
  for (auto _ : state) {
    for (const SampleBuffer& buffer : buffers) {
      for (std::size_t c = 0; c < gridmeter::metrology::channel_count; ++c) {
        const float* x = buffer.channel(static_cast<Channel>(c));
        for (std::size_t start = 0; start < buffer.count(); start += 512) {
          Lanes4 sum{};
          const std::size_t end = std::min(buffer.count(), start + 512);
          for (std::size_t n = start; n + 4 <= end; n += 4) {
            Lanes4 v;
            std::memcpy(&v, x + n, sizeof(v));
            sum += v * v;
          }
          total += static_cast<double>((sum[0] + sum[2]) + (sum[1] + sum[3]));
        }
      }
    }
    benchmark::DoNotOptimize(total);
  }
  set_counters(state);
}

// The reference channel's filters and zero crossings alone.
void BM_ReferenceTracker(benchmark::State& state) {
  const std::vector<SampleBuffer>& buffers = stream();
  gridmeter::metrology::ReferenceTracker tracker(
      {.sample_rate_hz = sample_rate_hz, .nominal_frequency_hz = 50.0, .nominal_peak = 325.3});
  std::size_t boundaries = 0;
  for (auto _ : state) {
    for (const SampleBuffer& buffer : buffers) {
      const float* u = buffer.channel(Channel::u1);
      for (std::size_t n = 0; n < buffer.count(); n += 500) {
        tracker.feed(u + n, 500);
        while (tracker.pop())
          ++boundaries;
      }
    }
    benchmark::DoNotOptimize(boundaries);
  }
  set_counters(state);
}

// Resampling six channels and their three FFTs, one 10-cycle window per 1600 sample instants.
void BM_ResampleAndFft(benchmark::State& state) {
  const std::vector<SampleBuffer>& buffers = stream();
  const gridmeter::metrology::Resampler resampler;
  const std::size_t points = gridmeter::metrology::fft_size;
  std::vector<gridmeter::metrology::HarmonicAnalyzer> analyzers(3);
  std::vector<float> out(3 * 2 * points);
  gridmeter::metrology::HarmonicSpectrum u;
  gridmeter::metrology::HarmonicSpectrum i;
  const std::array<float, 6> gains{1.0F, 1.0F, 1.0F, 1.0F, 1.0F, 1.0F};
  const std::size_t windows_per_block = block_samples / 1600;
  for (auto _ : state) {
    for (const SampleBuffer& buffer : buffers) {
      std::array<const float*, 6> inputs{};
      std::array<float*, 3> outputs{};
      for (std::size_t pair = 0; pair < 3; ++pair) {
        inputs[2 * pair] = buffer.channel(static_cast<Channel>(pair));
        inputs[2 * pair + 1] = buffer.channel(static_cast<Channel>(3 + pair));
        outputs[pair] = out.data() + pair * 2 * points;
      }
      for (std::size_t w = 0; w < windows_per_block; ++w) {
        const double first = 10.3 + 1600.0 * static_cast<double>(w);
        resampler.resample_pairs(inputs, gains, first, 1600.0 / static_cast<double>(points), points,
                                 outputs);
        for (std::size_t pair = 0; pair < 3; ++pair) {
          analyzers[pair].analyze_pair(outputs[pair], 10, {1.0, 1.0}, {1.0, 1.0}, u, i);
        }
      }
    }
    benchmark::DoNotOptimize(u);
    benchmark::DoNotOptimize(i);
  }
  // Per sample instant, as if every 1600 instants had one window.
  state.SetItemsProcessed(state.iterations() *
                          static_cast<std::int64_t>(blocks * windows_per_block * 1600));
}

BENCHMARK(BM_MetrologyEngine3p4w8kHz)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SumSquaresBaseline)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ReferenceTracker)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_ResampleAndFft)->Unit(benchmark::kMillisecond);

// Prints the usual table, then the engine's throughput relative to the baseline.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      const auto rate = run.counters.find("items_per_second");
      if (rate == run.counters.end()) continue;
      const std::string name = run.benchmark_name();
      if (name.find("MetrologyEngine") != std::string::npos) engine_rate_ = rate->second.value;
      if (name.find("SumSquaresBaseline") != std::string::npos) baseline_rate_ = rate->second.value;
    }
    ConsoleReporter::ReportRuns(runs);
  }
  void Finalize() override {
    ConsoleReporter::Finalize();
    if (engine_rate_ > 0.0 && baseline_rate_ > 0.0) {
      std::printf(
          "engine: %.1f M sample sets/s = %.0f meters in real time at 8 kHz; baseline (sum of "
          "squares): %.1f M/s; engine / baseline = %.3f (baseline %.1fx faster)\n",
          engine_rate_ / 1e6, engine_rate_ / sample_rate_hz, baseline_rate_ / 1e6,
          engine_rate_ / baseline_rate_, baseline_rate_ / engine_rate_);
    }
  }

 private:
  double engine_rate_ = 0.0;
  double baseline_rate_ = 0.0;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  benchmark::Shutdown();
  return 0;
}
