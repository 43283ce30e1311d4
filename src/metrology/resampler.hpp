// Resampler: reads sampled waveforms at arbitrary fractional positions, so that a window of
// exactly 10 (12) cycles of the real frequency becomes 1024 equally spaced points for the FFT
// (IEC 61000-4-7 clause 4.4 wants the window synchronised to the fundamental; a whole number of
// input samples misses that by up to half a sample, 0.03 % at 8 kHz, too much for ±0.5 %
// harmonic subgroups).
//
//   const Resampler resampler;                          // builds its table once
//   // Two channels into one interleaved complex array (u1 real, i1 imaginary), each scaled:
//   resampler.resample_pairs({u1, i1}, {1.0F / u_rms, 1.0F / i_rms}, first, step, 1024, {out});
//   // out[2m] = u1(first + m·step) / u_rms, out[2m + 1] = i1(first + m·step) / i_rms;
//   // x[n] must be readable for n in [floor(first) - 7, floor(last position) + 8]
//
// Method: a 16-tap Kaiser-windowed sinc (beta 8), tabulated for 512 fractional offsets, each
// row normalised to unit DC gain, and interpolated linearly between the two nearest rows.
// Error of one interpolated value (worst over offsets) for a sine of frequency f:
//   <= 2e-4 up to f = 0.3125 fs (the 40th harmonic of 50 Hz at 6.4 kHz, of 60 Hz at 7.68 kHz)
//   1.5 % at 0.375 fs, 20 % at 0.43 fs.
// So harmonic results are specified up to 0.32 fs. No anti-alias filter is applied when the
// output rate is lower than the input rate: 1024 points per window are chosen so that an
// integer harmonic above the output Nyquist frequency never folds onto a harmonic subgroup
// (harmonic_analyzer.hpp).
//
// Speed: on x86-64 CPUs with AVX2 (checked at run time) the dot products run 8 wide. Both
// paths multiply and add in the same order, without fused multiply-add, so every CPU gives the
// same bits.
#pragma once

#include <cstddef>  // std::size_t
#include <span>     // std::span
#include <vector>   // std::vector

namespace gridmeter::metrology {

class Resampler {
 public:
  static constexpr std::size_t taps = 16;
  static constexpr std::size_t phases = 512;
  // Samples needed before floor(position) and after it.
  static constexpr std::size_t taps_before = taps / 2 - 1;
  static constexpr std::size_t taps_after = taps / 2;

  // `allow_wide` false keeps the generic path even on an AVX2 CPU (to compare the two).
  explicit Resampler(bool allow_wide = true);

  // For every pair p of channels (inputs[2p], inputs[2p + 1]) and m < count:
  //   outputs[p][2m + k] = inputs[2p + k] read at first + m·step, times gains[2p + k].
  // Positions are relative to inputs[c][0]; the taps around them must be readable.
  void resample_pairs(std::span<const float* const> inputs, std::span<const float> gains,
                      double first, double step, std::size_t count,
                      std::span<float* const> outputs) const;

 private:
  // Per phase: its row of taps, then the difference to the next phase's row (the last
  // phase's next row is offset 1.0).
  std::vector<float> table_;
  bool wide_ = false;  // the CPU has AVX2
};

}  // namespace gridmeter::metrology
