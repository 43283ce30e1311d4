// S0 pulse output: pulses at the exact instants, the count equal to energy x constant within
// one pulse over a simulated month at high and low load, queueing when pulses come faster than
// the line allows, and constants that do not divide a kWh.
#include "meter/pulse_output.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "meter/meter.hpp"
#include "supply_test_support.hpp"

namespace gridmeter {
namespace {

using test::utc;

constexpr std::int64_t minute = micros_per_minute;

// Collects the rising edges the meter puts out, as an application draining the ring would.
class EdgeCollector {
 public:
  void drain(const Meter& meter) {
    const PulseEdgeRing& ring = meter.pulse_edges();
    ASSERT_GE(next_, ring.begin()) << "pulses overwritten before they were read";
    for (; next_ < ring.end(); ++next_)
      rises_.push_back(ring.rise(next_));
  }
  [[nodiscard]] const std::vector<UtcMicros>& rises() const { return rises_; }
  // The shortest time between two consecutive rising edges.
  [[nodiscard]] std::int64_t shortest_period_us() const {
    std::int64_t shortest = INT64_MAX;
    for (std::size_t i = 1; i < rises_.size(); ++i)
      shortest = std::min(shortest, rises_[i] - rises_[i - 1]);
    return shortest;
  }

 private:
  std::uint64_t next_ = 0;
  std::vector<UtcMicros> rises_;
};

Meter s0_meter(const PulseOutputConfig& s0, UtcMicros start = utc(2026, 1, 1, 0, 0)) {
  MeterConfig config;
  config.pulse_output = s0;
  return Meter(Connection::single_phase_2w, start, config);
}

TEST(PulseOutput, RefusesPulsesShorterThanTheStandardAllows) {
  PulseOutputConfig s0;
  EXPECT_TRUE(validate_pulse_output(s0));
  s0.width_ms = 29;
  EXPECT_EQ(validate_pulse_output(s0).error().message,
            "pulse_output.width: 29 ms is outside 30..2000 (IEC 62053-31: at least 30 ms)");
  s0 = {};
  s0.gap_ms = 2001;
  EXPECT_FALSE(validate_pulse_output(s0));
  s0 = {};
  s0.constant = 0;
  EXPECT_EQ(validate_pulse_output(s0).error().message,
            "pulse_output.constant: 0 imp/kWh is outside 1..100000");
  s0 = {};
  s0.energy = EnergyKind::reactive_q1;
  EXPECT_FALSE(validate_pulse_output(s0));
  EXPECT_EQ(pulse_register_of("1-0:2.8.0.255"), EnergyKind::active_export);
  EXPECT_EQ(pulse_register_of("1.8.0"), EnergyKind::active_import);
  EXPECT_EQ(pulse_register_of("1-0:1.8.1.255"), std::nullopt);
  EXPECT_EQ(pulse_register_of("bogus"), std::nullopt);
}

TEST(PulseOutput, EachPulseFallsAtTheInstantItsEnergyIsReached) {
  const UtcMicros start = utc(2026, 1, 1, 0, 0);
  Meter meter = s0_meter({}, start);
  EdgeCollector edges;
  // 3.6 kW: 1 Wh (one pulse at 1000 imp/kWh) every second exactly.
  for (int i = 0; i < 50; ++i) {
    test::feed(meter, 3600.0, 1);
    edges.drain(meter);
  }
  std::vector<UtcMicros> expected;
  for (int k = 1; k <= 10; ++k)
    expected.push_back(start + k * micros_per_second);
  EXPECT_EQ(edges.rises(), expected);
}

// A month of one-minute intervals at `power_w` with the default output (A+, 1000 imp/kWh).
void check_month(double power_w) {
  Meter meter = s0_meter({});
  EdgeCollector edges;
  for (int i = 0; i < 31 * 1440; ++i) {
    test::feed(meter, power_w, 1, minute);
    edges.drain(meter);
  }
  const PulseOutputState& train = meter.state().supply.pulse_output;
  const std::uint64_t watt_hours =
      meter.state().energy.total[EnergyKind::active_import].watt_hours();
  // Every whole Wh is a pulse due, out or queued; none is lost.
  EXPECT_EQ(train.emitted + train.queued, watt_hours) << power_w << " W";
  EXPECT_EQ(train.queued, 0U) << power_w << " W";
  const double exact_wh = meter.state().energy.total[EnergyKind::active_import].watt_hours_exact();
  EXPECT_LE(std::fabs(static_cast<double>(train.emitted) - exact_wh), 1.0) << power_w << " W";
  EXPECT_EQ(edges.rises().size(), train.emitted);
  EXPECT_GE(edges.shortest_period_us(), 60 * micros_per_millisecond);
}

TEST(PulseOutput, CountEqualsEnergyTimesConstantOverAMonthAtHighLoad) {
  check_month(13'800.0);  // 60 A at 230 V: 230 pulses a minute
}

TEST(PulseOutput, CountEqualsEnergyTimesConstantOverAMonthAtLowLoad) {
  check_month(7.3);  // a standby load: a pulse every eight minutes or so
}

TEST(PulseOutput, PulsesTooFastForTheLineQueueAndNoneIsLost) {
  PulseOutputConfig s0;
  s0.constant = 100'000;  // 10 kW: 278 pulses a second; the line takes 16.7 (30 ms + 30 ms)
  Meter meter = s0_meter(s0);
  EdgeCollector edges;
  for (int i = 0; i < 50; ++i) {  // 10 s
    test::feed(meter, 10'000.0, 1);
    edges.drain(meter);
  }
  const PulseOutputState& train = meter.state().supply.pulse_output;
  // 1e17 pJ x 1e5 / 3.6e18 = 2777.7: 2777 due.
  EXPECT_EQ(train.emitted + train.queued, 2777U);
  EXPECT_EQ(train.emitted, 167U);   // one every 60 ms from the first, due at 3.6 ms
  for (int i = 0; i < 1000; ++i) {  // 200 s without load: the queue drains
    test::feed(meter, 0.0, 1);
    edges.drain(meter);
  }
  EXPECT_EQ(train.queued, 0U);
  EXPECT_EQ(train.emitted, 2777U);
  EXPECT_EQ(edges.rises().size(), 2777U);
  EXPECT_EQ(edges.shortest_period_us(), 60 * micros_per_millisecond);
  EXPECT_EQ(edges.rises().back() - edges.rises().front(), 2776 * 60 * micros_per_millisecond);
}

TEST(PulseOutput, AConstantThatDoesNotDivideAKwhNeverDrifts) {
  // 7 imp/kWh: pulse k is due at ceil(k x 3.6e18 / 7) pJ = k q + ceil(5 k / 7), q = 3.6e18 / 7.
  PulseOutputConfig s0;
  s0.constant = 7;
  PulseOutputState train = start_pulse_train(s0);
  const std::uint64_t q = 514'285'714'285'714'285ULL;
  std::uint64_t count = 0;
  auto emit = [&](std::uint64_t, UtcMicros) { ++count; };
  std::uint64_t energy = 0;
  UtcMicros t = 0;
  for (std::uint64_t k = 1; k <= 100; ++k) {
    const std::uint64_t threshold = k * q + (5 * k + 6) / 7;
    // One picojoule short of the threshold: not yet; the picojoule itself: pulse k.
    add_pulse_energy(s0, train, threshold - 1 - energy, t, 1, emit);
    t += micros_per_second;
    release_pulses(s0, train, t, emit);
    ASSERT_EQ(count, k - 1) << "pulse " << k;
    add_pulse_energy(s0, train, 1, t, 1, emit);
    t += micros_per_second;
    release_pulses(s0, train, t, emit);
    ASSERT_EQ(count, k) << "pulse " << k;
    energy = threshold;
  }
}

TEST(PulseOutput, OtherRegistersAndOff) {
  PulseOutputConfig s0;
  s0.energy = EnergyKind::active_export;
  Meter exporter = s0_meter(s0);
  test::feed(exporter, 3600.0, 50);  // import: nothing on an export output
  EXPECT_EQ(exporter.state().supply.pulse_output.emitted, 0U);
  test::feed(exporter, -3600.0, 50);
  EXPECT_EQ(exporter.state().supply.pulse_output.emitted, 10U);

  s0 = {};
  s0.enabled = false;
  Meter off = s0_meter(s0);
  test::feed(off, 3600.0, 50);
  EXPECT_EQ(off.state().supply.pulse_output.emitted, 0U);
  EXPECT_EQ(off.pulse_edges().end(), 0U);
}

TEST(PulseOutput, ARestoredMeterContinuesItsTrain) {
  Meter meter = s0_meter({});
  test::feed(meter, 3600.0, 12);  // 2.4 s: two pulses, 0.4 Wh toward the third
  const MeterState saved = meter.state();
  Meter restored(saved);
  EXPECT_EQ(restored.pulse_edges().begin(), 2U);
  EXPECT_EQ(restored.pulse_edges().end(), 2U);
  test::feed(restored, 3600.0, 3);  // 0.6 Wh more: the third pulse at 3 s
  EXPECT_EQ(restored.state().supply.pulse_output.emitted, 3U);
  EXPECT_EQ(restored.pulse_edges().rise(2), utc(2026, 1, 1, 0, 0, 3));
}

}  // namespace
}  // namespace gridmeter
