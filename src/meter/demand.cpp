#include "meter/demand.hpp"

#include <algorithm>  // std::max

namespace gridmeter {
namespace {

constexpr std::array<EnergyKind, demand_kind_count> demand_kinds{
    EnergyKind::active_import, EnergyKind::active_export, EnergyKind::reactive_import,
    EnergyKind::reactive_export};

// to − from in Wh, exact in 128 bits before the one rounding to double.
double watt_hours_between(const EnergyAccumulator& from, const EnergyAccumulator& to) {
  const std::uint64_t low = to.low_word() - from.low_word();
  const std::uint64_t borrow = to.low_word() < from.low_word() ? 1U : 0U;
  const std::uint64_t high = to.high_word() - from.high_word() - borrow;
  const double picojoules = static_cast<double>(high) * 18446744073709551616.0 +  // 2^64
                            static_cast<double>(low);
  return picojoules / static_cast<double>(picojoules_per_watt_hour);
}

double period_hours(const DemandConfig& config) { return config.period_min / 60.0; }

}  // namespace

void DemandState::start(const EnergyRegisters& energy, UtcMicros now) {
  for (std::size_t k = 0; k < demand_kind_count; ++k) {
    sub_period_start[k] = energy.total[demand_kinds[k]];
    window_wh[k].fill(0.0);
  }
  filled = 0;
  sub_period_start_utc_us = now;
}

void DemandState::close_sub_period(const DemandConfig& config, const EnergyRegisters& energy,
                                   UtcMicros end, int tariff) {
  const auto window = static_cast<std::size_t>(config.sub_periods);
  for (std::size_t k = 0; k < demand_kind_count; ++k) {
    const EnergyAccumulator now = energy.total[demand_kinds[k]];
    const double wh = watt_hours_between(sub_period_start[k], now);
    sub_period_start[k] = now;
    // Shift the window by one sub-period once it is full.
    auto& slots = window_wh[k];
    if (filled == window) {
      for (std::size_t i = 1; i < window; ++i)
        slots[i - 1] = slots[i];
      slots[window - 1] = wh;
    } else {
      slots[filled] = wh;
    }
  }
  if (filled < window) ++filled;
  sub_period_start_utc_us = end;
  if (filled < window) return;

  for (std::size_t k = 0; k < demand_kind_count; ++k) {
    double sum = 0.0;
    for (std::size_t i = 0; i < window; ++i)
      sum += window_wh[k][i];
    last_average_w[k] = sum / period_hours(config);
  }
  last_average_utc_us = end;
  for (std::size_t k = 0; k < max_demand_kind_count; ++k) {
    const double value = last_average_w[k];
    auto update = [&](MaximumDemand& highest) {
      if (highest.time_utc_us == 0 || value > highest.value_w) highest = {value, end};
    };
    update(maximum[k][0]);
    if (tariff >= tariff_min && tariff <= tariff_max)
      update(maximum[k][static_cast<std::size_t>(tariff)]);
  }
}

double DemandState::current_average_w(const DemandConfig& config, const EnergyRegisters& energy,
                                      EnergyKind kind) const {
  const auto k = static_cast<std::size_t>(kind);
  if (k >= demand_kind_count) return 0.0;
  const auto window = static_cast<std::size_t>(config.sub_periods);
  // The window's closed sub-periods that stay in it once the running one closes.
  double sum = watt_hours_between(sub_period_start[k], energy.total[kind]);
  const std::size_t keep = std::min(filled, window - 1);
  for (std::size_t i = filled - keep; i < filled; ++i)
    sum += window_wh[k][i];
  return sum / period_hours(config);
}

void DemandState::billing_reset() {
  for (std::size_t k = 0; k < max_demand_kind_count; ++k) {
    cumulative_maximum_w[k] += maximum[k][0].value_w;
    for (MaximumDemand& m : maximum[k])
      m = MaximumDemand{};
  }
}

std::vector<DemandReading> read_demand_registers(const DemandState& demand,
                                                 const DemandConfig& config,
                                                 const EnergyRegisters& energy) {
  static constexpr std::array<std::string_view, demand_kind_count> current_names{
      "A+ current average", "A- current average", "R+ current average", "R- current average"};
  static constexpr std::array<std::string_view, demand_kind_count> last_names{
      "A+ last average", "A- last average", "R+ last average", "R- last average"};
  static constexpr std::array<std::array<std::string_view, tariff_count + 1>, max_demand_kind_count>
      maximum_names{{{"A+ max demand", "A+ max demand T1", "A+ max demand T2", "A+ max demand T3",
                      "A+ max demand T4", "A+ max demand T5", "A+ max demand T6",
                      "A+ max demand T7", "A+ max demand T8"},
                     {"A- max demand", "A- max demand T1", "A- max demand T2", "A- max demand T3",
                      "A- max demand T4", "A- max demand T5", "A- max demand T6",
                      "A- max demand T7", "A- max demand T8"}}};
  static constexpr std::array<std::string_view, max_demand_kind_count> cumulative_names{
      "A+ cumulative max demand", "A- cumulative max demand"};

  std::vector<DemandReading> readings;
  for (std::size_t k = 0; k < demand_kind_count; ++k) {
    const auto c = static_cast<std::uint8_t>(k + 1);  // 1 A+, 2 A-, 3 R+, 4 R-
    const Unit unit = k < 2 ? Unit::watt : Unit::var;
    readings.push_back({Obis{1, 0, c, 4, 0, 255},
                        demand.current_average_w(config, energy, demand_kinds[k]), unit, 0,
                        current_names[k]});
    readings.push_back({Obis{1, 0, c, 5, 0, 255}, demand.last_average_w[k], unit,
                        demand.last_average_utc_us, last_names[k]});
  }
  for (std::size_t k = 0; k < max_demand_kind_count; ++k) {
    const auto c = static_cast<std::uint8_t>(k + 1);
    readings.push_back({Obis{1, 0, c, 2, 0, 255}, demand.cumulative_maximum_w[k], Unit::watt, 0,
                        cumulative_names[k]});
    for (std::size_t t = 0; t <= tariff_count; ++t) {
      const MaximumDemand& m = demand.maximum[k][t];
      readings.push_back({Obis{1, 0, c, 6, static_cast<std::uint8_t>(t), 255}, m.value_w,
                          Unit::watt, m.time_utc_us, maximum_names[k][t]});
    }
  }
  return readings;
}

}  // namespace gridmeter
