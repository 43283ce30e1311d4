#include "metrology/harmonic_analyzer.hpp"

#include <cassert>  // assert
#include <cmath>    // std::sqrt, std::abs
#include <cstring>  // std::memcpy

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

HarmonicAnalyzer::HarmonicAnalyzer() : bins_(fft_size) {
  std::size_t bytes = 0;
  kiss_fft_alloc(static_cast<int>(fft_size), 0, nullptr, &bytes);
  plan_memory_.resize(bytes / sizeof(std::max_align_t) + 1);
  std::size_t available = plan_memory_.size() * sizeof(std::max_align_t);
  plan_ = kiss_fft_alloc(static_cast<int>(fft_size), 0, plan_memory_.data(), &available);
  assert(plan_ != nullptr);
}

void HarmonicAnalyzer::analyze_pair(const float* pair, std::size_t cycles,
                                    const std::array<double, 2>& scales,
                                    const std::array<double, 2>& floors, HarmonicSpectrum& a,
                                    HarmonicSpectrum& b) {
  assert(cycles * (harmonic_order_max + 1) < fft_size / 2);
  static_assert(sizeof(kiss_fft_cpx) == 2 * sizeof(float));
  // kiss_fft_cpx is {r, i}: the interleaved floats are already its layout.
  kiss_fft_cpx input[fft_size];
  std::memcpy(input, pair, sizeof(input));
  kiss_fft(plan_, input, bins_.data());
  // Split bin k into the two real signals' bins: A = (Z_k + conj Z_{N-k}) / 2,
  // B = (Z_k - conj Z_{N-k}) / 2j.
  const auto split = [&](std::size_t k, std::complex<double>& x, std::complex<double>& y) {
    const std::complex<double> z(bins_[k].r, bins_[k].i);
    const std::size_t mirror = k == 0 ? 0 : fft_size - k;
    const std::complex<double> w(bins_[mirror].r, -static_cast<double>(bins_[mirror].i));
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
