#include "meter/energy_accumulator.hpp"

#include <cassert>

namespace gridmeter {

// 128-by-64 division by long division in 32-bit halves, so no compiler extension is needed;
// only called when a register is read, never on the metering path.
std::uint64_t EnergyAccumulator::watt_hours() const { return in_units(0); }

std::uint64_t EnergyAccumulator::in_units(int scaler) const {
  assert(scaler >= scaler_min && scaler <= scaler_max);
  std::uint64_t divisor = picojoules_per_watt_hour;  // 10^0 Wh
  for (int s = 0; s < scaler; ++s)
    divisor *= 10U;
  for (int s = 0; s > scaler; --s)
    divisor /= 10U;
  // high_ < divisor holds for any real register (at scaler -6, breaking it takes 1.8e13 Wh),
  // so the quotient fits 64 bits. Divide (high_:low_) by the divisor bit by bit.
  const EnergyAccumulator total = normalized();
  assert(total.high_ < divisor);
  std::uint64_t remainder = total.high_;
  std::uint64_t quotient = 0;
  for (int bit = 63; bit >= 0; --bit) {
    // remainder < divisor < 2^62, so shifting left by one cannot overflow.
    remainder = (remainder << 1U) | ((total.low_ >> static_cast<unsigned>(bit)) & 1U);
    quotient <<= 1U;
    if (remainder >= divisor) {
      remainder -= divisor;
      quotient |= 1U;
    }
  }
  return quotient;
}

double EnergyAccumulator::watt_hours_exact() const {
  constexpr double two_to_64 = 18446744073709551616.0;
  const EnergyAccumulator total = normalized();
  return (static_cast<double>(total.high_) * two_to_64 + static_cast<double>(total.low_)) /
         static_cast<double>(picojoules_per_watt_hour);
}

}  // namespace gridmeter
