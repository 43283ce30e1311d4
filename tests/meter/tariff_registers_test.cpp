#include "meter/tariff_registers.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/civil_time.hpp"
#include "meter/energy_registers.hpp"

namespace gridmeter {
namespace {

constexpr std::int64_t interval_us = 200'000;
constexpr std::uint64_t one_kilowatt_uw = 1'000'000'000;

PhaseMeasurement phase(double p_w, double q_var) {
  PhaseMeasurement m;
  m.voltage_v = 230.0;
  m.active_power_w = p_w;
  m.reactive_power_var = q_var;
  m.apparent_power_va = std::sqrt(p_w * p_w + q_var * q_var);
  m.current_a = m.apparent_power_va / m.voltage_v;
  m.frequency_hz = 50.0;
  return m;
}

Measurement single_phase(UtcMicros start, double p_w, double q_var = 0.0) {
  Measurement m;
  m.start_utc_us = start;
  m.duration_us = interval_us;
  m.connection = Connection::single_phase_2w;
  m.phases[0] = phase(p_w, q_var);
  return m;
}

UtcMicros utc(int year, int month, int day, int hour, int minute, int second = 0) {
  return utc_from_civil(CivilTime{year, month, day, hour, minute, second, 0});
}

std::string fmt_obis(std::size_t c, int tariff) {
  return "1-0:" + std::to_string(c) + ".8." + std::to_string(tariff) + ".255";
}

void expect_tariffs_sum_to_total(const TariffRegisters& tariffs, const EnergyRegisters& total) {
  for (EnergyKind kind : {EnergyKind::active_import, EnergyKind::active_export,
                          EnergyKind::reactive_import, EnergyKind::reactive_export}) {
    const EnergyAccumulator sum = tariffs.sum(kind);
    const EnergyAccumulator expected = total.total[kind];
    EXPECT_EQ(sum.high_word(), expected.high_word()) << static_cast<int>(kind);
    EXPECT_EQ(sum.low_word(), expected.low_word()) << static_cast<int>(kind);
  }
}

TEST(TariffRegisters, ConstantLoadAcrossASwitchSplitsAtTheExactMicrosecond) {
  // 1 kW for 2 h in 200 ms intervals; the switch lies 30 min 12.345678 s in, 145.678 ms into
  // interval 9061.
  const UtcMicros start = utc(2026, 3, 25, 6, 0);
  const std::int64_t switch_offset_us = 1'812'345'678;
  const UtcMicros switch_utc = start + switch_offset_us;
  const std::int64_t total_us = 2 * micros_per_hour;
  TariffRegisters tariffs;
  EnergyRegisters total;
  int split_count = 0;
  for (UtcMicros t = start; t < start + total_us; t += interval_us) {
    const Measurement m = single_phase(t, 1000.0);
    total.add(m);
    if (m.start_utc_us < switch_utc && switch_utc < m.end_utc_us()) {
      tariffs.add_split(1, 2, switch_utc, m);
      ++split_count;
    } else {
      tariffs.add(m.end_utc_us() <= switch_utc ? 1 : 2, m);
    }
  }
  EXPECT_EQ(split_count, 1);
  // Tariff 1 holds exactly 1812.345678 s of 1 kW: 1e9 µW × 1'812'345'678 µs.
  const EnergyAccumulator& first = tariffs.at(1, EnergyKind::active_import);
  EXPECT_EQ(first.high_word(), 0U);
  EXPECT_EQ(first.low_word(), one_kilowatt_uw * static_cast<std::uint64_t>(switch_offset_us));
  EXPECT_EQ(first.low_word(), 1'812'345'678'000'000'000ULL);
  const EnergyAccumulator& second = tariffs.at(2, EnergyKind::active_import);
  EXPECT_EQ(second.high_word(), 0U);
  EXPECT_EQ(second.low_word(), 5'387'654'322'000'000'000ULL);
  EXPECT_EQ(first.watt_hours(), 503U);    // 503.43 Wh
  EXPECT_EQ(second.watt_hours(), 1496U);  // 1496.57 Wh
  EXPECT_EQ(total.total[EnergyKind::active_import].watt_hours(), 2000U);
  expect_tariffs_sum_to_total(tariffs, total);
  for (int t = 3; t <= tariff_max; ++t) {
    EXPECT_EQ(tariffs.at(t, EnergyKind::active_import), EnergyAccumulator{});
  }
}

TEST(TariffRegisters, SplitOutsideTheIntervalGivesItAllToOneSide) {
  const Measurement m = single_phase(utc(2026, 1, 1, 0, 0), 1000.0);
  TariffRegisters before_start;
  before_start.add_split(1, 2, m.start_utc_us - 5, m);
  EXPECT_EQ(before_start.at(1, EnergyKind::active_import), EnergyAccumulator{});
  EXPECT_EQ(before_start.at(2, EnergyKind::active_import).low_word(),
            one_kilowatt_uw * interval_us);
  TariffRegisters after_end;
  after_end.add_split(1, 2, m.end_utc_us(), m);
  EXPECT_EQ(after_end.at(1, EnergyKind::active_import).low_word(), one_kilowatt_uw * interval_us);
  EXPECT_EQ(after_end.at(2, EnergyKind::active_import), EnergyAccumulator{});
}

TEST(TariffRegisters, SumOverTariffsEqualsTheTotalsInEveryQuadrantThreePhase) {
  // Powers in all four quadrants, unequal phases, switches at odd microseconds: the tariffs
  // must add up to the total registers to the picojoule.
  TariffRegisters tariffs;
  EnergyRegisters total;
  UtcMicros t = utc(2026, 6, 1, 0, 0);
  std::uint64_t state = 12345;
  for (int i = 0; i < 20'000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto pick = [&](int shift) {
      return static_cast<double>(static_cast<std::int64_t>((state >> shift) % 20001U) - 10000) *
             0.37;
    };
    Measurement m;
    m.start_utc_us = t;
    m.duration_us = interval_us + static_cast<std::int64_t>(state % 7U);
    m.connection = Connection::three_phase_4w;
    m.phases[0] = phase(pick(1), pick(17));
    m.phases[1] = phase(pick(33), pick(9));
    m.phases[2] = phase(pick(41), pick(25));
    total.add(m);
    const int before = 1 + static_cast<int>(state % 8U);
    const int after = 1 + static_cast<int>((state >> 8) % 8U);
    if (i % 3 == 0) {
      tariffs.add_split(before, after, t + static_cast<std::int64_t>((state >> 20) % 200'000U), m);
    } else {
      tariffs.add(before, m);
    }
    t = m.end_utc_us();
  }
  expect_tariffs_sum_to_total(tariffs, total);
  // R+ and R- really are QI+QII and QIII+QIV.
  EXPECT_EQ(tariffs.sum(EnergyKind::reactive_import),
            total.total[EnergyKind::reactive_q1] + total.total[EnergyKind::reactive_q2]);
  EXPECT_GT(tariffs.sum(EnergyKind::active_export).watt_hours(), 0U);
  EXPECT_GT(tariffs.sum(EnergyKind::reactive_export).watt_hours(), 0U);
}

TEST(TariffRegisters, ObisReadingsForEveryKindAndTariff) {
  TariffRegisters tariffs;
  const int intervals_per_hour = 18'000;
  for (int i = 0; i < intervals_per_hour; ++i) {
    const UtcMicros t = i * interval_us;
    tariffs.add(3, single_phase(t, 1000.0, 300.0));  // A+ 1000 Wh, R+ 300 varh
    tariffs.add(8, single_phase(t, -500.0, 0.0));    // A- 500 Wh
    tariffs.add(5, single_phase(t, 0.0, -200.0));    // R- 200 varh (QIV)
    tariffs.add(1, single_phase(t, -100.0, 50.0));   // A- 100 Wh, R+ 50 varh (QII)
  }
  const std::vector<RegisterReading> readings = read_tariff_registers(tariffs);
  ASSERT_EQ(readings.size(), 32U);
  EXPECT_EQ(to_string(readings.front().obis), "1-0:1.8.1.255");
  EXPECT_EQ(to_string(readings.back().obis), "1-0:4.8.8.255");
  std::map<std::string, const RegisterReading*> by_obis;
  for (std::size_t k = 0; k < 4; ++k) {
    for (int t = 1; t <= 8; ++t) {
      const RegisterReading& r = readings[k * 8 + static_cast<std::size_t>(t - 1)];
      EXPECT_EQ(to_string(r.obis), fmt_obis(k + 1, t));
      EXPECT_EQ(r.scaler, 0);
      EXPECT_EQ(r.unit, k < 2 ? Unit::watt_hour : Unit::var_hour);
      by_obis[to_string(r.obis)] = &r;
    }
  }
  EXPECT_EQ(by_obis["1-0:1.8.3.255"]->value, 1000);
  EXPECT_EQ(by_obis["1-0:1.8.3.255"]->name, "A+ T3");
  EXPECT_EQ(by_obis["1-0:3.8.3.255"]->value, 300);
  EXPECT_EQ(by_obis["1-0:2.8.8.255"]->value, 500);
  EXPECT_EQ(by_obis["1-0:2.8.8.255"]->name, "A- T8");
  EXPECT_EQ(by_obis["1-0:4.8.5.255"]->value, 200);
  EXPECT_EQ(by_obis["1-0:4.8.5.255"]->name, "R- T5");
  EXPECT_EQ(by_obis["1-0:2.8.1.255"]->value, 100);
  EXPECT_EQ(by_obis["1-0:3.8.1.255"]->value, 50);
  EXPECT_EQ(by_obis["1-0:1.8.5.255"]->value, 0);
  std::int64_t sum = 0;
  for (const RegisterReading& r : readings)
    sum += r.value;
  EXPECT_EQ(sum, 1000 + 300 + 500 + 200 + 100 + 50);
}

}  // namespace
}  // namespace gridmeter
