// EnergyAccumulator: an energy register's exact integer count, drift-free over a meter's life.
//
//   EnergyAccumulator a;
//   a.add(power_to_microwatts(1000.0), 200'000);  // 1 kW for 200 ms
//   a.watt_hours();                               // whole Wh registered so far
//
// Each increment is P (rounded to 1 µW) times the interval (1 µs): an exact integer number of
// picojoules (µW·µs). Increments are summed in 128 bits (two 64-bit words), so nothing is lost
// however small the increment and however full the register: 100 kW for 100 years is 3.2e26 pJ,
// far below 2^128. A float register would stop counting a 5 W load once it held ~10 GWh.
#pragma once

#include <cstdint>  // std::uint64_t

namespace gridmeter {

inline constexpr std::uint64_t picojoules_per_watt_hour = 3'600'000'000'000'000ULL;  // 3.6e15

// Rounds a non-negative power to whole microwatts, the accumulators' input resolution.
// (Round half up by hand: std::llround is a library call on the metering hot path.)
inline std::uint64_t power_to_microwatts(double power_w) {
  return power_w > 0.0 ? static_cast<std::uint64_t>(power_w * 1e6 + 0.5) : 0U;
}

class EnergyAccumulator {
 public:
  // Adds power × duration. The product must fit 64 bits (1.8e19 pJ): any real meter interval
  // is far inside that (1 s at 18 MW).
  void add(std::uint64_t power_uw, std::uint64_t duration_us) {
    const std::uint64_t increment_pj = power_uw * duration_us;
    low_ += increment_pj;
    high_ += (low_ < increment_pj) ? 1U : 0U;  // carry
  }

  // Whole watt-hours (truncated): the value a Register with scaler 0 and unit Wh exposes.
  [[nodiscard]] std::uint64_t watt_hours() const;
  // Energy in Wh as a double, for display and tests that need fractions of a Wh.
  [[nodiscard]] double watt_hours_exact() const;

  [[nodiscard]] std::uint64_t high_word() const { return high_; }
  [[nodiscard]] std::uint64_t low_word() const { return low_; }
  static EnergyAccumulator from_words(std::uint64_t high, std::uint64_t low) {
    EnergyAccumulator accumulator;
    accumulator.high_ = high;
    accumulator.low_ = low;
    return accumulator;
  }

  friend EnergyAccumulator operator+(const EnergyAccumulator& x, const EnergyAccumulator& y) {
    EnergyAccumulator sum;
    sum.low_ = x.low_ + y.low_;
    sum.high_ = x.high_ + y.high_ + ((sum.low_ < x.low_) ? 1U : 0U);
    return sum;
  }
  friend bool operator==(const EnergyAccumulator&, const EnergyAccumulator&) = default;
  friend bool operator<(const EnergyAccumulator& x, const EnergyAccumulator& y) {
    return x.high_ != y.high_ ? x.high_ < y.high_ : x.low_ < y.low_;
  }

 private:
  std::uint64_t high_ = 0;  // picojoules / 2^64
  std::uint64_t low_ = 0;   // picojoules mod 2^64
};

}  // namespace gridmeter
