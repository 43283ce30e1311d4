// How fast the simulation produces measurement intervals, and what that means for a meter-year.
//
//   build/bench/bench_sim_year --benchmark_filter=HouseholdPv
//
// Each iteration simulates one whole day (432,000 intervals of 200 ms); successive iterations
// walk on through the year, so schedule builds, minute knots and DST switches are all in the
// mix. Counters: items_per_second = intervals per second; time_per_measure = CPU time per
// measure() call; meter_year_s = projected CPU seconds for the 157.68 million intervals of a
// year.
#include <benchmark/benchmark.h>

#include <cstdint>  // std::int64_t

#include "core/time.hpp"
#include "meter/measurement.hpp"
#include "sim/scenario.hpp"

namespace {

using gridmeter::Measurement;
using gridmeter::micros_per_day;
using gridmeter::UtcMicros;

constexpr UtcMicros year_2025_utc_us = 1'735'689'600LL * gridmeter::micros_per_second;
constexpr std::int64_t intervals_per_day = 432'000;
constexpr double days_per_year = 365.0;

void run_scenario_days(benchmark::State& state, const char* name) {
  auto scenario = gridmeter::sim::make_scenario({.name = name, .seed = 42});
  if (!scenario) {
    state.SkipWithError(scenario.error().message.c_str());
    return;
  }
  gridmeter::sim::Scenario& sim = **scenario;
  const std::int64_t interval_us = sim.interval_us();
  Measurement m;
  double energy_ws = 0.0;
  std::int64_t day = 0;
  for (auto _ : state) {
    const UtcMicros begin = year_2025_utc_us + (day % 365) * micros_per_day;
    UtcMicros t = begin;
    for (std::int64_t i = 0; i < intervals_per_day; ++i, t += interval_us) {
      sim.measure(t, m);
      energy_ws +=
          m.phases[0].active_power_w + m.phases[1].active_power_w + m.phases[2].active_power_w;
    }
    benchmark::DoNotOptimize(energy_ws);
    ++day;
  }
  state.SetItemsProcessed(state.iterations() * intervals_per_day);
  // An iteration is 1/365 of a year: inverting the rate of days gives seconds per year.
  state.counters["meter_year_s"] =
      benchmark::Counter(1.0 / days_per_year, benchmark::Counter::kIsIterationInvariantRate |
                                                  benchmark::Counter::kInvert);
  // Likewise per interval: seconds per measure() call (printed as e.g. "25.1ns").
  state.counters["time_per_measure"] = benchmark::Counter(
      static_cast<double>(intervals_per_day),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_ScenarioHouseholdPv(benchmark::State& state) { run_scenario_days(state, "household-pv"); }
BENCHMARK(BM_ScenarioHouseholdPv)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_ScenarioHousehold(benchmark::State& state) { run_scenario_days(state, "household"); }
BENCHMARK(BM_ScenarioHousehold)->Unit(benchmark::kMillisecond)->MinTime(1.0);

// Scenario plus meter: the loop `gridmeter sim` runs. Add BM_ScenarioHouseholdPvWithMeter here
// once src/meter/meter.hpp provides gridmeter::Meter (measure(t, m); meter.advance(m); per
// interval, same days and counters as above).

}  // namespace

BENCHMARK_MAIN();
