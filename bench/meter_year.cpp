// A meter-year in accelerated time: the simulation and the meter core together, as
// `gridmeter sim` runs them, and the meter core alone.
//
// Reports measurement intervals per second (items_per_second) and the wall-clock seconds a
// meter-year (157,680,000 intervals of 200 ms) takes on one core (s_per_meter_year).
//   build/bench/bench_meter_year
#include <benchmark/benchmark.h>

#include <vector>

#include "meter/meter.hpp"
#include "sim/scenario.hpp"

namespace {

constexpr double intervals_per_year = 365.0 * 24 * 3600 * 5;
constexpr std::int64_t intervals_per_day = 24 * 3600 * 5;
constexpr gridmeter::UtcMicros start_utc_us = 1'767'222'000'000'000;  // 2026-01-01 00:00 CET

// items_per_second is measurement intervals per second; s_per_meter_year the wall-clock
// seconds one meter-year (157,680,000 intervals) takes at that rate on one core.
void report(benchmark::State& state, std::int64_t intervals) {
  state.SetItemsProcessed(intervals);
  state.counters["s_per_meter_year"] =
      benchmark::Counter(static_cast<double>(intervals) / intervals_per_year,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

// One simulated day of household-pv (three-phase with PV) per iteration, meter included,
// continuing from day to day as a long run does.
void BM_SimAndMeterHouseholdPv(benchmark::State& state) {
  auto scenario = gridmeter::sim::make_scenario({.name = "household-pv", .seed = 1});
  gridmeter::Meter meter((*scenario)->connection(), start_utc_us);
  gridmeter::Measurement measurement;
  const std::int64_t interval_us = (*scenario)->interval_us();
  std::int64_t intervals = 0;
  gridmeter::UtcMicros t = start_utc_us;
  for (auto _ : state) {
    for (std::int64_t i = 0; i < intervals_per_day; ++i, t += interval_us) {
      (*scenario)->measure(t, measurement);
      meter.advance(measurement);
    }
    intervals += intervals_per_day;
  }
  benchmark::DoNotOptimize(meter.state());
  report(state, intervals);
}
BENCHMARK(BM_SimAndMeterHouseholdPv)->Unit(benchmark::kMillisecond)->MinTime(3.0);

// The meter core alone on a day of pre-computed three-phase measurements.
void BM_MeterAdvanceThreePhase(benchmark::State& state) {
  auto scenario = gridmeter::sim::make_scenario({.name = "household-pv", .seed = 1});
  constexpr std::int64_t batch = 256;  // 150 KiB of measurements: stays in L2
  std::vector<gridmeter::Measurement> measurements(batch);
  const std::int64_t interval_us = (*scenario)->interval_us();
  for (std::int64_t i = 0; i < batch; ++i) {
    // Spread over a day so that import, export and all quadrants occur.
    (*scenario)->measure(start_utc_us + 150 * 86'400'000'000LL + i * 21 * 1'000'000LL,
                         measurements[static_cast<std::size_t>(i)]);
  }
  gridmeter::Meter meter((*scenario)->connection(), 0);
  std::int64_t intervals = 0;
  gridmeter::UtcMicros t = 0;
  for (auto _ : state) {
    for (auto& m : measurements) {
      m.start_utc_us = t;
      t += interval_us;
      meter.advance(m);
    }
    intervals += batch;
  }
  benchmark::DoNotOptimize(meter.state());
  report(state, intervals);
}
BENCHMARK(BM_MeterAdvanceThreePhase);

}  // namespace

BENCHMARK_MAIN();
