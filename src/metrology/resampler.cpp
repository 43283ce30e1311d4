#include "metrology/resampler.hpp"

#include <algorithm>  // std::min
#include <cassert>    // assert
#include <cmath>      // std::sin, std::sqrt
#include <cstdint>    // std::int64_t
#include <cstring>    // std::memcpy
#include <numbers>    // std::numbers::pi
#include <vector>     // std::vector

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace gridmeter::metrology {
namespace {

constexpr double kaiser_beta = 8.0;

// Modified Bessel function of the first kind, order 0 (power series; converges fast for the
// arguments of a Kaiser window).
double bessel_i0(double x) {
  double sum = 1.0;
  double term = 1.0;
  for (int k = 1; k < 40; ++k) {
    const double factor = x / (2.0 * k);
    term *= factor * factor;
    sum += term;
  }
  return sum;
}

// Four lanes of float: SSE on x86-64, NEON on ARM, plain code elsewhere.
typedef float Lanes4 __attribute__((vector_size(16)));

Lanes4 load4(const float* p) {
  Lanes4 v;
  std::memcpy(&v, p, sizeof(v));
  return v;
}

// Where an output position falls: its tabulated tap row (followed by the difference to the
// next row), the fraction of the way to that next row, and the first input sample it reads.
struct Place {
  const float* row;
  float fraction;
  std::ptrdiff_t base;
};

Place place(const float* table, double position) {
  // Positions are never negative here (the caller keeps margins), so truncation is floor.
  const auto whole = static_cast<std::int64_t>(position);
  const double scaled =
      (position - static_cast<double>(whole)) * static_cast<double>(Resampler::phases);
  const auto phase = std::min(static_cast<std::size_t>(scaled), Resampler::phases - 1);
  return {table + phase * 2 * Resampler::taps,
          static_cast<float>(scaled - static_cast<double>(phase)),
          static_cast<std::ptrdiff_t>(whole) - static_cast<std::ptrdiff_t>(Resampler::taps_before)};
}

// The taps at a place: row + fraction · (next row - row), element by element.
void interpolate_row(const Place& at, float* taps) {
  for (std::size_t k = 0; k < Resampler::taps; ++k) {
    taps[k] = at.row[k] + at.fraction * at.row[Resampler::taps + k];
  }
}

// The dot product of 16 taps in the canonical order both paths share: lane j (of 8) holds
// r[j]·x[j] + r[j + 8]·x[j + 8], then ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
float dot16(const float* r, const float* x) {
  const Lanes4 low = load4(r) * load4(x) + load4(r + 8) * load4(x + 8);
  const Lanes4 high = load4(r + 4) * load4(x + 4) + load4(r + 12) * load4(x + 12);
  return ((low[0] + low[1]) + (low[2] + low[3])) + ((high[0] + high[1]) + (high[2] + high[3]));
}

void resample_generic(const float* table, std::span<const float* const> inputs,
                      std::span<const float> gains, double first, double step, std::size_t count,
                      std::span<float* const> outputs) {
  for (std::size_t m = 0; m < count; ++m) {
    const Place at = place(table, first + static_cast<double>(m) * step);
    float taps[Resampler::taps];
    interpolate_row(at, taps);
    for (std::size_t c = 0; c < inputs.size(); ++c) {
      outputs[c / 2][2 * m + c % 2] = dot16(taps, inputs[c] + at.base) * gains[c];
    }
  }
}

#if defined(__x86_64__)
// One channel's 16 taps as 8 lanes: lane j = r[j]·x[j] + r[j + 8]·x[j + 8].
__attribute__((target("avx2"))) inline __m256 lanes8(__m256 r0, __m256 r1, const float* x) {
  return _mm256_add_ps(_mm256_mul_ps(r0, _mm256_loadu_ps(x)),
                       _mm256_mul_ps(r1, _mm256_loadu_ps(x + 8)));
}

// The same arithmetic as resample_generic, 8 wide, for a fixed number of channel pairs held in
// registers. Horizontal adds reduce the lanes of two or four channels at once, pairing them
// exactly as dot16 does: ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)).
template <std::size_t Pairs>
__attribute__((target("avx2"))) void resample_avx2(const float* table,
                                                   std::span<const float* const> inputs,
                                                   std::span<const float> gains, double first,
                                                   double step, std::size_t count,
                                                   std::span<float* const> outputs) {
  const float* x[2 * Pairs];
  float* out[Pairs];
  for (std::size_t c = 0; c < 2 * Pairs; ++c)
    x[c] = inputs[c];
  for (std::size_t p = 0; p < Pairs; ++p)
    out[p] = outputs[p];
  const __m128 gains_01 =
      _mm_setr_ps(gains[0], gains[1], gains[2 % (2 * Pairs)], gains[3 % (2 * Pairs)]);
  const __m128 gains_last = _mm_setr_ps(gains[2 * Pairs - 2], gains[2 * Pairs - 1],
                                        gains[2 * Pairs - 2], gains[2 * Pairs - 1]);
  for (std::size_t m = 0; m < count; ++m) {
    const Place at = place(table, first + static_cast<double>(m) * step);
    const __m256 fraction = _mm256_set1_ps(at.fraction);
    const __m256 r0 = _mm256_add_ps(_mm256_loadu_ps(at.row),
                                    _mm256_mul_ps(fraction, _mm256_loadu_ps(at.row + 16)));
    const __m256 r1 = _mm256_add_ps(_mm256_loadu_ps(at.row + 8),
                                    _mm256_mul_ps(fraction, _mm256_loadu_ps(at.row + 24)));
    if constexpr (Pairs >= 2) {
      // Pairs 0 and 1 together.
      const __m256 h = _mm256_hadd_ps(
          _mm256_hadd_ps(lanes8(r0, r1, x[0] + at.base), lanes8(r0, r1, x[1] + at.base)),
          _mm256_hadd_ps(lanes8(r0, r1, x[2] + at.base), lanes8(r0, r1, x[3] + at.base)));
      const __m128 sums =
          _mm_mul_ps(_mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1)), gains_01);
      _mm_storel_pi(reinterpret_cast<__m64*>(out[0] + 2 * m), sums);
      _mm_storeh_pi(reinterpret_cast<__m64*>(out[1] + 2 * m), sums);
    }
    if constexpr (Pairs % 2 == 1) {
      // The last (odd) pair alone.
      const std::size_t c = 2 * Pairs - 2;
      const __m256 half =
          _mm256_hadd_ps(lanes8(r0, r1, x[c] + at.base), lanes8(r0, r1, x[c + 1] + at.base));
      const __m256 h = _mm256_hadd_ps(half, half);
      const __m128 sums = _mm_mul_ps(
          _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1)), gains_last);
      _mm_storel_pi(reinterpret_cast<__m64*>(out[Pairs - 1] + 2 * m), sums);
    }
  }
}

bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}
#endif

}  // namespace

Resampler::Resampler(bool allow_wide) : table_(phases * 2 * taps) {
  const double half = static_cast<double>(taps) / 2.0;
  const double window_norm = bessel_i0(kaiser_beta);
  std::vector<double> rows((phases + 1) * taps);
  for (std::size_t phase = 0; phase <= phases; ++phase) {
    const double offset = static_cast<double>(phase) / static_cast<double>(phases);
    double* row = rows.data() + phase * taps;
    double sum = 0.0;
    for (std::size_t k = 0; k < taps; ++k) {
      // Distance from the tap (floor(position) - taps_before + k) to the position.
      const double distance = static_cast<double>(k) - static_cast<double>(taps_before) - offset;
      const double x = distance / half;
      const double window =
          x * x >= 1.0 ? 0.0 : bessel_i0(kaiser_beta * std::sqrt(1.0 - x * x)) / window_norm;
      const double sinc =
          distance == 0.0 ? 1.0
                          : std::sin(std::numbers::pi * distance) / (std::numbers::pi * distance);
      row[k] = sinc * window;
      sum += row[k];
    }
    for (std::size_t k = 0; k < taps; ++k)
      row[k] /= sum;
  }
  // Each entry: the row of a phase, then its difference to the next phase's row.
  for (std::size_t phase = 0; phase < phases; ++phase) {
    for (std::size_t k = 0; k < taps; ++k) {
      const auto here = static_cast<float>(rows[phase * taps + k]);
      const auto next = static_cast<float>(rows[(phase + 1) * taps + k]);
      table_[phase * 2 * taps + k] = here;
      table_[phase * 2 * taps + taps + k] = next - here;
    }
  }
#if defined(__x86_64__)
  wide_ = allow_wide && cpu_has_avx2();
#else
  (void)allow_wide;
#endif
}

void Resampler::resample_pairs(std::span<const float* const> inputs, std::span<const float> gains,
                               double first, double step, std::size_t count,
                               std::span<float* const> outputs) const {
  assert(inputs.size() == gains.size());
  assert(inputs.size() == 2 * outputs.size());
  static_assert(taps == 16, "dot16 and the AVX2 path are written for 16 taps");
#if defined(__x86_64__)
  if (wide_) {
    switch (outputs.size()) {
      case 1:
        return resample_avx2<1>(table_.data(), inputs, gains, first, step, count, outputs);
      case 2:
        return resample_avx2<2>(table_.data(), inputs, gains, first, step, count, outputs);
      case 3:
        return resample_avx2<3>(table_.data(), inputs, gains, first, step, count, outputs);
      default:
        break;  // any other count takes the generic path
    }
  }
#endif
  resample_generic(table_.data(), inputs, gains, first, step, count, outputs);
}

}  // namespace gridmeter::metrology
