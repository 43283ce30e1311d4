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

#include <cmath>    // std::fabs
#include <cstdint>  // std::uint64_t

namespace gridmeter {

inline constexpr std::uint64_t picojoules_per_watt_hour = 3'600'000'000'000'000ULL;  // 3.6e15

// Rounds a power to whole microwatts, the accumulators' input resolution; negative powers
// count as zero. Written without branches and through a signed conversion (one instruction;
// the unsigned one is a branch and two conversions on x86-64): it runs twelve times an interval.
inline std::uint64_t power_to_microwatts(double power_w) {
  // Adding 0.5 then truncating rounds half up, exactly right for the non-negative values here.
  const double microwatts =
      power_w > 0.0 ? power_w * 1e6 + 0.5 : 0.0;  // NOLINT(bugprone-incorrect-roundings)
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(microwatts));
}

// |power| in whole microwatts, without a sign test (the caller's sign already chose the
// register).
inline std::uint64_t magnitude_to_microwatts(double power_w) {
  const double microwatts = std::fabs(power_w) * 1e6 + 0.5;  // NOLINT(bugprone-incorrect-roundings)
  return static_cast<std::uint64_t>(static_cast<std::int64_t>(microwatts));
}

class EnergyAccumulator {
 public:
  // Adds power × duration. Increments gather in a 64-bit word and fold into the 128-bit total
  // only when that word passes 2^63 (about once a year at 100 kW): one store per interval
  // instead of two, which matters at sixteen registers an interval.
  void add(std::uint64_t power_uw, std::uint64_t duration_us) {
    add_picojoules(power_uw * duration_us);
  }
  // pending_ < 2^63 before, and an increment ≤ 2^63 (46 MW for 200 ms): no overflow.
  void add_picojoules(std::uint64_t increment_pj) {
    pending_ += increment_pj;
    if (pending_ >= fold_threshold) fold();
  }

  // Whole watt-hours (truncated): the value a Register with scaler 0 and unit Wh exposes.
  [[nodiscard]] std::uint64_t watt_hours() const;
  // Whole units of 10^scaler Wh (truncated), scaler_min..scaler_max: the value of a Register
  // with that scaler, e.g. -3 for mWh.
  static constexpr int scaler_min = -6;
  static constexpr int scaler_max = 3;
  [[nodiscard]] std::uint64_t in_units(int scaler) const;
  // Energy in Wh as a double, for display and tests that need fractions of a Wh.
  [[nodiscard]] double watt_hours_exact() const;

  // The total in picojoules as two 64-bit words (how the store persists it).
  [[nodiscard]] std::uint64_t high_word() const { return normalized().high_; }
  [[nodiscard]] std::uint64_t low_word() const { return normalized().low_; }
  static EnergyAccumulator from_words(std::uint64_t high, std::uint64_t low) {
    EnergyAccumulator accumulator;
    accumulator.high_ = high;
    accumulator.low_ = low;
    return accumulator;
  }

  // The picojoules added since `earlier`, a copy of this register taken before: exact while
  // the increase is below 2^64 pJ (5124 Wh), as one measurement interval's always is.
  [[nodiscard]] std::uint64_t picojoules_since(const EnergyAccumulator& earlier) const {
    return normalized().low_ - earlier.normalized().low_;
  }

  friend EnergyAccumulator operator+(const EnergyAccumulator& x, const EnergyAccumulator& y) {
    const EnergyAccumulator a = x.normalized();
    const EnergyAccumulator b = y.normalized();
    EnergyAccumulator sum;
    sum.low_ = a.low_ + b.low_;
    sum.high_ = a.high_ + b.high_ + ((sum.low_ < a.low_) ? 1U : 0U);
    return sum;
  }
  friend bool operator==(const EnergyAccumulator& x, const EnergyAccumulator& y) {
    const EnergyAccumulator a = x.normalized();
    const EnergyAccumulator b = y.normalized();
    return a.high_ == b.high_ && a.low_ == b.low_;
  }
  friend bool operator<(const EnergyAccumulator& x, const EnergyAccumulator& y) {
    const EnergyAccumulator a = x.normalized();
    const EnergyAccumulator b = y.normalized();
    return a.high_ != b.high_ ? a.high_ < b.high_ : a.low_ < b.low_;
  }

 private:
  static constexpr std::uint64_t fold_threshold = 1ULL << 63U;

  void fold() {
    low_ += pending_;
    high_ += (low_ < pending_) ? 1U : 0U;  // carry
    pending_ = 0;
  }
  [[nodiscard]] EnergyAccumulator normalized() const {
    EnergyAccumulator copy = *this;
    copy.fold();
    return copy;
  }

  std::uint64_t high_ = 0;     // folded total: picojoules / 2^64
  std::uint64_t low_ = 0;      // folded total: picojoules mod 2^64
  std::uint64_t pending_ = 0;  // picojoules added since the last fold
};

}  // namespace gridmeter
