// Clocks: where the parts outside the meter core get "now" from.
//
// The meter core never reads a clock: time arrives inside each Measurement. The edges that
// produce measurements in real time (`gridmeter run`) read one of these:
//
//   SystemClock system;                       // wall-clock UTC
//   ScaledClock fast(system, start, 60.0);    // a clock that runs 60 times faster from `start`
//   ManualClock test_clock(t0);               // tests and simulation: set explicitly
#pragma once

#include "core/time.hpp"

namespace gridmeter {

class Clock {
 public:
  Clock() = default;
  Clock(const Clock&) = delete;
  Clock& operator=(const Clock&) = delete;
  virtual ~Clock() = default;
  [[nodiscard]] virtual UtcMicros now() const = 0;
};

// The operating system's real-time clock (UTC).
class SystemClock final : public Clock {
 public:
  [[nodiscard]] UtcMicros now() const override;
};

// Set and advanced by hand: simulated time and tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(UtcMicros start) : now_(start) {}
  [[nodiscard]] UtcMicros now() const override { return now_; }
  void set(UtcMicros time) { now_ = time; }
  void advance(std::int64_t micros) { now_ += micros; }

 private:
  UtcMicros now_;
};

// Runs `speed` times faster than `base`, reading `start` at the moment it was made.
class ScaledClock final : public Clock {
 public:
  ScaledClock(const Clock& base, UtcMicros start, double speed);
  [[nodiscard]] UtcMicros now() const override;

 private:
  const Clock& base_;
  UtcMicros base_origin_;
  UtcMicros start_;
  double speed_;
};

}  // namespace gridmeter
