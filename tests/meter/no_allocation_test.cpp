// The meter core allocates nothing: advance() on a running meter must not call operator new.
// Counted by replacing the global allocation functions in this test binary. (The scenario may
// allocate: it builds each new day's appliance schedule once.)
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "meter/meter.hpp"
#include "sim/scenario.hpp"

namespace {
std::atomic<long> allocation_count{0};
}  // namespace

// GCC sees free() on memory from operator new; here operator new is malloc, so they match.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

void* operator new(std::size_t size) {
  allocation_count.fetch_add(1, std::memory_order_relaxed);
  if (void* memory = std::malloc(size == 0 ? 1 : size)) return memory;
  throw std::bad_alloc();
}
// The nothrow form too (std::stable_sort's temporary buffer uses it): every allocation of the
// binary must come from malloc, since every deallocation below goes to free.
void* operator new(std::size_t size, const std::nothrow_t& /*tag*/) noexcept {
  allocation_count.fetch_add(1, std::memory_order_relaxed);
  return std::malloc(size == 0 ? 1 : size);
}
void operator delete(void* memory) noexcept { std::free(memory); }
void operator delete(void* memory, std::size_t /*size*/) noexcept { std::free(memory); }
void operator delete(void* memory, const std::nothrow_t& /*tag*/) noexcept { std::free(memory); }

namespace gridmeter {
namespace {

TEST(MeterSteadyState, AdvanceAllocatesNothing) {
  auto scenario = sim::make_scenario({.name = "household-pv", .seed = 3});
  ASSERT_TRUE(scenario);
  Meter meter((*scenario)->connection(), 0);
  Measurement m;
  const std::int64_t interval_us = (*scenario)->interval_us();
  UtcMicros t = 1'767'222'000'000'000;
  // Warm-up: the scenario builds and caches its first days' schedules.
  for (int i = 0; i < 5 * 432'000 / 100; ++i, t += 100 * interval_us) {
    (*scenario)->measure(t, m);
  }
  // Every part of the core in use: tariffs, demand, load profile, analysis log and a billing
  // reset at noon of the metered day (2026-01-06).
  MeterConfig config;
  config.analysis_log.values = {"u_l1_avg", "i_l2_max", "p_total", "thd_u_l3_avg", "a_minus"};
  config.analysis_log.period_min = 5;
  config.demand.sub_periods = 5;
  config.billing.day = 6;
  config.billing.hour = 12;
  meter = Meter((*scenario)->connection(), t, config);
  long in_advance = 0;
  for (int i = 0; i < 432'000; ++i, t += interval_us) {  // one day, metered
    (*scenario)->measure(t, m);
    const long before = allocation_count.load();
    meter.advance(m);
    in_advance += allocation_count.load() - before;
  }
  EXPECT_EQ(in_advance, 0);
  EXPECT_EQ(meter.state().measurement_count, 432'000U);
  EXPECT_EQ(meter.state().load_profile.size(), 96U);
  EXPECT_EQ(meter.state().analysis_log.size(), 288U);
  EXPECT_EQ(meter.state().billing_profile.size(), 1U);
}

}  // namespace
}  // namespace gridmeter
