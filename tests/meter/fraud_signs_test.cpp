// Fraud signs from the metrology: current reversal on one phase, current without voltage,
// phase/neutral imbalance; raised after the settling time exactly, ended the same way.
#include "meter/fraud_signs.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "meter/meter.hpp"
#include "supply_test_support.hpp"

namespace gridmeter {
namespace {

using test::codes;
using test::utc;

const UtcMicros start = utc(2026, 1, 7, 9, 0);

Measurement three_phase(UtcMicros at, double l1_w, double l2_w, double l3_w) {
  Measurement m;
  m.start_utc_us = at;
  m.duration_us = test::interval_us;
  m.connection = Connection::three_phase_4w;
  m.phases[0] = test::phase(l1_w);
  m.phases[1] = test::phase(l2_w);
  m.phases[2] = test::phase(l3_w);
  m.frequency_hz = 50.0;
  return m;
}

TEST(FraudSigns, TheConditions) {
  EXPECT_TRUE(sign_present(FraudSign::current_reversal, three_phase(start, -500, 800, 300)));
  EXPECT_FALSE(sign_present(FraudSign::current_reversal, three_phase(start, -500, -800, 0)));
  EXPECT_FALSE(sign_present(FraudSign::current_reversal, three_phase(start, -20, 800, 300)));
  Measurement single = test::single_phase(start, 1150.0);  // 5 A
  single.neutral_current_a = 5.0;
  EXPECT_FALSE(sign_present(FraudSign::neutral_imbalance, single));
  single.neutral_current_a = 4.5;  // 0.5 A, 10 %: within tolerance
  EXPECT_FALSE(sign_present(FraudSign::neutral_imbalance, single));
  single.neutral_current_a = 4.3;  // 0.7 A, 14 %
  EXPECT_TRUE(sign_present(FraudSign::neutral_imbalance, single));
  single.neutral_current_a = 5.0;
  single.phases[0].voltage_v = 40.0;
  EXPECT_TRUE(sign_present(FraudSign::current_without_voltage, single));
  single.phases[0].current_a = 0.05;
  EXPECT_FALSE(sign_present(FraudSign::current_without_voltage, single));
}

TEST(FraudSigns, AReversedPhaseIsLoggedAfterExactlyTheSettlingTime) {
  MeterConfig config;
  EXPECT_FALSE(config.fraud.enabled[index_of(FraudSign::current_reversal)]);  // off by default
  config.fraud.enabled[index_of(FraudSign::current_reversal)] = true;
  config.fraud.min_duration_s = 60;
  Meter meter(Connection::three_phase_4w, start, config);
  UtcMicros t = start;
  for (int i = 0; i < 299; ++i, t += test::interval_us)
    meter.advance(three_phase(t, -500, 800, 300));
  EXPECT_TRUE(meter.state().fraud_events.empty());
  meter.advance(three_phase(t, -500, 800, 300));
  t += test::interval_us;
  EXPECT_EQ(codes(meter.state().fraud_events), (std::vector<std::int64_t>{230}));
  EXPECT_EQ(meter.state().fraud_events.newest().stamp.time_utc_us, start + 60 * micros_per_second);
  // A single normal interval does not end it; a minute of them does.
  meter.advance(three_phase(t, 500, 800, 300));
  t += test::interval_us;
  for (int i = 0; i < 100; ++i, t += test::interval_us)
    meter.advance(three_phase(t, -500, 800, 300));
  EXPECT_EQ(codes(meter.state().fraud_events), (std::vector<std::int64_t>{230}));
  for (int i = 0; i < 300; ++i, t += test::interval_us)
    meter.advance(three_phase(t, 500, 800, 300));
  EXPECT_EQ(codes(meter.state().fraud_events), (std::vector<std::int64_t>{230, 231}));
  EXPECT_EQ(meter.state().supply.fraud.counts[0], 1U);
  EXPECT_TRUE(meter.state().disconnector_events.empty());
}

TEST(FraudSigns, MissingVoltageAndNeutralImbalanceInASinglePhaseMeter) {
  MeterConfig config;
  config.fraud.min_duration_s = 0;
  Meter meter(Connection::single_phase_2w, start, config);
  Measurement m = test::single_phase(start, 1150.0);
  m.neutral_current_a = 3.0;  // 2 A return elsewhere
  meter.advance(m);
  m.start_utc_us += test::interval_us;
  m.neutral_current_a = 5.0;
  m.phases[0].voltage_v = 30.0;  // no voltage, current flows
  meter.advance(m);
  // Per interval the signs are checked in their order: without voltage before imbalance.
  EXPECT_EQ(codes(meter.state().fraud_events), (std::vector<std::int64_t>{234, 232, 235}));
  EXPECT_EQ(meter.state().supply.fraud.counts, (std::array<std::uint32_t, 3>{0, 1, 1}));
}

TEST(FraudSigns, ASignSwitchedOffIsNotRaised) {
  MeterConfig config;
  config.fraud.min_duration_s = 0;
  config.fraud.enabled[index_of(FraudSign::neutral_imbalance)] = false;
  Meter meter(Connection::single_phase_2w, start, config);
  Measurement m = test::single_phase(start, 1150.0);
  m.neutral_current_a = 0.0;
  meter.advance(m);
  EXPECT_TRUE(meter.state().fraud_events.empty());
}

TEST(FraudSigns, ABalancedSinglePhaseLoadRaisesNone) {
  Meter meter(Connection::single_phase_2w, start);
  Measurement m = test::single_phase(start, 2300.0);
  m.neutral_current_a = m.phases[0].current_a;
  for (int i = 0; i < 600; ++i) {
    meter.advance(m);
    m.start_utc_us += test::interval_us;
  }
  EXPECT_TRUE(meter.state().fraud_events.empty());
}

}  // namespace
}  // namespace gridmeter
