#include "core/clock.hpp"

#include <chrono>
#include <cmath>

namespace gridmeter {

// The one place in the core that reads the operating system's clock.
UtcMicros SystemClock::now() const {
  const auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return std::chrono::duration_cast<std::chrono::microseconds>(since_epoch).count();
}

ScaledClock::ScaledClock(const Clock& base, UtcMicros start, double speed)
    : base_(base), base_origin_(base.now()), start_(start), speed_(speed) {}

UtcMicros ScaledClock::now() const {
  const auto elapsed = static_cast<double>(base_.now() - base_origin_);
  return start_ + static_cast<UtcMicros>(std::llround(elapsed * speed_));
}

}  // namespace gridmeter
