// The radix-4 FFT against a naive double-precision DFT, on tones and by Parseval.
#include <gtest/gtest.h>

#include <algorithm>  // std::max
#include <cmath>      // std::cos, std::sin, std::sqrt, std::abs
#include <complex>    // std::complex
#include <cstddef>    // std::size_t
#include <cstring>    // std::memcmp
#include <numbers>    // std::numbers::pi
#include <random>     // std::mt19937, std::uniform_real_distribution
#include <vector>     // std::vector

#include "metrology/fft.hpp"

namespace gridmeter::metrology {
namespace {

constexpr double pi = std::numbers::pi;

struct Signal {
  std::vector<float> re;
  std::vector<float> im;
};

Signal random_signal(std::size_t n, unsigned seed) {
  std::mt19937 engine(seed);
  std::uniform_real_distribution<float> uniform(-1.0F, 1.0F);
  Signal s{std::vector<float>(n), std::vector<float>(n)};
  for (std::size_t k = 0; k < n; ++k) {
    s.re[k] = uniform(engine);
    s.im[k] = uniform(engine);
  }
  return s;
}

std::vector<std::complex<double>> naive_dft(const Signal& s) {
  const std::size_t n = s.re.size();
  std::vector<std::complex<double>> out(n);
  for (std::size_t k = 0; k < n; ++k) {
    std::complex<double> sum;
    for (std::size_t t = 0; t < n; ++t) {
      // (k t) mod n keeps the angle exact for large products.
      const double angle = -2.0 * pi * static_cast<double>((k * t) % n) / static_cast<double>(n);
      sum += std::complex<double>(s.re[t], s.im[t]) *
             std::complex<double>(std::cos(angle), std::sin(angle));
    }
    out[k] = sum;
  }
  return out;
}

double rms(const Signal& s) {
  double sum = 0.0;
  for (std::size_t k = 0; k < s.re.size(); ++k)
    sum += static_cast<double>(s.re[k]) * s.re[k] + static_cast<double>(s.im[k]) * s.im[k];
  return std::sqrt(sum / static_cast<double>(s.re.size()));
}

TEST(FftForward, MatchesANaiveDftOnRandomInputs) {
  for (const std::size_t n : {1U, 2U, 4U, 8U, 16U, 32U, 64U, 128U, 1024U}) {
    for (const bool wide : {false, true}) {
      const Fft fft(n, wide);
      ASSERT_EQ(fft.size(), n);
      const Signal s = random_signal(n, static_cast<unsigned>(n));
      const std::vector<std::complex<double>> expected = naive_dft(s);
      std::vector<float> re(n);
      std::vector<float> im(n);
      fft.forward(s.re.data(), s.im.data(), re.data(), im.data());
      const double limit = 1e-5 * rms(s) * std::sqrt(static_cast<double>(n));
      double worst = 0.0;
      for (std::size_t k = 0; k < n; ++k)
        worst = std::max(worst, std::abs(std::complex<double>(re[k], im[k]) - expected[k]));
      EXPECT_LE(worst, limit) << "N = " << n << (wide ? " wide" : " generic");
    }
  }
}

TEST(FftForward, InterleavedInputGivesTheSameBits) {
  const std::size_t n = 1024;
  const Signal s = random_signal(n, 7);
  std::vector<float> pairs(2 * n);
  for (std::size_t k = 0; k < n; ++k) {
    pairs[2 * k] = s.re[k];
    pairs[2 * k + 1] = s.im[k];
  }
  const Fft fft(n);
  std::vector<float> re1(n);
  std::vector<float> im1(n);
  std::vector<float> re2(n);
  std::vector<float> im2(n);
  fft.forward(s.re.data(), s.im.data(), re1.data(), im1.data());
  fft.forward_interleaved(pairs.data(), re2.data(), im2.data());
  EXPECT_EQ(std::memcmp(re1.data(), re2.data(), n * sizeof(float)), 0);
  EXPECT_EQ(std::memcmp(im1.data(), im2.data(), n * sizeof(float)), 0);
}

TEST(FftForward, WideAndGenericPathsGiveTheSameBits) {
  for (const std::size_t n : {16U, 32U, 64U, 512U, 1024U}) {
    const Signal s = random_signal(n, 11);
    const Fft generic(n, false);
    const Fft wide(n, true);
    std::vector<float> re1(n);
    std::vector<float> im1(n);
    std::vector<float> re2(n);
    std::vector<float> im2(n);
    generic.forward(s.re.data(), s.im.data(), re1.data(), im1.data());
    wide.forward(s.re.data(), s.im.data(), re2.data(), im2.data());
    EXPECT_EQ(std::memcmp(re1.data(), re2.data(), n * sizeof(float)), 0) << "N = " << n;
    EXPECT_EQ(std::memcmp(im1.data(), im2.data(), n * sizeof(float)), 0) << "N = " << n;
  }
}

TEST(FftForward, PureTonesLandInTheirBin) {
  for (const std::size_t n : {16U, 64U, 1024U}) {
    const Fft fft(n);
    for (const std::size_t bin :
         {std::size_t{0}, std::size_t{1}, std::size_t{3}, n / 2 - 1, n / 2, n - 1}) {
      Signal s{std::vector<float>(n), std::vector<float>(n)};
      for (std::size_t t = 0; t < n; ++t) {
        const double angle =
            2.0 * pi * static_cast<double>((bin * t) % n) / static_cast<double>(n) + 0.4;
        s.re[t] = static_cast<float>(std::cos(angle));
        s.im[t] = static_cast<float>(std::sin(angle));
      }
      std::vector<float> re(n);
      std::vector<float> im(n);
      fft.forward(s.re.data(), s.im.data(), re.data(), im.data());
      const double size = static_cast<double>(n);
      for (std::size_t k = 0; k < n; ++k) {
        const double magnitude = std::abs(std::complex<double>(re[k], im[k]));
        if (k == bin) {
          EXPECT_NEAR(magnitude, size, 1e-5 * size) << "N = " << n << " bin " << bin;
          EXPECT_NEAR(std::arg(std::complex<double>(re[k], im[k])), 0.4, 1e-5);
        } else {
          EXPECT_LT(magnitude, 1e-5 * size) << "N = " << n << " bin " << bin << " k " << k;
        }
      }
    }
  }
}

TEST(FftForward, KeepsParseval) {
  for (const std::size_t n : {16U, 64U, 1024U}) {
    const Fft fft(n);
    const Signal s = random_signal(n, 3U + static_cast<unsigned>(n));
    std::vector<float> re(n);
    std::vector<float> im(n);
    fft.forward(s.re.data(), s.im.data(), re.data(), im.data());
    double energy_bins = 0.0;
    for (std::size_t k = 0; k < n; ++k)
      energy_bins += static_cast<double>(re[k]) * re[k] + static_cast<double>(im[k]) * im[k];
    const double energy_time = rms(s) * rms(s) * static_cast<double>(n);
    EXPECT_NEAR(energy_bins / static_cast<double>(n), energy_time, 1e-5 * energy_time)
        << "N = " << n;
  }
}

}  // namespace
}  // namespace gridmeter::metrology
