#include "metrology/fft.hpp"

#include <cassert>  // assert
#include <cmath>    // std::cos, std::sin
#include <numbers>  // std::numbers::pi

namespace gridmeter::metrology {
namespace {

// First pass, fused with the bit-reversed gather: radix-4 (quarter 1, no twiddles) when log2 N
// is even, radix-2 when odd. Interleaved input is {re, im} pairs in `in_re`.
template <bool Interleaved>
[[gnu::always_inline]] inline void first_pass(const float* __restrict in_re,
                                              const float* __restrict in_im,
                                              const std::uint32_t* __restrict reversed,
                                              std::size_t n, bool odd, float* __restrict re,
                                              float* __restrict im) {
  const auto load = [&](std::size_t i, float& r, float& m) {
    const std::size_t j = reversed[i];
    if constexpr (Interleaved) {
      r = in_re[2 * j];
      m = in_re[2 * j + 1];
    } else {
      r = in_re[j];
      m = in_im[j];
    }
  };
  if (n == 1) {
    load(0, re[0], im[0]);
    return;
  }
  if (odd) {
    for (std::size_t i = 0; i < n; i += 2) {
      float ar = 0.0F;
      float ai = 0.0F;
      float br = 0.0F;
      float bi = 0.0F;
      load(i, ar, ai);
      load(i + 1, br, bi);
      re[i] = ar + br;
      im[i] = ai + bi;
      re[i + 1] = ar - br;
      im[i + 1] = ai - bi;
    }
    return;
  }
  for (std::size_t i = 0; i < n; i += 4) {
    float ar = 0.0F;
    float ai = 0.0F;
    float br = 0.0F;
    float bi = 0.0F;
    float cr = 0.0F;
    float ci = 0.0F;
    float dr = 0.0F;
    float di = 0.0F;
    load(i, ar, ai);
    load(i + 1, br, bi);
    load(i + 2, cr, ci);
    load(i + 3, dr, di);
    // Two radix-2 stages: C = (a, b), D = (c, d), then Y = C ± D with -j on the odd half.
    const float c0r = ar + br;
    const float c0i = ai + bi;
    const float c1r = ar - br;
    const float c1i = ai - bi;
    const float d0r = cr + dr;
    const float d0i = ci + di;
    const float d1r = cr - dr;
    const float d1i = ci - di;
    re[i] = c0r + d0r;
    im[i] = c0i + d0i;
    re[i + 2] = c0r - d0r;
    im[i + 2] = c0i - d0i;
    re[i + 1] = c1r + d1i;  // C1 - j D1
    im[i + 1] = c1i - d1r;
    re[i + 3] = c1r - d1i;  // C1 + j D1
    im[i + 3] = c1i + d1r;
  }
}

// One radix-4 pass over blocks of 4 q points holding four DFTs of q points each (in the order
// bit reversal leaves them: a, b, c, d = even-even, even-odd... as two radix-2 stages would
// combine them). `tw` holds w^k, w^2k, w^3k (w = e^{-2 pi j / 4q}) as re/im arrays of q each.
// k runs in chunks of `Chunk` (q is a multiple of it) so the inner loop has a fixed count.
template <std::size_t Chunk>
[[gnu::always_inline]] inline void radix4_block(
    float* __restrict ar, float* __restrict ai, float* __restrict br, float* __restrict bi,
    float* __restrict cr, float* __restrict ci, float* __restrict dr, float* __restrict di,
    const float* __restrict w1r, const float* __restrict w1i, const float* __restrict w2r,
    const float* __restrict w2i, const float* __restrict w3r, const float* __restrict w3i,
    std::size_t q) {
  for (std::size_t k0 = 0; k0 < q; k0 += Chunk) {
    for (std::size_t v = 0; v < Chunk; ++v) {
      const std::size_t k = k0 + v;
      // b' = w^2k b, c' = w^k c, d' = w^3k d.
      const float xbr = br[k] * w2r[k] - bi[k] * w2i[k];
      const float xbi = br[k] * w2i[k] + bi[k] * w2r[k];
      const float xcr = cr[k] * w1r[k] - ci[k] * w1i[k];
      const float xci = cr[k] * w1i[k] + ci[k] * w1r[k];
      const float xdr = dr[k] * w3r[k] - di[k] * w3i[k];
      const float xdi = dr[k] * w3i[k] + di[k] * w3r[k];
      const float c0r = ar[k] + xbr;
      const float c0i = ai[k] + xbi;
      const float c1r = ar[k] - xbr;
      const float c1i = ai[k] - xbi;
      const float d0r = xcr + xdr;
      const float d0i = xci + xdi;
      const float d1r = xcr - xdr;
      const float d1i = xci - xdi;
      ar[k] = c0r + d0r;
      ai[k] = c0i + d0i;
      cr[k] = c0r - d0r;
      ci[k] = c0i - d0i;
      br[k] = c1r + d1i;  // C1 - j D1
      bi[k] = c1i - d1r;
      dr[k] = c1r - d1i;  // C1 + j D1
      di[k] = c1i + d1r;
    }
  }
}

// One radix-4 pass over blocks of 4 q points holding four DFTs of q points each, in the order
// bit reversal leaves them (a, b combined first, then c, d, as two radix-2 stages would).
// `tw` holds w^k, w^2k, w^3k (w = e^{-2 pi j / 4q}) as re/im arrays of q each. k runs in
// chunks of `Chunk` (q is a multiple of it) so the inner loop has a fixed count.
template <std::size_t Chunk>
[[gnu::always_inline]] inline void radix4_pass(float* re, float* im, std::size_t n, std::size_t q,
                                               const float* tw) {
  for (std::size_t base = 0; base < n; base += 4 * q) {
    float* ar = re + base;
    float* ai = im + base;
    radix4_block<Chunk>(ar, ai, ar + q, ai + q, ar + 2 * q, ai + 2 * q, ar + 3 * q, ai + 3 * q, tw,
                        tw + q, tw + 2 * q, tw + 3 * q, tw + 4 * q, tw + 5 * q, q);
  }
}

template <bool Interleaved>
[[gnu::always_inline]] inline void transform(const float* in_re, const float* in_im,
                                             const std::uint32_t* reversed, const float* tw,
                                             std::size_t n, bool odd, float* re, float* im) {
  first_pass<Interleaved>(in_re, in_im, reversed, n, odd, re, im);
  for (std::size_t q = odd ? 2 : 4; q < n; q *= 4) {
    if (q == 2) {
      radix4_pass<2>(re, im, n, q, tw);
    } else if (q == 4) {
      radix4_pass<4>(re, im, n, q, tw);
    } else {
      radix4_pass<8>(re, im, n, q, tw);
    }
    tw += 6 * q;
  }
}

template <bool Interleaved>
void transform_generic(const float* in_re, const float* in_im, const std::uint32_t* reversed,
                       const float* tw, std::size_t n, bool odd, float* re, float* im) {
  transform<Interleaved>(in_re, in_im, reversed, tw, n, odd, re, im);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define GRIDMETER_FFT_AVX2 1
template <bool Interleaved>
__attribute__((target("avx2"))) void transform_avx2(const float* in_re, const float* in_im,
                                                    const std::uint32_t* reversed, const float* tw,
                                                    std::size_t n, bool odd, float* re, float* im) {
  transform<Interleaved>(in_re, in_im, reversed, tw, n, odd, re, im);
}

bool cpu_has_avx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") != 0;
}
#endif

}  // namespace

Fft::Fft(std::size_t size, bool allow_wide) : size_(size), reversed_(size) {
  assert(size >= 1 && (size & (size - 1)) == 0);
  std::size_t bits = 0;
  while ((std::size_t{1} << bits) < size)
    ++bits;
  odd_ = bits % 2 == 1;
  for (std::size_t i = 0; i < size; ++i) {
    std::size_t r = 0;
    for (std::size_t b = 0; b < bits; ++b)
      r |= ((i >> b) & 1U) << (bits - 1 - b);
    reversed_[i] = static_cast<std::uint32_t>(r);
  }
  // Per radix-4 pass: w^k, w^2k, w^3k (m = 1, 2, 3), each as q re then q im.
  for (std::size_t q = odd_ ? 2 : 4; q < size; q *= 4) {
    for (std::size_t m = 1; m <= 3; ++m) {
      const std::size_t offset = twiddles_.size();
      twiddles_.resize(offset + 2 * q);
      for (std::size_t k = 0; k < q; ++k) {
        const double angle =
            -2.0 * std::numbers::pi * static_cast<double>(m * k) / static_cast<double>(4 * q);
        twiddles_[offset + k] = static_cast<float>(std::cos(angle));
        twiddles_[offset + q + k] = static_cast<float>(std::sin(angle));
      }
    }
  }
#ifdef GRIDMETER_FFT_AVX2
  wide_ = allow_wide && cpu_has_avx2();
#else
  (void)allow_wide;
#endif
}

template <bool Interleaved>
void Fft::run(const float* in_re, const float* in_im, float* out_re, float* out_im) const {
#ifdef GRIDMETER_FFT_AVX2
  if (wide_) {
    transform_avx2<Interleaved>(in_re, in_im, reversed_.data(), twiddles_.data(), size_, odd_,
                                out_re, out_im);
    return;
  }
#endif
  transform_generic<Interleaved>(in_re, in_im, reversed_.data(), twiddles_.data(), size_, odd_,
                                 out_re, out_im);
}

void Fft::forward(const float* in_re, const float* in_im, float* out_re, float* out_im) const {
  run<false>(in_re, in_im, out_re, out_im);
}

void Fft::forward_interleaved(const float* in, float* out_re, float* out_im) const {
  run<true>(in, nullptr, out_re, out_im);
}

}  // namespace gridmeter::metrology
