// HarmonicAnalyzer: harmonic subgroups, THD and the fundamental phasor of two channels over
// one measurement interval, from one FFT (metrology/fft.hpp) of the window resampled to 1024
// points.
//
//   HarmonicAnalyzer analyzer;                         // allocates the FFT tables once
//   HarmonicSpectrum u, i;
//   // pair: 1024 complex points, u1 / u_rms in the real parts, i1 / i_rms in the imaginary.
//   analyzer.analyze_pair(pair, 10, {u_rms, i_rms}, {2.3, 0.016}, u, i);   // 10 cycles
//   u.subgroup_rms[5];     // 5th harmonic subgroup of u1, RMS volts
//
// IEC 61000-4-7 (2002 + A1 2008): the window is 10 cycles at 50 Hz or 12 cycles at 60 Hz
// (clause 4.4.1), rectangular, synchronised to the fundamental, so the DFT bins are 5 Hz apart
// and harmonic h sits in bin cycles × h. The harmonic subgroup G_sg,h (clause 5.6, eq. 9) is
// the root of the sum of squares of that bin and its two neighbours; THD here is the group
// total distortion of subgroups THDS (annex A, eq. A.3) up to the 40th order:
//   THDS = sqrt(sum over h = 2..40 of G_sg,h^2) / G_sg,1.
//
// Two real signals share one complex FFT (z = a + j b gives A_k = (Z_k + conj Z_{N-k}) / 2 and
// B_k = (Z_k - conj Z_{N-k}) / 2j): the work of a real FFT per channel. The caller scales both to
// about unit RMS first, so that float rounding in the larger (a voltage) does not drown the smaller
// (a current of a few mA).
#pragma once

#include <array>    // std::array
#include <complex>  // std::complex
#include <cstddef>  // std::size_t
#include <vector>   // std::vector

#include "metrology/fft.hpp"

namespace gridmeter::metrology {

inline constexpr std::size_t harmonic_order_max = 40;

// Points per window: enough for the subgroup of the 40th harmonic (bin 401 of 10 cycles, 481
// of 12), and a size whose integer harmonics above its Nyquist frequency fold onto bins 4 (or
// 6, 8) past a multiple of the cycles, never onto a harmonic subgroup (N mod cycles is not 0
// or ±1: 1024 mod 10 = 4, 1024 mod 12 = 4), and a power of two for the radix-4 FFT.
inline constexpr std::size_t fft_size = 1024;

struct HarmonicSpectrum {
  // RMS of each harmonic subgroup, indexed by order: [1] is the fundamental, [0] the DC value.
  std::array<double, harmonic_order_max + 1> subgroup_rms{};
  // RMS phasor of the fundamental bin alone, angle of a cosine at the window start.
  std::complex<double> fundamental{};
  // THDS in percent; 0 when the fundamental is below the analyzer's floor.
  double thd_percent = 0.0;
};

class HarmonicAnalyzer {
 public:
  HarmonicAnalyzer();

  // `pair` holds fft_size complex points covering exactly `cycles` cycles (10 or 12): channel
  // a divided by scales[0] in the real parts, channel b divided by scales[1] in the imaginary
  // parts. `floors` (RMS) are the fundamentals below which THD is reported as 0.
  void analyze_pair(const float* pair, std::size_t cycles, const std::array<double, 2>& scales,
                    const std::array<double, 2>& floors, HarmonicSpectrum& a, HarmonicSpectrum& b);

 private:
  Fft fft_;
  std::vector<float> bins_re_;  // the fft_size bins of the last pair
  std::vector<float> bins_im_;
};

}  // namespace gridmeter::metrology
