#include "app/interval_summary.hpp"

#include <fmt/format.h>

#include <cmath>

namespace gridmeter::app {
namespace {

double floor_to(UtcMicros time, std::int64_t period) {
  const std::int64_t q = time / period - ((time % period != 0 && time < 0) ? 1 : 0);
  return static_cast<double>(q * period);
}

nlohmann::ordered_json phase_json(const PhaseMeasurement& p) {
  return {{"voltage_v", p.voltage_v},
          {"current_a", p.current_a},
          {"active_power_w", p.active_power_w},
          {"reactive_power_var", p.reactive_power_var},
          {"apparent_power_va", p.apparent_power_va},
          {"power_factor", p.power_factor},
          {"frequency_hz", p.frequency_hz},
          {"voltage_thd_percent", p.voltage_thd_percent},
          {"current_thd_percent", p.current_thd_percent}};
}

}  // namespace

IntervalSummarizer::IntervalSummarizer(std::size_t phase_count, std::int64_t period_us)
    : phase_count_(phase_count), period_us_(period_us) {}

void IntervalSummarizer::add(const Measurement& m) {
  const auto start = static_cast<UtcMicros>(floor_to(m.start_utc_us, period_us_));
  if (open_ && start != period_start_) close_period();
  if (!open_) {
    open_ = true;
    period_start_ = start;
  }
  const auto weight = static_cast<double>(m.duration_us);
  for (std::size_t p = 0; p < phase_count_; ++p) {
    const PhaseMeasurement& phase = m.phases[p];
    Sums& sums = sums_[p];
    sums.voltage_squared += phase.voltage_v * phase.voltage_v * weight;
    sums.current_squared += phase.current_a * phase.current_a * weight;
    sums.active += phase.active_power_w * weight;
    sums.reactive += phase.reactive_power_var * weight;
    sums.apparent += phase.apparent_power_va * weight;
    sums.frequency += phase.frequency_hz * weight;
    sums.voltage_thd += phase.voltage_thd_percent * weight;
    sums.current_thd += phase.current_thd_percent * weight;
  }
  frequency_sum_ += m.frequency_hz * weight;
  weight_us_ += m.duration_us;
  ++count_;
}

void IntervalSummarizer::close_period() {
  IntervalSummary summary;
  summary.start_utc_us = period_start_;
  summary.duration_us = weight_us_;
  summary.interval_count = count_;
  const auto weight = static_cast<double>(weight_us_);
  if (weight > 0) {
    for (std::size_t p = 0; p < phase_count_; ++p) {
      const Sums& sums = sums_[p];
      PhaseMeasurement& out = summary.phases[p];
      out.voltage_v = std::sqrt(sums.voltage_squared / weight);
      out.current_a = std::sqrt(sums.current_squared / weight);
      out.active_power_w = sums.active / weight;
      out.reactive_power_var = sums.reactive / weight;
      out.apparent_power_va = sums.apparent / weight;
      out.power_factor =
          out.apparent_power_va > 0 ? out.active_power_w / out.apparent_power_va : 1.0;
      out.frequency_hz = sums.frequency / weight;
      out.voltage_thd_percent = sums.voltage_thd / weight;
      out.current_thd_percent = sums.current_thd / weight;
    }
    summary.frequency_hz = frequency_sum_ / weight;
  }
  done_.push_back(summary);
  open_ = false;
  weight_us_ = 0;
  count_ = 0;
  sums_ = {};
  frequency_sum_ = 0;
}

std::vector<IntervalSummary> IntervalSummarizer::finish() {
  if (open_) close_period();
  return std::move(done_);
}

nlohmann::ordered_json summary_json(const IntervalSummary& summary, std::size_t phase_count,
                                    const TimeZone& zone) {
  nlohmann::ordered_json phases = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < phase_count; ++p)
    phases.push_back(phase_json(summary.phases[p]));
  return {{"time", format_iso8601(summary.start_utc_us, zone)},
          {"duration_s", static_cast<double>(summary.duration_us) / 1e6},
          {"intervals", summary.interval_count},
          {"frequency_hz", summary.frequency_hz},
          {"phases", phases}};
}

nlohmann::ordered_json measurement_json(const Measurement& m, const TimeZone& zone) {
  nlohmann::ordered_json phases = nlohmann::ordered_json::array();
  for (std::size_t p = 0; p < phase_count(m.connection); ++p) {
    phases.push_back(phase_json(m.phases[p]));
  }
  return {{"start", format_iso8601(m.start_utc_us, zone)},
          {"duration_us", m.duration_us},
          {"frequency_hz", m.frequency_hz},
          {"neutral_current_a", m.neutral_current_a},
          {"voltage_unbalance_percent", m.voltage_unbalance_percent},
          {"phases", phases}};
}

std::string summary_table_header(std::size_t phase_count) {
  std::string line = fmt::format("{:<29}", "time");
  for (std::size_t p = 0; p < phase_count; ++p) {
    line += fmt::format(" | L{} {:>7} {:>7} {:>9} {:>9} {:>9} {:>6} {:>8} {:>5} {:>5}", p + 1,
                        "U V", "I A", "P W", "Q var", "S VA", "PF", "f Hz", "THDu", "THDi");
  }
  return line + "\n";
}

std::string summary_table_row(UtcMicros start, const std::array<PhaseMeasurement, 3>& phases,
                              std::size_t phase_count, const TimeZone& zone) {
  std::string line = fmt::format("{:<29}", format_iso8601(start, zone));
  for (std::size_t p = 0; p < phase_count; ++p) {
    const PhaseMeasurement& m = phases[p];
    line += fmt::format(
        " |    {:7.2f} {:7.3f} {:9.1f} {:9.1f} {:9.1f} {:6.3f} {:8.4f} {:5.2f} {:5.1f}",
        m.voltage_v, m.current_a, m.active_power_w, m.reactive_power_var, m.apparent_power_va,
        m.power_factor, m.frequency_hz, m.voltage_thd_percent, m.current_thd_percent);
  }
  return line + "\n";
}

}  // namespace gridmeter::app
