#include "metrology/harmonic_analyzer.hpp"

#include <cassert>  // assert
#include <cmath>    // std::sqrt, std::abs

namespace gridmeter::metrology {
namespace {

void fill(const std::array<double, harmonic_order_max + 1>& powers,
          std::complex<double> fundamental, double scale, double floor, HarmonicSpectrum& out) {
  // A cosine of RMS r at bin k (0 < k < N/2) gives |X_k| = r · N / sqrt(2).
  const double to_rms = scale * std::sqrt(2.0) / static_cast<double>(fft_size);
  double distortion = 0.0;
  for (std::size_t order = 1; order <= harmonic_order_max; ++order) {
    out.subgroup_rms[order] = std::sqrt(powers[order]) * to_rms;
    if (order >= 2) distortion += powers[order];
  }
  out.subgroup_rms[0] = std::sqrt(powers[0]) * scale / static_cast<double>(fft_size);
  out.fundamental = fundamental * to_rms;
  out.thd_percent = out.subgroup_rms[1] > floor ? 100.0 * std::sqrt(distortion / powers[1]) : 0.0;
}

}  // namespace

HarmonicAnalyzer::HarmonicAnalyzer() : fft_(fft_size), bins_re_(fft_size), bins_im_(fft_size) {}

void HarmonicAnalyzer::analyze_pair(const float* pair, std::size_t cycles,
                                    const std::array<double, 2>& scales,
                                    const std::array<double, 2>& floors, HarmonicSpectrum& a,
                                    HarmonicSpectrum& b) {
  assert(cycles * (harmonic_order_max + 1) < fft_size / 2);
  fft_.forward_interleaved(pair, bins_re_.data(), bins_im_.data());
  // Split bin k into the two real signals' bins: A = (Z_k + conj Z_{N-k}) / 2,
  // B = (Z_k - conj Z_{N-k}) / 2j.
  const auto split = [&](std::size_t k, std::complex<double>& x, std::complex<double>& y) {
    const std::complex<double> z(bins_re_[k], bins_im_[k]);
    const std::size_t mirror = k == 0 ? 0 : fft_size - k;
    const std::complex<double> w(bins_re_[mirror], -static_cast<double>(bins_im_[mirror]));
    const std::complex<double> d = z - w;
    x = (z + w) * 0.5;
    y = std::complex<double>(d.imag() * 0.5, -d.real() * 0.5);  // d / 2j
  };
  std::array<double, harmonic_order_max + 1> power_a{};
  std::array<double, harmonic_order_max + 1> power_b{};
  std::complex<double> x;
  std::complex<double> y;
  split(0, x, y);
  power_a[0] = std::norm(x);
  power_b[0] = std::norm(y);
  std::complex<double> fundamental_a;
  std::complex<double> fundamental_b;
  for (std::size_t order = 1; order <= harmonic_order_max; ++order) {
    const std::size_t centre = order * cycles;
    for (std::size_t k = centre - 1; k <= centre + 1; ++k) {
      split(k, x, y);
      power_a[order] += std::norm(x);
      power_b[order] += std::norm(y);
      if (k == cycles) {
        fundamental_a = x;
        fundamental_b = y;
      }
    }
  }
  fill(power_a, fundamental_a, scales[0], floors[0], a);
  fill(power_b, fundamental_b, scales[1], floors[1], b);
}

}  // namespace gridmeter::metrology
