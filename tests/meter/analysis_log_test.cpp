#include "meter/analysis_log.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "meter/meter_config.hpp"

namespace gridmeter {
namespace {

constexpr std::int64_t interval_us = 200'000;

std::vector<std::size_t> select(std::initializer_list<std::string> ids) {
  const std::vector<std::string> values(ids);
  auto selection = resolve_analysis_values(values);
  EXPECT_TRUE(selection) << selection.error().message;
  return selection ? *selection : std::vector<std::size_t>{};
}

// The captured row, by catalogue id.
std::map<std::string, std::int64_t> capture(const AnalysisAggregator& aggregator,
                                            const EnergyRegisters& energy = {}) {
  std::vector<std::int64_t> row(aggregator.selection().size(), 12345);
  aggregator.capture(energy, row);
  std::map<std::string, std::int64_t> by_id;
  for (std::size_t i = 0; i < row.size(); ++i) {
    by_id[std::string(analysis_catalogue()[aggregator.selection()[i]].id)] = row[i];
  }
  return by_id;
}

Measurement single_phase(double voltage_v, double current_a,
                         std::int64_t duration_us = interval_us) {
  Measurement m;
  m.connection = Connection::single_phase_2w;
  m.duration_us = duration_us;
  m.frequency_hz = 50.0;
  m.phases[0].voltage_v = voltage_v;
  m.phases[0].current_a = current_a;
  return m;
}

// L1 with powers P and Q, S = |P + jQ| and PF = P / S, as the metrology fills them.
void set_powers(PhaseMeasurement& phase, double active_w, double reactive_var) {
  phase.active_power_w = active_w;
  phase.reactive_power_var = reactive_var;
  phase.apparent_power_va = std::hypot(active_w, reactive_var);
  phase.power_factor = phase.apparent_power_va > 0.0 ? active_w / phase.apparent_power_va : 1.0;
}

// The measurement repeated for one hour of 200 ms intervals.
void add_one_hour(EnergyRegisters& energy, Measurement m) {
  m.duration_us = interval_us;
  for (int i = 0; i < 18'000; ++i) {
    energy.add(m);
  }
}

const AnalysisQuantity& entry(std::string_view id) {
  for (const AnalysisQuantity& q : analysis_catalogue()) {
    if (q.id == id) return q;
  }
  ADD_FAILURE() << "no catalogue entry " << id;
  return analysis_catalogue()[0];
}

// --- The catalogue ---------------------------------------------------------------------------

TEST(AnalysisCatalogue, HasMoreThan80EntriesWithUniqueIdsAndCodes) {
  const auto catalogue = analysis_catalogue();
  EXPECT_EQ(catalogue.size(), 106U);
  std::set<std::string_view> ids;
  std::set<Obis> codes;
  for (const AnalysisQuantity& q : catalogue) {
    EXPECT_TRUE(ids.insert(q.id).second) << q.id;
    EXPECT_TRUE(codes.insert(q.column.obis).second) << q.id << " " << to_string(q.column.obis);
    EXPECT_FALSE(q.description.empty()) << q.id;
    EXPECT_FALSE(q.column.name.empty()) << q.id;
  }
}

TEST(AnalysisCatalogue, IdsAreLowercaseAndCodesFollowTheKind) {
  const std::map<AnalysisKind, std::uint8_t> value_group_d{
      {AnalysisKind::instantaneous, 7}, {AnalysisKind::average, 25}, {AnalysisKind::minimum, 3},
      {AnalysisKind::maximum, 6},       {AnalysisKind::energy, 8},
  };
  for (const AnalysisQuantity& q : analysis_catalogue()) {
    for (const char c : q.id) {
      EXPECT_TRUE((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_') << q.id;
    }
    EXPECT_EQ(q.column.obis.a, 1) << q.id;
    EXPECT_EQ(q.column.obis.b, 0) << q.id;
    EXPECT_EQ(q.column.obis.d, value_group_d.at(q.kind)) << q.id;
    EXPECT_EQ(q.column.obis.f, 255) << q.id;
    EXPECT_EQ(q.column.class_id, 3) << q.id;
    EXPECT_EQ(q.column.attribute, 2) << q.id;
    EXPECT_EQ(q.column.kind, ColumnKind::integer) << q.id;
  }
}

TEST(AnalysisCatalogue, ExtremesOnlyOfPhaseVoltagesAndCurrents) {
  std::set<std::string_view> extremes;
  for (const AnalysisQuantity& q : analysis_catalogue()) {
    if (q.kind == AnalysisKind::minimum || q.kind == AnalysisKind::maximum) extremes.insert(q.id);
  }
  EXPECT_EQ(extremes, (std::set<std::string_view>{"u_l1_min", "u_l2_min", "u_l3_min", "i_l1_min",
                                                  "i_l2_min", "i_l3_min", "u_l1_max", "u_l2_max",
                                                  "u_l3_max", "i_l1_max", "i_l2_max", "i_l3_max"}));
}

TEST(AnalysisCatalogue, ChosenCodesUnitsAndScalers) {
  struct Expected {
    std::string_view id;
    std::string_view obis;
    Unit unit;
    int scaler;
  };
  const std::vector<Expected> expected{
      {"u_l1", "1-0:32.7.0.255", Unit::volt, -2},
      {"u_l3_avg", "1-0:72.25.0.255", Unit::volt, -2},
      {"u_l2_min", "1-0:52.3.0.255", Unit::volt, -2},
      {"i_l1_max", "1-0:31.6.0.255", Unit::ampere, -3},
      {"i_n", "1-0:91.7.0.255", Unit::ampere, -3},
      {"p_l1", "1-0:36.7.0.255", Unit::watt, 0},
      {"p_total_avg", "1-0:16.25.0.255", Unit::watt, 0},
      {"q_plus_l2", "1-0:43.7.0.255", Unit::var, 0},
      {"q_minus_total_avg", "1-0:4.25.0.255", Unit::var, 0},
      {"s_plus_total", "1-0:9.7.0.255", Unit::volt_ampere, 0},
      {"s_minus_l3", "1-0:70.7.0.255", Unit::volt_ampere, 0},
      {"pf_total", "1-0:13.7.0.255", Unit::count, -3},
      {"pf_l2_avg", "1-0:53.25.0.255", Unit::count, -3},
      {"f", "1-0:14.7.0.255", Unit::hertz, -3},
      {"thd_u_l1", "1-0:32.7.124.255", Unit::percent, -2},
      {"thd_i_l3_avg", "1-0:71.25.124.255", Unit::percent, -2},
      {"u_unbalance", "1-0:12.7.128.255", Unit::percent, -2},
      {"a_plus", "1-0:1.8.0.255", Unit::watt_hour, 0},
      {"r_q3", "1-0:7.8.0.255", Unit::var_hour, 0},
      {"apparent_minus", "1-0:10.8.0.255", Unit::volt_ampere_hour, 0},
      {"a_minus_l2", "1-0:42.8.0.255", Unit::watt_hour, 0},
  };
  for (const Expected& e : expected) {
    const AnalysisQuantity& q = entry(e.id);
    EXPECT_EQ(to_string(q.column.obis), e.obis) << e.id;
    EXPECT_EQ(q.column.unit, e.unit) << e.id;
    EXPECT_EQ(q.column.scaler, e.scaler) << e.id;
  }
}

TEST(AnalysisCatalogue, EnergyCodesAreThoseOfTheEnergyRegisters) {
  std::map<std::string, Unit> registers;
  for (const RegisterReading& r : read_energy_registers({}, Connection::three_phase_4w)) {
    registers[to_string(r.obis)] = r.unit;
  }
  int energies = 0;
  for (const AnalysisQuantity& q : analysis_catalogue()) {
    if (q.kind != AnalysisKind::energy) continue;
    ++energies;
    const auto found = registers.find(to_string(q.column.obis));
    ASSERT_NE(found, registers.end()) << q.id;
    EXPECT_EQ(found->second, q.column.unit) << q.id;
  }
  EXPECT_EQ(energies, 16);
}

// docs/analysis-log.md lists every entry, as the catalogue has it.
TEST(AnalysisCatalogue, DocumentationTableMatches) {
  std::ifstream file(std::string(GRIDMETER_SOURCE_DIR) + "/docs/analysis-log.md");
  ASSERT_TRUE(file) << "docs/analysis-log.md";
  std::set<std::string> rows;
  for (std::string line; std::getline(file, line);) {
    if (line.starts_with("| `")) rows.insert(line);
  }
  EXPECT_EQ(rows.size(), analysis_catalogue().size());
  for (const AnalysisQuantity& q : analysis_catalogue()) {
    const std::string_view unit = unit_symbol(q.column.unit);
    const std::string row = "| `" + std::string(q.id) + "` | " + to_string(q.column.obis) + " | " +
                            std::string(unit.empty() ? "—" : unit) + " | " +
                            std::to_string(q.column.scaler) + " | " + std::string(q.description) +
                            " |";
    EXPECT_EQ(rows.count(row), 1U) << "missing or different: " << row;
  }
}

// --- Resolving the configured values --------------------------------------------------------

TEST(ResolveAnalysisValues, IdsInTheirOrder) {
  const std::vector<std::string> ids{"p_total_avg", "u_l1", "a_plus"};
  auto selection = resolve_analysis_values(ids);
  ASSERT_TRUE(selection) << selection.error().message;
  ASSERT_EQ(selection->size(), 3U);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    EXPECT_EQ(analysis_catalogue()[(*selection)[i]].id, ids[i]);
  }
}

TEST(ResolveAnalysisValues, ObisCodesInFullAndShortForm) {
  const std::vector<std::string> ids{"1-0:32.25.0.255", "31.6.0", "1-0:16.7.0", "1.8.0",
                                     "32.7.124"};
  auto selection = resolve_analysis_values(ids);
  ASSERT_TRUE(selection) << selection.error().message;
  std::vector<std::string_view> resolved;
  for (const std::size_t index : *selection) {
    resolved.push_back(analysis_catalogue()[index].id);
  }
  EXPECT_EQ(resolved, (std::vector<std::string_view>{"u_l1_avg", "i_l1_max", "p_total", "a_plus",
                                                     "thd_u_l1"}));
}

TEST(ResolveAnalysisValues, NoValuesIsAnEmptySelection) {
  auto selection = resolve_analysis_values({});
  ASSERT_TRUE(selection);
  EXPECT_TRUE(selection->empty());
}

TEST(ResolveAnalysisValues, UnknownIdIsNamed) {
  const std::vector<std::string> ids{"u_l1", "u_l4"};
  auto selection = resolve_analysis_values(ids);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error().message,
            "analysis log: unknown value \"u_l4\" (see docs/analysis-log.md)");
}

TEST(ResolveAnalysisValues, IdsAreCaseSensitiveAndCodesMustBeInTheCatalogue) {
  for (const std::string id : {"U_L1", "1-0:32.7.0.0", "1-1:32.7.0.255", "99.7.0", ""}) {
    const std::vector<std::string> ids{id};
    auto selection = resolve_analysis_values(ids);
    ASSERT_FALSE(selection) << id;
    EXPECT_EQ(selection.error().message,
              "analysis log: unknown value \"" + id + "\" (see docs/analysis-log.md)");
  }
}

TEST(ResolveAnalysisValues, DuplicateIsAnError) {
  const std::vector<std::string> ids{"u_l1", "i_l1", "u_l1"};
  auto selection = resolve_analysis_values(ids);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error().message, "analysis log: value \"u_l1\" given twice");
}

TEST(ResolveAnalysisValues, SameQuantityByIdAndCodeIsADuplicate) {
  const std::vector<std::string> ids{"u_l1_avg", "1-0:32.25.0.255"};
  auto selection = resolve_analysis_values(ids);
  ASSERT_FALSE(selection);
  EXPECT_EQ(selection.error().message,
            "analysis log: value \"1-0:32.25.0.255\" is \"u_l1_avg\" again");
}

TEST(ResolveAnalysisValues, AtMost24Values) {
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < analysis_value_count_max; ++i) {
    ids.emplace_back(analysis_catalogue()[i].id);
  }
  auto full = resolve_analysis_values(ids);
  ASSERT_TRUE(full) << full.error().message;
  EXPECT_EQ(full->size(), 24U);

  ids.emplace_back(analysis_catalogue()[24].id);
  auto too_many = resolve_analysis_values(ids);
  ASSERT_FALSE(too_many);
  EXPECT_EQ(too_many.error().message, "analysis log: 25 values, at most 24");
}

// --- Aggregation ----------------------------------------------------------------------------

TEST(AnalysisAggregator, ColumnsFollowTheSelection) {
  const auto selection = select({"i_l2_max", "u_l1", "a_minus_l3", "pf_total_avg"});
  const AnalysisAggregator aggregator(selection);
  EXPECT_EQ(aggregator.selection(), selection);
  const std::vector<CaptureColumn> columns = aggregator.columns();
  ASSERT_EQ(columns.size(), 4U);
  for (std::size_t i = 0; i < columns.size(); ++i) {
    EXPECT_EQ(columns[i], analysis_catalogue()[selection[i]].column);
  }
  EXPECT_EQ(columns[0].name, "I L2 max");
  EXPECT_EQ(to_string(columns[2].obis), "1-0:62.8.0.255");
}

TEST(AnalysisAggregator, AverageMinimumMaximumAndLastOfTwoMeasurements) {
  AnalysisAggregator aggregator(select({"u_l1_avg", "u_l1_min", "u_l1_max", "u_l1", "i_l1_avg"}));
  aggregator.add(single_phase(230.0, 4.0));
  aggregator.add(single_phase(240.0, 5.0));
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("u_l1_avg"), 23500);  // 235.00 V
  EXPECT_EQ(row.at("u_l1_min"), 23000);
  EXPECT_EQ(row.at("u_l1_max"), 24000);
  EXPECT_EQ(row.at("u_l1"), 24000);  // the last measurement
  EXPECT_EQ(row.at("i_l1_avg"), 4500);
}

TEST(AnalysisAggregator, AveragesAreWeightedByDuration) {
  AnalysisAggregator aggregator(select({"u_l1_avg", "i_l1_avg", "i_l1_min", "i_l1_max"}));
  aggregator.add(single_phase(230.0, 10.0, 100'000));
  aggregator.add(single_phase(240.0, 2.0, 300'000));
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("u_l1_avg"), 23750);  // (230 × 1 + 240 × 3) / 4
  EXPECT_EQ(row.at("i_l1_avg"), 4000);   // (10 × 1 + 2 × 3) / 4
  EXPECT_EQ(row.at("i_l1_min"), 2000);
  EXPECT_EQ(row.at("i_l1_max"), 10000);
}

TEST(AnalysisAggregator, ExtremesOverManyMeasurementsNotJustTheFirst) {
  AnalysisAggregator aggregator(select({"u_l1_min", "u_l1_max"}));
  for (const double voltage_v : {231.0, 228.5, 236.25, 229.0, 233.0}) {
    aggregator.add(single_phase(voltage_v, 1.0));
  }
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("u_l1_min"), 22850);
  EXPECT_EQ(row.at("u_l1_max"), 23625);
}

TEST(AnalysisAggregator, NullWithoutMeasurementsButEnergiesAlwaysRead) {
  AnalysisAggregator aggregator(
      select({"u_l1", "u_l1_avg", "u_l1_min", "u_l1_max", "pf_total_avg", "a_plus"}));
  EnergyRegisters energy;
  Measurement load = single_phase(230.0, 4.35);
  set_powers(load.phases[0], 1000.0, 0.0);
  add_one_hour(energy, load);

  EXPECT_FALSE(aggregator.has_data());
  auto row = capture(aggregator, energy);
  EXPECT_EQ(row.at("u_l1"), null_value);
  EXPECT_EQ(row.at("u_l1_avg"), null_value);
  EXPECT_EQ(row.at("u_l1_min"), null_value);
  EXPECT_EQ(row.at("u_l1_max"), null_value);
  EXPECT_EQ(row.at("pf_total_avg"), null_value);
  EXPECT_EQ(row.at("a_plus"), 1000);

  aggregator.add(single_phase(230.0, 1.0));
  EXPECT_TRUE(aggregator.has_data());
  EXPECT_EQ(capture(aggregator, energy).at("u_l1_avg"), 23000);

  aggregator.reset();
  EXPECT_FALSE(aggregator.has_data());
  EXPECT_EQ(aggregator.selection().size(), 6U);  // reset keeps the selection
  row = capture(aggregator, energy);
  EXPECT_EQ(row.at("u_l1_avg"), null_value);
  EXPECT_EQ(row.at("u_l1_max"), null_value);
  EXPECT_EQ(row.at("a_plus"), 1000);
}

TEST(AnalysisAggregator, ResetStartsTheExtremesAfresh) {
  AnalysisAggregator aggregator(select({"u_l1_min", "u_l1_max", "u_l1_avg"}));
  aggregator.add(single_phase(200.0, 1.0));
  aggregator.add(single_phase(250.0, 1.0));
  aggregator.reset();
  aggregator.add(single_phase(230.0, 1.0));
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("u_l1_min"), 23000);
  EXPECT_EQ(row.at("u_l1_max"), 23000);
  EXPECT_EQ(row.at("u_l1_avg"), 23000);
}

TEST(AnalysisAggregator, PartOfNoDurationIsIgnored) {
  AnalysisAggregator aggregator(select({"u_l1", "u_l1_min", "u_l1_avg"}));
  aggregator.add(single_phase(100.0, 1.0, 0));
  EXPECT_FALSE(aggregator.has_data());
  aggregator.add(single_phase(230.0, 1.0));
  aggregator.add(single_phase(100.0, 1.0, 0));
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("u_l1"), 23000);
  EXPECT_EQ(row.at("u_l1_min"), 23000);
  EXPECT_EQ(row.at("u_l1_avg"), 23000);
}

TEST(AnalysisAggregator, SignedActivePowerAndSplitReactiveAndApparentPower) {
  AnalysisAggregator aggregator(
      select({"p_l1", "q_plus_l1", "q_minus_l1", "s_plus_l1", "s_minus_l1", "pf_l1", "p_l1_avg",
              "s_plus_l1_avg", "s_minus_l1_avg"}));
  Measurement importing = single_phase(230.0, 5.0);
  set_powers(importing.phases[0], 800.0, 600.0);  // QI: S = 1000
  aggregator.add(importing);
  auto row = capture(aggregator);
  EXPECT_EQ(row.at("p_l1"), 800);
  EXPECT_EQ(row.at("q_plus_l1"), 600);
  EXPECT_EQ(row.at("q_minus_l1"), 0);
  EXPECT_EQ(row.at("s_plus_l1"), 1000);
  EXPECT_EQ(row.at("s_minus_l1"), 0);
  EXPECT_EQ(row.at("pf_l1"), 800);

  Measurement exporting = single_phase(230.0, 5.0);
  set_powers(exporting.phases[0], -1200.0, -500.0);  // QIII: S = 1300
  aggregator.add(exporting);
  row = capture(aggregator);
  EXPECT_EQ(row.at("p_l1"), -1200);
  EXPECT_EQ(row.at("q_plus_l1"), 0);
  EXPECT_EQ(row.at("q_minus_l1"), 500);
  EXPECT_EQ(row.at("s_plus_l1"), 0);
  EXPECT_EQ(row.at("s_minus_l1"), 1300);
  EXPECT_EQ(row.at("pf_l1"), -923);  // -1200 / 1300 = -0.9231
  EXPECT_EQ(row.at("p_l1_avg"), -200);
  EXPECT_EQ(row.at("s_plus_l1_avg"), 500);
  EXPECT_EQ(row.at("s_minus_l1_avg"), 650);
}

TEST(AnalysisAggregator, TotalsSumThePhases) {
  AnalysisAggregator aggregator(select(
      {"p_total", "q_plus_total", "q_minus_total", "s_plus_total", "s_minus_total", "pf_total"}));
  Measurement m;
  m.connection = Connection::three_phase_4w;
  m.duration_us = interval_us;
  set_powers(m.phases[0], 3000.0, 400.0);
  set_powers(m.phases[1], -2000.0, 0.0);  // a PV inverter on L2
  set_powers(m.phases[2], 300.0, -400.0);
  aggregator.add(m);
  const auto row = capture(aggregator);
  const double apparent_va = std::hypot(3000.0, 400.0) + 2000.0 + 500.0;
  EXPECT_EQ(row.at("p_total"), 1300);
  EXPECT_EQ(row.at("q_plus_total"), 0);  // +400 - 400: no net reactive power
  EXPECT_EQ(row.at("q_minus_total"), 0);
  EXPECT_EQ(row.at("s_plus_total"), std::llround(apparent_va));  // arithmetic, like the registers
  EXPECT_EQ(row.at("s_minus_total"), 0);
  EXPECT_EQ(row.at("pf_total"), std::llround(1300.0 / apparent_va * 1000.0));
}

TEST(AnalysisAggregator, SinglePhaseTotalsIgnoreEmptySlotsAndAbsentPhasesReadTheirSlot) {
  AnalysisAggregator aggregator(select({"p_total", "u_l2", "u_l3_avg", "i_l2_max", "pf_l2"}));
  Measurement m = single_phase(230.0, 5.0);
  set_powers(m.phases[0], 1000.0, 0.0);
  m.phases[1].active_power_w = 500.0;  // garbage in a slot 1p2w does not meter
  aggregator.add(m);
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("p_total"), 1000);
  EXPECT_EQ(row.at("u_l2"), 0);
  EXPECT_EQ(row.at("u_l3_avg"), 0);
  EXPECT_EQ(row.at("i_l2_max"), 0);
  EXPECT_EQ(row.at("pf_l2"), 1000);  // the PhaseMeasurement default
}

TEST(AnalysisAggregator, AveragePowerFactorIsActiveOverApparentEnergy) {
  AnalysisAggregator aggregator(select({"pf_l1_avg", "pf_total_avg", "pf_l1"}));
  Measurement loaded = single_phase(230.0, 4.35);
  set_powers(loaded.phases[0], 900.0, std::sqrt(1000.0 * 1000.0 - 900.0 * 900.0));  // PF 0.9
  Measurement standby = single_phase(230.0, 0.43);
  set_powers(standby.phases[0], 30.0, std::sqrt(100.0 * 100.0 - 30.0 * 30.0));  // PF 0.3
  aggregator.add(loaded);
  aggregator.add(standby);
  const auto row = capture(aggregator);
  // (900 + 30) / (1000 + 100) = 0.84545; the plain mean of PF would be 0.6.
  EXPECT_EQ(row.at("pf_l1_avg"), 845);
  EXPECT_EQ(row.at("pf_total_avg"), 845);
  EXPECT_EQ(row.at("pf_l1"), 300);
}

TEST(AnalysisAggregator, AveragePowerFactorWithoutLoadIsOne) {
  AnalysisAggregator aggregator(select({"pf_l1_avg", "pf_total_avg", "pf_total"}));
  aggregator.add(single_phase(230.0, 0.0));
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("pf_l1_avg"), 1000);
  EXPECT_EQ(row.at("pf_total_avg"), 1000);
  EXPECT_EQ(row.at("pf_total"), 1000);
}

TEST(AnalysisAggregator, ReactiveAndApparentAveragesMatchTheEnergyRegisters) {
  AnalysisAggregator aggregator(
      select({"q_plus_total_avg", "q_minus_total_avg", "s_plus_total_avg", "s_minus_total_avg",
              "r_plus", "r_minus", "apparent_plus", "apparent_minus"}));
  EnergyRegisters energy;
  // One hour: 100 ms in QI (800 W, 600 var), 100 ms in QIII (-300 W, -400 var), repeated.
  Measurement first = single_phase(230.0, 4.35, 100'000);
  set_powers(first.phases[0], 800.0, 600.0);
  Measurement second = single_phase(230.0, 2.17, 100'000);
  set_powers(second.phases[0], -300.0, -400.0);
  for (int i = 0; i < 18'000; ++i) {
    energy.add(first);
    aggregator.add(first);
    energy.add(second);
    aggregator.add(second);
  }
  const auto row = capture(aggregator, energy);
  EXPECT_EQ(row.at("q_plus_total_avg"), 300);
  EXPECT_EQ(row.at("r_plus"), 300);
  EXPECT_EQ(row.at("q_minus_total_avg"), 200);
  EXPECT_EQ(row.at("r_minus"), 200);
  EXPECT_EQ(row.at("s_plus_total_avg"), 500);
  EXPECT_EQ(row.at("apparent_plus"), 500);
  EXPECT_EQ(row.at("s_minus_total_avg"), 250);
  EXPECT_EQ(row.at("apparent_minus"), 250);
}

TEST(AnalysisAggregator, EnergiesPerPhaseAndQuadrant) {
  AnalysisAggregator aggregator(select({"a_plus", "a_minus", "r_q1", "r_q2", "r_q3", "r_q4",
                                        "a_plus_l1", "a_minus_l1", "a_plus_l2", "a_minus_l3"}));
  EnergyRegisters energy;
  Measurement m;
  m.connection = Connection::three_phase_4w;
  set_powers(m.phases[0], 2000.0, 100.0);
  set_powers(m.phases[1], 500.0, 0.0);
  set_powers(m.phases[2], -4000.0, 0.0);
  add_one_hour(energy, m);
  const auto row = capture(aggregator, energy);
  EXPECT_EQ(row.at("a_plus"), 0);
  EXPECT_EQ(row.at("a_minus"), 1500);  // the total nets the phases
  EXPECT_EQ(row.at("r_q1"), 0);
  EXPECT_EQ(row.at("r_q2"), 100);
  EXPECT_EQ(row.at("r_q3"), 0);
  EXPECT_EQ(row.at("r_q4"), 0);
  EXPECT_EQ(row.at("a_plus_l1"), 2000);
  EXPECT_EQ(row.at("a_minus_l1"), 0);
  EXPECT_EQ(row.at("a_plus_l2"), 500);
  EXPECT_EQ(row.at("a_minus_l3"), 4000);
}

TEST(AnalysisAggregator, OtherQuantitiesAndRounding) {
  AnalysisAggregator aggregator(
      select({"f", "f_avg", "i_n", "u_unbalance_avg", "thd_u_l1", "thd_i_l1_avg", "p_l1", "i_l1"}));
  Measurement m = single_phase(230.0, 0.0004999);
  m.frequency_hz = 49.9876;
  m.neutral_current_a = 5.0;
  m.voltage_unbalance_percent = 1.5;
  m.phases[0].voltage_thd_percent = 3.456;
  m.phases[0].current_thd_percent = 42.0;
  m.phases[0].active_power_w = -1000.5;
  aggregator.add(m);
  m.frequency_hz = 50.0124;
  m.phases[0].current_thd_percent = 43.0;
  aggregator.add(m);
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("f"), 50012);
  EXPECT_EQ(row.at("f_avg"), 50000);
  EXPECT_EQ(row.at("i_n"), 5000);
  EXPECT_EQ(row.at("u_unbalance_avg"), 150);
  EXPECT_EQ(row.at("thd_u_l1"), 346);  // 345.6 hundredths of a percent
  EXPECT_EQ(row.at("thd_i_l1_avg"), 4250);
  EXPECT_EQ(row.at("p_l1"), -1001);  // half away from zero
  EXPECT_EQ(row.at("i_l1"), 0);      // 0.4999 mA
}

TEST(AnalysisAggregator, NonFiniteValueIsNull) {
  AnalysisAggregator aggregator(select({"u_l1", "u_l1_avg", "i_l1"}));
  aggregator.add(single_phase(std::numeric_limits<double>::quiet_NaN(), 1e300));
  const auto row = capture(aggregator);
  EXPECT_EQ(row.at("u_l1"), null_value);
  EXPECT_EQ(row.at("u_l1_avg"), null_value);
  EXPECT_EQ(row.at("i_l1"), null_value);  // 1e303 mA has no 64-bit value
}

TEST(AnalysisAggregator, EmptySelectionCapturesNothing) {
  AnalysisAggregator aggregator;
  aggregator.add(single_phase(230.0, 1.0));
  aggregator.capture({}, {});
  EXPECT_TRUE(aggregator.columns().empty());
  EXPECT_EQ(aggregator.save(), (std::vector<double>{0.0, 200'000.0}));
}

// --- Persistence ----------------------------------------------------------------------------

AnalysisAggregator filled_aggregator() {
  AnalysisAggregator aggregator(
      select({"u_l1_avg", "u_l1_min", "u_l1_max", "i_l1", "pf_l1_avg", "a_plus"}));
  Measurement m = single_phase(231.0, 4.0, 150'000);
  set_powers(m.phases[0], 900.0, 300.0);
  aggregator.add(m);
  m = single_phase(229.0, 6.0, 50'000);
  set_powers(m.phases[0], 1200.0, 0.0);
  aggregator.add(m);
  return aggregator;
}

TEST(AnalysisAggregatorState, SaveLayout) {
  const AnalysisAggregator aggregator = filled_aggregator();
  const std::vector<double> saved = aggregator.save();
  const std::size_t n = 6;  // u_l1_avg, u_l1_min, u_l1_max, i_l1, pf_l1_avg, a_plus
  ASSERT_EQ(saved.size(), 2 + 6 * n);
  EXPECT_EQ(saved[0], 6.0);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(saved[1 + i], static_cast<double>(aggregator.selection()[i]));
  }
  const std::size_t sums = n + 2;
  const std::size_t apparent_sums = sums + n;
  const std::size_t minima = apparent_sums + n;
  const std::size_t maxima = minima + n;
  const std::size_t latest = maxima + n;
  EXPECT_EQ(saved[n + 1], 200'000.0);  // weight_us
  EXPECT_EQ(saved[sums + 0], 231.0 * 150'000 + 229.0 * 50'000);
  EXPECT_EQ(saved[apparent_sums + 4], std::hypot(900.0, 300.0) * 150'000 + 1200.0 * 50'000);
  EXPECT_EQ(saved[minima + 1], 229.0);
  EXPECT_EQ(saved[maxima + 2], 231.0);
  EXPECT_EQ(saved[latest + 3], 6.0);
  // Slots a kind does not use stay 0.
  EXPECT_EQ(saved[sums + 1], 0.0);
  EXPECT_EQ(saved[minima + 0], 0.0);
  EXPECT_EQ(saved[latest + 5], 0.0);
}

TEST(AnalysisAggregatorState, RoundTripRestoresTheSameStatistics) {
  const AnalysisAggregator original = filled_aggregator();
  AnalysisAggregator restored(original.selection());
  const Status ok = restored.restore(original.save());
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(restored, original);
  EXPECT_TRUE(restored.has_data());

  EnergyRegisters energy;
  EXPECT_EQ(capture(restored, energy), capture(original, energy));
  const auto row = capture(restored);
  EXPECT_EQ(row.at("u_l1_avg"), 23050);  // (231 × 3 + 229) / 4
  EXPECT_EQ(row.at("u_l1_min"), 22900);
  EXPECT_EQ(row.at("u_l1_max"), 23100);
  EXPECT_EQ(row.at("i_l1"), 6000);

  // Both continue alike.
  AnalysisAggregator continued = original;
  const Measurement next = single_phase(240.0, 1.0);
  continued.add(next);
  restored.add(next);
  EXPECT_EQ(restored, continued);
}

TEST(AnalysisAggregatorState, RestoreRefusesAWrongSizeAndKeepsItsState) {
  AnalysisAggregator aggregator = filled_aggregator();
  const AnalysisAggregator before = aggregator;
  std::vector<double> saved = aggregator.save();
  saved.pop_back();
  const Status short_state = aggregator.restore(saved);
  ASSERT_FALSE(short_state);
  EXPECT_EQ(short_state.error().message, "analysis log: saved state has 37 numbers, expected 38");
  EXPECT_EQ(aggregator, before);

  const Status empty = aggregator.restore({});
  ASSERT_FALSE(empty);
  EXPECT_EQ(aggregator, before);
}

TEST(AnalysisAggregatorState, RestoreRefusesAnotherSelection) {
  const AnalysisAggregator source = filled_aggregator();
  // Same size, other quantities.
  AnalysisAggregator other(
      select({"u_l2_avg", "u_l1_min", "u_l1_max", "i_l1", "pf_l1_avg", "a_plus"}));
  const AnalysisAggregator before = other;
  const Status status = other.restore(source.save());
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().message, "analysis log: saved state is for another selection of values");
  EXPECT_EQ(other, before);
}

TEST(AnalysisAggregatorState, RestoreRefusesNonFiniteOrNegativeWeight) {
  const AnalysisAggregator source = filled_aggregator();
  for (const double bad :
       {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), -1.0}) {
    std::vector<double> saved = source.save();
    saved[source.selection().size() + 1] = bad;  // the weight
    AnalysisAggregator target(source.selection());
    const AnalysisAggregator before = target;
    const Status status = target.restore(saved);
    ASSERT_FALSE(status) << bad;
    EXPECT_EQ(target, before);
  }
  std::vector<double> saved = source.save();
  saved.back() = std::numeric_limits<double>::infinity();
  AnalysisAggregator target(source.selection());
  EXPECT_FALSE(target.restore(saved));
}

}  // namespace
}  // namespace gridmeter
