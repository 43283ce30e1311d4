// Per-second summaries of measurement intervals, for `gridmeter meter`'s table and JSON.
//
//   IntervalSummarizer seconds(phase_count);
//   seconds.add(measurement);                    // any number of intervals
//   for (const IntervalSummary& s : seconds.finish()) print(s);
//
// An interval belongs to the second its start falls in. Aggregation follows IEC 61000-4-30
// clause 5.x aggregation: RMS quantities (U, I) as the root of the mean square, powers,
// frequency and THD as arithmetic means, each weighted by interval duration; PF = P / S.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <vector>   // std::vector

#include <nlohmann/json.hpp>

#include "core/date_time.hpp"
#include "meter/measurement.hpp"

namespace gridmeter::app {

struct IntervalSummary {
  UtcMicros start_utc_us = 0;
  std::int64_t duration_us = 0;
  std::size_t interval_count = 0;
  std::array<PhaseMeasurement, phase_count_max> phases{};
  double frequency_hz = 0.0;
};

class IntervalSummarizer {
 public:
  IntervalSummarizer(std::size_t phase_count, std::int64_t period_us);
  void add(const Measurement& measurement);
  // The summaries of all periods so far, including the one in progress.
  std::vector<IntervalSummary> finish();

 private:
  struct Sums {
    double voltage_squared = 0, current_squared = 0, active = 0, reactive = 0, apparent = 0,
           frequency = 0, voltage_thd = 0, current_thd = 0;
  };
  void close_period();

  std::size_t phase_count_;
  std::int64_t period_us_;
  std::vector<IntervalSummary> done_;
  bool open_ = false;
  UtcMicros period_start_ = 0;
  std::int64_t weight_us_ = 0;
  std::size_t count_ = 0;
  std::array<Sums, phase_count_max> sums_{};
  double frequency_sum_ = 0;
};

// {"time": ISO 8601, "duration_s", "intervals", "frequency_hz", "phases": [{"voltage_v", …}]}
nlohmann::ordered_json summary_json(const IntervalSummary& summary, std::size_t phase_count,
                                    const TimeZone& zone);
nlohmann::ordered_json measurement_json(const Measurement& measurement, const TimeZone& zone);
// One table row per summary (or per measurement): time, then per phase U I P Q S PF f THDu THDi.
std::string summary_table_header(std::size_t phase_count);
std::string summary_table_row(UtcMicros start, const std::array<PhaseMeasurement, 3>& phases,
                              std::size_t phase_count, const TimeZone& zone);

}  // namespace gridmeter::app
