// Fft: forward complex FFT of single-precision data held as separate real and imaginary arrays
// (structure of arrays), for a power-of-two size chosen at construction.
//
//   Fft fft(1024);                                   // twiddles and bit-reversal table, once
//   fft.forward(re_in, im_in, re_out, im_out);       // X_k = sum_n x_n e^{-2 pi j k n / N}
//   fft.forward_interleaved(pairs, re_out, im_out);  // input as {re, im} pairs
//
// Iterative decimation in time: the input is read in bit-reversed order, then radix-4 passes
// (each two radix-2 stages fused, three twiddle products per butterfly), preceded by one
// radix-2 pass when log2 N is odd. Sums are accumulated in float, twiddles computed in double
// and rounded once. The transform allocates nothing and is not in place: the outputs must not
// overlap the inputs.
//
// Speed: the butterflies of each pass run over contiguous k in fixed chunks of 8 so that the
// compiler vectorizes them at -O2; on x86-64 CPUs with AVX2 (checked at run time) the same
// source is compiled 8 wide. Neither path contracts to FMA, so both give bit-identical results.
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t
#include <vector>   // std::vector

namespace gridmeter::metrology {

class Fft {
 public:
  // `size` a power of two, at least 1. `allow_wide` false keeps the generic path even on an
  // AVX2 CPU (to compare the two).
  explicit Fft(std::size_t size, bool allow_wide = true);

  [[nodiscard]] std::size_t size() const { return size_; }

  // `in_re`, `in_im`: size() points each; `out_re`, `out_im`: size() bins each.
  void forward(const float* in_re, const float* in_im, float* out_re, float* out_im) const;
  // `in`: size() complex points as interleaved {re, im} floats.
  void forward_interleaved(const float* in, float* out_re, float* out_im) const;

 private:
  template <bool Interleaved>
  void run(const float* in_re, const float* in_im, float* out_re, float* out_im) const;

  std::size_t size_;
  bool odd_ = false;                     // log2 size is odd: one radix-2 pass first
  std::vector<std::uint32_t> reversed_;  // bit-reversed index of each position
  std::vector<float> twiddles_;          // per radix-4 pass of quarter q >= 2: 6 arrays of q
  bool wide_ = false;                    // the CPU has AVX2
};

}  // namespace gridmeter::metrology
