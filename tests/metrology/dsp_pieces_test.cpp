// The metrology engine's DSP pieces on their own: the resampler, the paired FFT analysis and
// the reference tracker.
#include <gtest/gtest.h>

#include <array>    // std::array
#include <cmath>    // std::sin, std::cos, std::abs, std::sqrt
#include <cstring>  // std::memcmp
#include <numbers>  // std::numbers::pi
#include <vector>   // std::vector

#include "metrology/harmonic_analyzer.hpp"
#include "metrology/reference_tracker.hpp"
#include "metrology/resampler.hpp"
#include "sim/hash_noise.hpp"

namespace gridmeter::metrology {
namespace {

constexpr double pi = std::numbers::pi;

TEST(MetrologyResampler, InterpolatesSinesWithinItsSpecification) {
  // A sine of frequency f (cycles per sample) read between the samples.
  const Resampler resampler;
  for (const double f : {0.00625, 0.05, 0.2, 0.3125}) {
    std::vector<float> x(4096);
    for (std::size_t n = 0; n < x.size(); ++n)
      x[n] = static_cast<float>(std::sin(2.0 * pi * f * static_cast<double>(n) + 0.3));
    std::vector<float> out(2 * 1000);
    const std::array<const float*, 2> inputs{x.data(), x.data()};
    const std::array<float, 2> gains{1.0F, 2.0F};
    const std::array<float*, 1> outputs{out.data()};
    const double first = 100.123;
    const double step = 1.61803;
    resampler.resample_pairs(inputs, gains, first, step, 1000, outputs);
    double worst = 0.0;
    for (std::size_t m = 0; m < 1000; ++m) {
      const double truth = std::sin(2.0 * pi * f * (first + step * static_cast<double>(m)) + 0.3);
      worst = std::max(worst, std::abs(out[2 * m] - truth));
      EXPECT_EQ(out[2 * m + 1], out[2 * m] * 2.0F);
    }
    EXPECT_LT(worst, 2.5e-4) << f;
  }
}

TEST(MetrologyResampler, WideAndGenericPathsGiveTheSameBits) {
  const Resampler wide(true);
  const Resampler generic(false);
  std::vector<std::vector<float>> channels(6, std::vector<float>(3000));
  for (std::size_t c = 0; c < 6; ++c) {
    for (std::size_t n = 0; n < 3000; ++n) {
      channels[c][n] = static_cast<float>(
          300.0 * sim::signed_from_bits16(sim::hash_key(1, c, static_cast<std::uint64_t>(n))));
    }
  }
  for (std::size_t pairs = 1; pairs <= 3; ++pairs) {
    std::array<const float*, 6> inputs{};
    std::array<float, 6> gains{};
    for (std::size_t c = 0; c < 2 * pairs; ++c) {
      inputs[c] = channels[c].data();
      gains[c] = 1.0F / static_cast<float>(c + 1);
    }
    std::vector<float> a(3 * 2 * 1024);
    std::vector<float> b(3 * 2 * 1024);
    std::array<float*, 3> out_a{a.data(), a.data() + 2048, a.data() + 4096};
    std::array<float*, 3> out_b{b.data(), b.data() + 2048, b.data() + 4096};
    wide.resample_pairs(std::span(inputs.data(), 2 * pairs), std::span(gains.data(), 2 * pairs),
                        37.77, 2.4414, 1024, std::span(out_a.data(), pairs));
    generic.resample_pairs(std::span(inputs.data(), 2 * pairs), std::span(gains.data(), 2 * pairs),
                           37.77, 2.4414, 1024, std::span(out_b.data(), pairs));
    EXPECT_EQ(0, std::memcmp(a.data(), b.data(), a.size() * sizeof(float))) << pairs;
  }
}

TEST(MetrologyHarmonicAnalyzer, SeparatesTheTwoSignalsOfAPair) {
  // u: 230 V fundamental at 10°, 5 % 3rd; i: 0.02 A fundamental at -50°, 30 % 5th; 10 and 12
  // cycles in the window.
  for (const double nominal : {50.0, 60.0}) {
    const std::size_t size = fft_size;
    const std::size_t cycles = nominal == 50.0 ? 10 : 12;
    std::vector<float> pair(2 * size);
    const double u_rms = 230.0 * std::sqrt(1.0025);
    const double i_rms = 0.02 * std::sqrt(1.09);
    for (std::size_t m = 0; m < size; ++m) {
      const double x = 2.0 * pi * static_cast<double>(cycles) * static_cast<double>(m) /
                       static_cast<double>(size);
      const double u = std::sqrt(2.0) * 230.0 * (std::cos(x + 0.1745329) + 0.05 * std::cos(3 * x));
      const double i = std::sqrt(2.0) * 0.02 * (std::cos(x - 0.8726646) + 0.3 * std::cos(5 * x));
      pair[2 * m] = static_cast<float>(u / u_rms);
      pair[2 * m + 1] = static_cast<float>(i / i_rms);
    }
    HarmonicAnalyzer analyzer;
    HarmonicSpectrum a;
    HarmonicSpectrum b;
    analyzer.analyze_pair(pair.data(), cycles, {u_rms, i_rms}, {1.0, 0.001}, a, b);
    EXPECT_NEAR(a.subgroup_rms[1], 230.0, 230.0 * 1e-6);
    EXPECT_NEAR(a.subgroup_rms[3], 11.5, 11.5 * 1e-5);
    EXPECT_NEAR(a.subgroup_rms[5], 0.0, 1e-4);
    EXPECT_NEAR(std::arg(a.fundamental), 0.1745329, 1e-6);
    EXPECT_NEAR(a.thd_percent, 5.0, 1e-4);
    EXPECT_NEAR(b.subgroup_rms[1], 0.02, 0.02 * 1e-6);
    EXPECT_NEAR(b.subgroup_rms[5], 0.006, 0.006 * 1e-5);
    EXPECT_NEAR(b.subgroup_rms[3], 0.0, 1e-8);
    EXPECT_NEAR(std::arg(b.fundamental), -0.8726646, 1e-6);
    EXPECT_NEAR(b.thd_percent, 30.0, 1e-4);
    // Below its floor a channel reports no THD.
    analyzer.analyze_pair(pair.data(), cycles, {u_rms, i_rms}, {1.0, 0.1}, a, b);
    EXPECT_EQ(b.thd_percent, 0.0);
  }
}

// Feeds one second of a 325 V peak sine of frequency f (with `harmonics` of the 3rd and 5th
// and a 7 V offset), returning the worst distance of a boundary from a zero crossing of the
// fundamental and the worst error of a boundary spacing, both in half cycles.
struct TrackerRun {
  double worst_offset = 0.0;
  double worst_spacing = 0.0;
  std::size_t boundaries = 0;
  double frequency_hz = 0.0;
};

TrackerRun track(double rate, double f, double harmonics) {
  TrackerRun run;
  ReferenceTracker tracker(
      {.sample_rate_hz = rate, .nominal_frequency_hz = 50.0, .nominal_peak = 325.27});
  std::vector<float> x(ReferenceTracker::feed_samples_max);
  std::int64_t n0 = 0;
  double previous = -1.0;
  while (n0 < static_cast<std::int64_t>(rate)) {
    for (std::size_t k = 0; k < x.size(); ++k) {
      const double theta =
          2.0 * pi * f * static_cast<double>(n0 + static_cast<std::int64_t>(k)) / rate;
      x[k] = static_cast<float>(
          325.27 * (std::sin(theta) +
                    harmonics * (std::sin(3.0 * theta + 1.0) + 0.6 * std::sin(5.0 * theta))) +
          7.0);
    }
    tracker.feed(x.data(), x.size());
    n0 += static_cast<std::int64_t>(x.size());
    while (const auto b = tracker.pop()) {
      EXPECT_TRUE(b->measured);
      const double half_cycles = b->position * 2.0 * f / rate;
      run.worst_offset =
          std::max(run.worst_offset, std::abs(half_cycles - std::round(half_cycles)));
      if (previous >= 0.0) {
        run.worst_spacing =
            std::max(run.worst_spacing, std::abs((b->position - previous) * 2.0 * f / rate - 1.0));
      }
      previous = b->position;
      ++run.boundaries;
    }
  }
  run.frequency_hz = tracker.frequency_hz();
  return run;
}

TEST(MetrologyReferenceTracker, PlacesBoundariesOnTheFundamentalsZeroCrossings) {
  for (const double rate : {2400.0, 6400.0, 7999.0, 16000.0}) {
    for (const double f : {42.5, 50.0, 57.5}) {
      // A DC offset does not move them: within 1e-4 of a half cycle (1 µs at 50 Hz).
      const TrackerRun clean = track(rate, f, 0.0);
      EXPECT_LT(clean.worst_offset, 1e-4) << rate << " " << f;
      EXPECT_GE(clean.boundaries, static_cast<std::size_t>(2.0 * f * 0.8)) << rate << " " << f;
      EXPECT_NEAR(clean.frequency_hz, f, 1e-4);
      // 8 % 3rd and 5 % 5th harmonic leave a constant offset of what the filters let through
      // (under 0.5 % of a half cycle), and the spacing exact.
      const TrackerRun distorted = track(rate, f, 0.08);
      EXPECT_LT(distorted.worst_offset, 5e-3) << rate << " " << f;
      EXPECT_LT(distorted.worst_spacing, 1e-4) << rate << " " << f;
      EXPECT_NEAR(distorted.frequency_hz, f, 1e-4);
    }
  }
}

}  // namespace
}  // namespace gridmeter::metrology
