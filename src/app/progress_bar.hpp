// A one-line progress bar on standard error, drawn only when standard error is a terminal,
// so that piped and JSON output never contain it.
//
//   ProgressBar bar(start, end, zone);
//   bar.update(meter_time);   // cheap; redraws at most ten times a second
//   bar.finish();             // clears the line
#pragma once

#include <chrono>  // std::chrono::steady_clock

#include "core/date_time.hpp"
#include "core/time.hpp"

namespace gridmeter::app {

class ProgressBar {
 public:
  ProgressBar(UtcMicros start, UtcMicros end, const TimeZone& zone);
  void update(UtcMicros now);
  void finish();

 private:
  UtcMicros start_;
  UtcMicros end_;
  const TimeZone& zone_;
  bool enabled_;
  std::chrono::steady_clock::time_point wall_start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace gridmeter::app
