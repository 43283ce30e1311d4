#include "meter/analysis_log.hpp"

#include <fmt/format.h>

#include <algorithm>         // std::clamp, std::find_if, std::fill, std::all_of, std::copy
#include <array>             // std::array
#include <cassert>           // assert
#include <cmath>             // std::isfinite, std::llround
#include <initializer_list>  // the lists of state blocks in save() and restore()
#include <utility>           // std::move

#include "core/obis.hpp"
#include "meter/meter_config.hpp"

namespace gridmeter {
namespace {

// What a catalogue entry reads from a measurement (or, for energy, from the registers).
enum class Quantity : std::uint8_t {
  voltage,
  current,
  neutral_current,
  active_power,          // signed: > 0 import
  reactive_power_plus,   // Q when Q ≥ 0 (QI + QII), else 0
  reactive_power_minus,  // -Q when Q < 0 (QIII + QIV), else 0
  apparent_power_plus,   // S when P ≥ 0 (QI + QIV), else 0
  apparent_power_minus,  // S when P < 0 (QII + QIII), else 0
  power_factor,          // signed like P
  frequency,
  voltage_thd,
  current_thd,
  voltage_unbalance,
  energy,
};

// Measuring point: phase slot 0..2 (L1..L3), or `total` for the sum over the phases and for
// quantities of no phase (frequency, neutral current, unbalance).
constexpr std::uint8_t total = 3;

// One catalogue entry as data; the OBIS code is 1-0:C.D.E.255 with D from the kind.
struct Spec {
  std::string_view id;
  std::string_view label;  // CaptureColumn::name
  std::string_view description;
  AnalysisKind kind = AnalysisKind::instantaneous;
  Quantity quantity = Quantity::voltage;
  std::uint8_t point = total;
  std::uint8_t c = 0;  // OBIS value group C
  std::uint8_t e = 0;  // OBIS value group E
  Unit unit = Unit::count;
  std::int8_t scaler = 0;
  EnergyKind energy = EnergyKind::active_import;  // Quantity::energy only
};

// Value group D of each kind (IEC 62056-6-1 clause 5.4.5): 3 minimum 1, 6 maximum 1,
// 7 instantaneous, 8 time integral 1 (energy since the register was reset), 25 last average 3.
constexpr std::uint8_t value_group_d(AnalysisKind kind) {
  switch (kind) {
    case AnalysisKind::instantaneous:
      return 7;
    case AnalysisKind::average:
      return 25;
    case AnalysisKind::minimum:
      return 3;
    case AnalysisKind::maximum:
      return 6;
    case AnalysisKind::energy:
      return 8;
  }
  return 0;
}

// Resolutions: 0.01 V, 1 mA, 1 W/var/VA, 0.001 of power factor, 1 mHz, 0.01 %, and whole
// Wh/varh/VAh for energies, like the energy registers a residential meter displays.
constexpr std::int8_t voltage_scaler = -2;
constexpr std::int8_t current_scaler = -3;
constexpr std::int8_t power_scaler = 0;
constexpr std::int8_t power_factor_scaler = -3;
constexpr std::int8_t frequency_scaler = -3;
constexpr std::int8_t percent_scaler = -2;
constexpr std::int8_t energy_scaler = 0;

// Short names for the table's kind column.
constexpr AnalysisKind instant = AnalysisKind::instantaneous;
constexpr AnalysisKind average = AnalysisKind::average;
constexpr AnalysisKind minimum = AnalysisKind::minimum;
constexpr AnalysisKind maximum = AnalysisKind::maximum;

constexpr Spec row(AnalysisKind kind, std::string_view id, std::string_view label,
                   std::string_view description, Quantity quantity, std::uint8_t point,
                   std::uint8_t c, std::uint8_t e, Unit unit, std::int8_t scaler) {
  return Spec{id, label, description, kind, quantity, point, c, e, unit, scaler};
}
constexpr Spec energy_row(std::string_view id, std::string_view label, std::string_view description,
                          EnergyKind energy, std::uint8_t point, std::uint8_t c, Unit unit) {
  return Spec{id,   label,         description, AnalysisKind::energy, Quantity::energy, point, c, 0,
              unit, energy_scaler, energy};
}

// The powers and their value group C (IEC 62056-6-1 clause 5.4.4 table; a phase adds 20
// (L1), 40 (L2) or 60 (L3) to the total's code):
//   P signed: 16 "Σ Li active power (QI+QIV) − (QII+QIII)" and 36/56/76 for L1..L3, the one
//     signed power OBIS has. (21/41/61 are +P, import only: a signed value there would break
//     their meaning.)
//   Q and S: OBIS has no signed codes, so each is split as the energy registers split it:
//     3 Q+ (QI+QII) and 4 Q- (QIII+QIV), 9 S+ (S while P ≥ 0, QI+QIV) and 10 S- (QII+QIII),
//     each ≥ 0. The average of Q+ over an interval times its length is R+'s increase (to the
//     registers' rounding), and so on for the others.
//   PF: 13 (total: ΣP / ΣS) and 33/53/73, signed like P.
//   THD (E = 124 "total harmonic distortion" under the voltage and current codes 32/52/72,
//     31/51/71); frequency 14; neutral current 91.
//   Voltage unbalance u2: OBIS has no code for it; C = 12 "voltage, any phase" with E = 128,
//     from the manufacturer-specific range of group E (128..254), so it can collide with no
//     standard code.
constexpr std::array catalogue_specs{
    // Instantaneous: the last measurement of the interval (D = 7).
    row(instant, "u_l1", "U L1", "voltage L1", Quantity::voltage, 0, 32, 0, Unit::volt,
        voltage_scaler),
    row(instant, "u_l2", "U L2", "voltage L2", Quantity::voltage, 1, 52, 0, Unit::volt,
        voltage_scaler),
    row(instant, "u_l3", "U L3", "voltage L3", Quantity::voltage, 2, 72, 0, Unit::volt,
        voltage_scaler),
    row(instant, "i_l1", "I L1", "current L1", Quantity::current, 0, 31, 0, Unit::ampere,
        current_scaler),
    row(instant, "i_l2", "I L2", "current L2", Quantity::current, 1, 51, 0, Unit::ampere,
        current_scaler),
    row(instant, "i_l3", "I L3", "current L3", Quantity::current, 2, 71, 0, Unit::ampere,
        current_scaler),
    row(instant, "i_n", "I N", "neutral current", Quantity::neutral_current, total, 91, 0,
        Unit::ampere, current_scaler),
    row(instant, "p_l1", "P L1", "active power L1, signed (> 0 import)", Quantity::active_power, 0,
        36, 0, Unit::watt, power_scaler),
    row(instant, "p_l2", "P L2", "active power L2, signed (> 0 import)", Quantity::active_power, 1,
        56, 0, Unit::watt, power_scaler),
    row(instant, "p_l3", "P L3", "active power L3, signed (> 0 import)", Quantity::active_power, 2,
        76, 0, Unit::watt, power_scaler),
    row(instant, "p_total", "P total", "active power total, signed (> 0 import)",
        Quantity::active_power, total, 16, 0, Unit::watt, power_scaler),
    row(instant, "q_plus_l1", "Q+ L1", "reactive power+ L1 (QI+QII)", Quantity::reactive_power_plus,
        0, 23, 0, Unit::var, power_scaler),
    row(instant, "q_plus_l2", "Q+ L2", "reactive power+ L2 (QI+QII)", Quantity::reactive_power_plus,
        1, 43, 0, Unit::var, power_scaler),
    row(instant, "q_plus_l3", "Q+ L3", "reactive power+ L3 (QI+QII)", Quantity::reactive_power_plus,
        2, 63, 0, Unit::var, power_scaler),
    row(instant, "q_plus_total", "Q+ total", "reactive power+ total (QI+QII)",
        Quantity::reactive_power_plus, total, 3, 0, Unit::var, power_scaler),
    row(instant, "q_minus_l1", "Q- L1", "reactive power- L1 (QIII+QIV)",
        Quantity::reactive_power_minus, 0, 24, 0, Unit::var, power_scaler),
    row(instant, "q_minus_l2", "Q- L2", "reactive power- L2 (QIII+QIV)",
        Quantity::reactive_power_minus, 1, 44, 0, Unit::var, power_scaler),
    row(instant, "q_minus_l3", "Q- L3", "reactive power- L3 (QIII+QIV)",
        Quantity::reactive_power_minus, 2, 64, 0, Unit::var, power_scaler),
    row(instant, "q_minus_total", "Q- total", "reactive power- total (QIII+QIV)",
        Quantity::reactive_power_minus, total, 4, 0, Unit::var, power_scaler),
    row(instant, "s_plus_l1", "S+ L1", "apparent power+ L1 (QI+QIV)", Quantity::apparent_power_plus,
        0, 29, 0, Unit::volt_ampere, power_scaler),
    row(instant, "s_plus_l2", "S+ L2", "apparent power+ L2 (QI+QIV)", Quantity::apparent_power_plus,
        1, 49, 0, Unit::volt_ampere, power_scaler),
    row(instant, "s_plus_l3", "S+ L3", "apparent power+ L3 (QI+QIV)", Quantity::apparent_power_plus,
        2, 69, 0, Unit::volt_ampere, power_scaler),
    row(instant, "s_plus_total", "S+ total", "apparent power+ total (QI+QIV)",
        Quantity::apparent_power_plus, total, 9, 0, Unit::volt_ampere, power_scaler),
    row(instant, "s_minus_l1", "S- L1", "apparent power- L1 (QII+QIII)",
        Quantity::apparent_power_minus, 0, 30, 0, Unit::volt_ampere, power_scaler),
    row(instant, "s_minus_l2", "S- L2", "apparent power- L2 (QII+QIII)",
        Quantity::apparent_power_minus, 1, 50, 0, Unit::volt_ampere, power_scaler),
    row(instant, "s_minus_l3", "S- L3", "apparent power- L3 (QII+QIII)",
        Quantity::apparent_power_minus, 2, 70, 0, Unit::volt_ampere, power_scaler),
    row(instant, "s_minus_total", "S- total", "apparent power- total (QII+QIII)",
        Quantity::apparent_power_minus, total, 10, 0, Unit::volt_ampere, power_scaler),
    row(instant, "pf_l1", "PF L1", "power factor L1, signed like P", Quantity::power_factor, 0, 33,
        0, Unit::count, power_factor_scaler),
    row(instant, "pf_l2", "PF L2", "power factor L2, signed like P", Quantity::power_factor, 1, 53,
        0, Unit::count, power_factor_scaler),
    row(instant, "pf_l3", "PF L3", "power factor L3, signed like P", Quantity::power_factor, 2, 73,
        0, Unit::count, power_factor_scaler),
    row(instant, "pf_total", "PF total", "power factor total, signed like P",
        Quantity::power_factor, total, 13, 0, Unit::count, power_factor_scaler),
    row(instant, "f", "f", "supply frequency", Quantity::frequency, total, 14, 0, Unit::hertz,
        frequency_scaler),
    row(instant, "thd_u_l1", "THD U L1", "voltage THD L1", Quantity::voltage_thd, 0, 32, 124,
        Unit::percent, percent_scaler),
    row(instant, "thd_u_l2", "THD U L2", "voltage THD L2", Quantity::voltage_thd, 1, 52, 124,
        Unit::percent, percent_scaler),
    row(instant, "thd_u_l3", "THD U L3", "voltage THD L3", Quantity::voltage_thd, 2, 72, 124,
        Unit::percent, percent_scaler),
    row(instant, "thd_i_l1", "THD I L1", "current THD L1", Quantity::current_thd, 0, 31, 124,
        Unit::percent, percent_scaler),
    row(instant, "thd_i_l2", "THD I L2", "current THD L2", Quantity::current_thd, 1, 51, 124,
        Unit::percent, percent_scaler),
    row(instant, "thd_i_l3", "THD I L3", "current THD L3", Quantity::current_thd, 2, 71, 124,
        Unit::percent, percent_scaler),
    row(instant, "u_unbalance", "u2", "voltage unbalance u2 (negative / positive sequence)",
        Quantity::voltage_unbalance, total, 12, 128, Unit::percent, percent_scaler),

    // Interval averages, weighted by time (D = 25).
    row(average, "u_l1_avg", "U L1 avg", "voltage L1, interval average", Quantity::voltage, 0, 32,
        0, Unit::volt, voltage_scaler),
    row(average, "u_l2_avg", "U L2 avg", "voltage L2, interval average", Quantity::voltage, 1, 52,
        0, Unit::volt, voltage_scaler),
    row(average, "u_l3_avg", "U L3 avg", "voltage L3, interval average", Quantity::voltage, 2, 72,
        0, Unit::volt, voltage_scaler),
    row(average, "i_l1_avg", "I L1 avg", "current L1, interval average", Quantity::current, 0, 31,
        0, Unit::ampere, current_scaler),
    row(average, "i_l2_avg", "I L2 avg", "current L2, interval average", Quantity::current, 1, 51,
        0, Unit::ampere, current_scaler),
    row(average, "i_l3_avg", "I L3 avg", "current L3, interval average", Quantity::current, 2, 71,
        0, Unit::ampere, current_scaler),
    row(average, "i_n_avg", "I N avg", "neutral current, interval average",
        Quantity::neutral_current, total, 91, 0, Unit::ampere, current_scaler),
    row(average, "p_l1_avg", "P L1 avg", "active power L1, signed, interval average",
        Quantity::active_power, 0, 36, 0, Unit::watt, power_scaler),
    row(average, "p_l2_avg", "P L2 avg", "active power L2, signed, interval average",
        Quantity::active_power, 1, 56, 0, Unit::watt, power_scaler),
    row(average, "p_l3_avg", "P L3 avg", "active power L3, signed, interval average",
        Quantity::active_power, 2, 76, 0, Unit::watt, power_scaler),
    row(average, "p_total_avg", "P total avg", "active power total, signed, interval average",
        Quantity::active_power, total, 16, 0, Unit::watt, power_scaler),
    row(average, "q_plus_l1_avg", "Q+ L1 avg", "reactive power+ L1, interval average",
        Quantity::reactive_power_plus, 0, 23, 0, Unit::var, power_scaler),
    row(average, "q_plus_l2_avg", "Q+ L2 avg", "reactive power+ L2, interval average",
        Quantity::reactive_power_plus, 1, 43, 0, Unit::var, power_scaler),
    row(average, "q_plus_l3_avg", "Q+ L3 avg", "reactive power+ L3, interval average",
        Quantity::reactive_power_plus, 2, 63, 0, Unit::var, power_scaler),
    row(average, "q_plus_total_avg", "Q+ total avg", "reactive power+ total, interval average",
        Quantity::reactive_power_plus, total, 3, 0, Unit::var, power_scaler),
    row(average, "q_minus_l1_avg", "Q- L1 avg", "reactive power- L1, interval average",
        Quantity::reactive_power_minus, 0, 24, 0, Unit::var, power_scaler),
    row(average, "q_minus_l2_avg", "Q- L2 avg", "reactive power- L2, interval average",
        Quantity::reactive_power_minus, 1, 44, 0, Unit::var, power_scaler),
    row(average, "q_minus_l3_avg", "Q- L3 avg", "reactive power- L3, interval average",
        Quantity::reactive_power_minus, 2, 64, 0, Unit::var, power_scaler),
    row(average, "q_minus_total_avg", "Q- total avg", "reactive power- total, interval average",
        Quantity::reactive_power_minus, total, 4, 0, Unit::var, power_scaler),
    row(average, "s_plus_l1_avg", "S+ L1 avg", "apparent power+ L1, interval average",
        Quantity::apparent_power_plus, 0, 29, 0, Unit::volt_ampere, power_scaler),
    row(average, "s_plus_l2_avg", "S+ L2 avg", "apparent power+ L2, interval average",
        Quantity::apparent_power_plus, 1, 49, 0, Unit::volt_ampere, power_scaler),
    row(average, "s_plus_l3_avg", "S+ L3 avg", "apparent power+ L3, interval average",
        Quantity::apparent_power_plus, 2, 69, 0, Unit::volt_ampere, power_scaler),
    row(average, "s_plus_total_avg", "S+ total avg", "apparent power+ total, interval average",
        Quantity::apparent_power_plus, total, 9, 0, Unit::volt_ampere, power_scaler),
    row(average, "s_minus_l1_avg", "S- L1 avg", "apparent power- L1, interval average",
        Quantity::apparent_power_minus, 0, 30, 0, Unit::volt_ampere, power_scaler),
    row(average, "s_minus_l2_avg", "S- L2 avg", "apparent power- L2, interval average",
        Quantity::apparent_power_minus, 1, 50, 0, Unit::volt_ampere, power_scaler),
    row(average, "s_minus_l3_avg", "S- L3 avg", "apparent power- L3, interval average",
        Quantity::apparent_power_minus, 2, 70, 0, Unit::volt_ampere, power_scaler),
    row(average, "s_minus_total_avg", "S- total avg", "apparent power- total, interval average",
        Quantity::apparent_power_minus, total, 10, 0, Unit::volt_ampere, power_scaler),
    row(average, "pf_l1_avg", "PF L1 avg",
        "power factor L1, interval average (P energy / S energy)", Quantity::power_factor, 0, 33, 0,
        Unit::count, power_factor_scaler),
    row(average, "pf_l2_avg", "PF L2 avg",
        "power factor L2, interval average (P energy / S energy)", Quantity::power_factor, 1, 53, 0,
        Unit::count, power_factor_scaler),
    row(average, "pf_l3_avg", "PF L3 avg",
        "power factor L3, interval average (P energy / S energy)", Quantity::power_factor, 2, 73, 0,
        Unit::count, power_factor_scaler),
    row(average, "pf_total_avg", "PF total avg",
        "power factor total, interval average (P energy / S energy)", Quantity::power_factor, total,
        13, 0, Unit::count, power_factor_scaler),
    row(average, "f_avg", "f avg", "supply frequency, interval average", Quantity::frequency, total,
        14, 0, Unit::hertz, frequency_scaler),
    row(average, "thd_u_l1_avg", "THD U L1 avg", "voltage THD L1, interval average",
        Quantity::voltage_thd, 0, 32, 124, Unit::percent, percent_scaler),
    row(average, "thd_u_l2_avg", "THD U L2 avg", "voltage THD L2, interval average",
        Quantity::voltage_thd, 1, 52, 124, Unit::percent, percent_scaler),
    row(average, "thd_u_l3_avg", "THD U L3 avg", "voltage THD L3, interval average",
        Quantity::voltage_thd, 2, 72, 124, Unit::percent, percent_scaler),
    row(average, "thd_i_l1_avg", "THD I L1 avg", "current THD L1, interval average",
        Quantity::current_thd, 0, 31, 124, Unit::percent, percent_scaler),
    row(average, "thd_i_l2_avg", "THD I L2 avg", "current THD L2, interval average",
        Quantity::current_thd, 1, 51, 124, Unit::percent, percent_scaler),
    row(average, "thd_i_l3_avg", "THD I L3 avg", "current THD L3, interval average",
        Quantity::current_thd, 2, 71, 124, Unit::percent, percent_scaler),
    row(average, "u_unbalance_avg", "u2 avg", "voltage unbalance u2, interval average",
        Quantity::voltage_unbalance, total, 12, 128, Unit::percent, percent_scaler),

    // Extremes of the interval's measurements (D = 3 and 6).
    row(minimum, "u_l1_min", "U L1 min", "voltage L1, interval minimum", Quantity::voltage, 0, 32,
        0, Unit::volt, voltage_scaler),
    row(minimum, "u_l2_min", "U L2 min", "voltage L2, interval minimum", Quantity::voltage, 1, 52,
        0, Unit::volt, voltage_scaler),
    row(minimum, "u_l3_min", "U L3 min", "voltage L3, interval minimum", Quantity::voltage, 2, 72,
        0, Unit::volt, voltage_scaler),
    row(minimum, "i_l1_min", "I L1 min", "current L1, interval minimum", Quantity::current, 0, 31,
        0, Unit::ampere, current_scaler),
    row(minimum, "i_l2_min", "I L2 min", "current L2, interval minimum", Quantity::current, 1, 51,
        0, Unit::ampere, current_scaler),
    row(minimum, "i_l3_min", "I L3 min", "current L3, interval minimum", Quantity::current, 2, 71,
        0, Unit::ampere, current_scaler),
    row(maximum, "u_l1_max", "U L1 max", "voltage L1, interval maximum", Quantity::voltage, 0, 32,
        0, Unit::volt, voltage_scaler),
    row(maximum, "u_l2_max", "U L2 max", "voltage L2, interval maximum", Quantity::voltage, 1, 52,
        0, Unit::volt, voltage_scaler),
    row(maximum, "u_l3_max", "U L3 max", "voltage L3, interval maximum", Quantity::voltage, 2, 72,
        0, Unit::volt, voltage_scaler),
    row(maximum, "i_l1_max", "I L1 max", "current L1, interval maximum", Quantity::current, 0, 31,
        0, Unit::ampere, current_scaler),
    row(maximum, "i_l2_max", "I L2 max", "current L2, interval maximum", Quantity::current, 1, 51,
        0, Unit::ampere, current_scaler),
    row(maximum, "i_l3_max", "I L3 max", "current L3, interval maximum", Quantity::current, 2, 71,
        0, Unit::ampere, current_scaler),

    // Energy registers at the capture (D = 8), the codes of read_energy_registers. Apparent
    // energy is "apparent_*", not "s_*", which would read as the powers s_plus_total etc.
    energy_row("a_plus", "A+", "active energy import A+ (QI+QIV), total", EnergyKind::active_import,
               total, 1, Unit::watt_hour),
    energy_row("a_minus", "A-", "active energy export A- (QII+QIII), total",
               EnergyKind::active_export, total, 2, Unit::watt_hour),
    energy_row("r_plus", "R+", "reactive energy R+ (QI+QII), total", EnergyKind::reactive_import,
               total, 3, Unit::var_hour),
    energy_row("r_minus", "R-", "reactive energy R- (QIII+QIV), total", EnergyKind::reactive_export,
               total, 4, Unit::var_hour),
    energy_row("r_q1", "R QI", "reactive energy QI, total", EnergyKind::reactive_q1, total, 5,
               Unit::var_hour),
    energy_row("r_q2", "R QII", "reactive energy QII, total", EnergyKind::reactive_q2, total, 6,
               Unit::var_hour),
    energy_row("r_q3", "R QIII", "reactive energy QIII, total", EnergyKind::reactive_q3, total, 7,
               Unit::var_hour),
    energy_row("r_q4", "R QIV", "reactive energy QIV, total", EnergyKind::reactive_q4, total, 8,
               Unit::var_hour),
    energy_row("apparent_plus", "S+", "apparent energy S+ (QI+QIV), total",
               EnergyKind::apparent_import, total, 9, Unit::volt_ampere_hour),
    energy_row("apparent_minus", "S-", "apparent energy S- (QII+QIII), total",
               EnergyKind::apparent_export, total, 10, Unit::volt_ampere_hour),
    energy_row("a_plus_l1", "A+ L1", "active energy import A+ L1", EnergyKind::active_import, 0, 21,
               Unit::watt_hour),
    energy_row("a_minus_l1", "A- L1", "active energy export A- L1", EnergyKind::active_export, 0,
               22, Unit::watt_hour),
    energy_row("a_plus_l2", "A+ L2", "active energy import A+ L2", EnergyKind::active_import, 1, 41,
               Unit::watt_hour),
    energy_row("a_minus_l2", "A- L2", "active energy export A- L2", EnergyKind::active_export, 1,
               42, Unit::watt_hour),
    energy_row("a_plus_l3", "A+ L3", "active energy import A+ L3", EnergyKind::active_import, 2, 61,
               Unit::watt_hour),
    energy_row("a_minus_l3", "A- L3", "active energy export A- L3", EnergyKind::active_export, 2,
               62, Unit::watt_hour),
};

constexpr Obis obis_of(const Spec& spec) {
  return Obis{1, 0, spec.c, value_group_d(spec.kind), spec.e, 255};
}

// Checked at compile time: a clash would make a column or an OBIS lookup ambiguous.
constexpr bool ids_and_codes_unique() {
  for (std::size_t i = 0; i < catalogue_specs.size(); ++i) {
    for (std::size_t j = i + 1; j < catalogue_specs.size(); ++j) {
      if (catalogue_specs[i].id == catalogue_specs[j].id) return false;
      if (obis_of(catalogue_specs[i]) == obis_of(catalogue_specs[j])) return false;
    }
  }
  return true;
}
static_assert(ids_and_codes_unique());
static_assert(catalogue_specs.size() > 80);

// Min/max only for the per-phase U and I the catalogue offers them for; energies read no
// measurement; no entry names a phase slot that does not exist.
constexpr bool specs_consistent() {
  for (const Spec& spec : catalogue_specs) {
    const bool extreme = spec.kind == minimum || spec.kind == maximum;
    if (extreme && spec.quantity != Quantity::voltage && spec.quantity != Quantity::current) {
      return false;
    }
    if ((spec.kind == AnalysisKind::energy) != (spec.quantity == Quantity::energy)) return false;
    if (spec.point > total) return false;
  }
  return true;
}
static_assert(specs_consistent());

struct Powers {
  double active_w = 0.0;
  double reactive_var = 0.0;
  double apparent_va = 0.0;
};

// A phase's powers, or for `total` their sum over the connection's phases, summed in the order
// EnergyRegisters::add sums them (so S± and Q± agree with the registers' quadrant choice).
Powers powers_at(const Measurement& measurement, std::uint8_t point) {
  if (point != total) {
    const PhaseMeasurement& phase = measurement.phases[point];
    return {phase.active_power_w, phase.reactive_power_var, phase.apparent_power_va};
  }
  Powers sum;
  for (std::size_t p = 0; p < phase_count(measurement.connection); ++p) {
    sum.active_w += measurement.phases[p].active_power_w;
    sum.reactive_var += measurement.phases[p].reactive_power_var;
    sum.apparent_va += measurement.phases[p].apparent_power_va;
  }
  return sum;
}

// P / S, in [-1, 1]; 1 without apparent power, the metrology's convention for no load.
double power_factor_of(const Powers& powers) {
  return powers.apparent_va > 0.0 ? std::clamp(powers.active_w / powers.apparent_va, -1.0, 1.0)
                                  : 1.0;
}

// The value of a spec's quantity in one measurement, in the spec's unit (not scaled).
double value_of(const Spec& spec, const Measurement& measurement) {
  const std::uint8_t point = spec.point;
  const PhaseMeasurement& phase = measurement.phases[point == total ? 0 : point];
  switch (spec.quantity) {
    case Quantity::voltage:
      return phase.voltage_v;
    case Quantity::current:
      return phase.current_a;
    case Quantity::neutral_current:
      return measurement.neutral_current_a;
    case Quantity::active_power:
      return powers_at(measurement, point).active_w;
    case Quantity::reactive_power_plus: {
      const double reactive_var = powers_at(measurement, point).reactive_var;
      return reactive_var >= 0.0 ? reactive_var : 0.0;
    }
    case Quantity::reactive_power_minus: {
      const double reactive_var = powers_at(measurement, point).reactive_var;
      return reactive_var < 0.0 ? -reactive_var : 0.0;
    }
    case Quantity::apparent_power_plus: {
      const Powers powers = powers_at(measurement, point);
      return powers.active_w >= 0.0 ? powers.apparent_va : 0.0;
    }
    case Quantity::apparent_power_minus: {
      const Powers powers = powers_at(measurement, point);
      return powers.active_w < 0.0 ? powers.apparent_va : 0.0;
    }
    case Quantity::power_factor:
      // A phase's own PF as the metrology computed it (for the 3-wire connection's elements,
      // the total's); the total's from the summed powers.
      return point == total ? power_factor_of(powers_at(measurement, point)) : phase.power_factor;
    case Quantity::frequency:
      return measurement.frequency_hz;
    case Quantity::voltage_thd:
      return phase.voltage_thd_percent;
    case Quantity::current_thd:
      return phase.current_thd_percent;
    case Quantity::voltage_unbalance:
      return measurement.voltage_unbalance_percent;
    case Quantity::energy:
      break;
  }
  return 0.0;
}

// value × 10^-scaler, rounded to nearest (half away from zero); null_value for a value that
// is not a number or does not fit, rather than an arbitrary integer.
std::int64_t to_scaled(double value, std::int8_t scaler) {
  // Multiplying by an exact power of ten (1, 100, 1000 here) keeps 235.00 V at 23500 exactly.
  double factor = 1.0;
  for (int i = 0; i > scaler; --i) {
    factor *= 10.0;
  }
  for (int i = 0; i < scaler; ++i) {
    factor /= 10.0;
  }
  const double scaled = value * factor;
  // 2^63 is exact in a double; anything at or beyond it has no int64 value.
  constexpr double int64_limit = 9'223'372'036'854'775'808.0;
  if (!std::isfinite(scaled) || scaled >= int64_limit || scaled <= -int64_limit) {
    return null_value;
  }
  return static_cast<std::int64_t>(std::llround(scaled));
}

std::int64_t energy_value(const Spec& spec, const EnergyRegisters& energy) {
  const EnergySet& set = spec.point == total ? energy.total : energy.phases[spec.point];
  return static_cast<std::int64_t>(set[spec.energy].in_units(spec.scaler));
}

std::vector<AnalysisQuantity> build_catalogue() {
  std::vector<AnalysisQuantity> catalogue;
  catalogue.reserve(catalogue_specs.size());
  for (const Spec& spec : catalogue_specs) {
    AnalysisQuantity quantity;
    quantity.id = spec.id;
    quantity.description = spec.description;
    quantity.kind = spec.kind;
    quantity.column.obis = obis_of(spec);
    quantity.column.scaler = spec.scaler;
    quantity.column.unit = spec.unit;
    quantity.column.name = std::string(spec.label);
    catalogue.push_back(std::move(quantity));
  }
  return catalogue;
}

std::size_t state_size(std::size_t selected) { return 2 + 6 * selected; }

}  // namespace

std::span<const AnalysisQuantity> analysis_catalogue() {
  static const std::vector<AnalysisQuantity> catalogue = build_catalogue();
  return catalogue;
}

std::optional<std::size_t> find_analysis_quantity(std::string_view id) {
  const std::span<const AnalysisQuantity> catalogue = analysis_catalogue();
  auto found = std::find_if(catalogue.begin(), catalogue.end(),
                            [&](const AnalysisQuantity& q) { return q.id == id; });
  if (found == catalogue.end()) {
    // Not an id: an OBIS code of an entry, in any form parse_obis reads.
    if (Result<Obis> code = parse_obis(id)) {
      found = std::find_if(catalogue.begin(), catalogue.end(),
                           [&](const AnalysisQuantity& q) { return q.column.obis == *code; });
    }
  }
  if (found == catalogue.end()) return std::nullopt;
  return static_cast<std::size_t>(found - catalogue.begin());
}

double instantaneous_value(std::size_t index, const Measurement& measurement) {
  assert(index < catalogue_specs.size());
  assert(catalogue_specs[index].kind == AnalysisKind::instantaneous);
  return value_of(catalogue_specs[index], measurement);
}

Result<std::vector<std::size_t>> resolve_analysis_values(std::span<const std::string> ids) {
  if (ids.size() > analysis_value_count_max) {
    return make_error(
        fmt::format("analysis log: {} values, at most {}", ids.size(), analysis_value_count_max));
  }
  std::vector<std::size_t> selection;
  selection.reserve(ids.size());
  for (std::size_t n = 0; n < ids.size(); ++n) {
    const std::string& id = ids[n];
    const std::optional<std::size_t> index = find_analysis_quantity(id);
    if (!index) {
      return make_error(
          fmt::format("analysis log: unknown value \"{}\" (see docs/analysis-log.md)", id));
    }
    const auto earlier = std::find(selection.begin(), selection.end(), *index);
    if (earlier != selection.end()) {
      const std::string& first = ids[static_cast<std::size_t>(earlier - selection.begin())];
      return make_error(first == id
                            ? fmt::format("analysis log: value \"{}\" given twice", id)
                            : fmt::format("analysis log: value \"{}\" is \"{}\" again", id, first));
    }
    selection.push_back(*index);
  }
  return selection;
}

AnalysisAggregator::AnalysisAggregator(std::vector<std::size_t> selection)
    : selection_(std::move(selection)),
      sums_(selection_.size()),
      apparent_sums_(selection_.size()),
      minima_(selection_.size()),
      maxima_(selection_.size()),
      latest_(selection_.size()) {
  assert(std::all_of(selection_.begin(), selection_.end(),
                     [](std::size_t index) { return index < catalogue_specs.size(); }));
}

std::vector<CaptureColumn> AnalysisAggregator::columns() const {
  const std::span<const AnalysisQuantity> catalogue = analysis_catalogue();
  std::vector<CaptureColumn> columns;
  columns.reserve(selection_.size());
  for (const std::size_t index : selection_) {
    columns.push_back(catalogue[index].column);
  }
  return columns;
}

void AnalysisAggregator::add(const Measurement& measurement) {
  if (measurement.duration_us <= 0) return;
  const auto duration_us = static_cast<double>(measurement.duration_us);
  // The first measurement since reset() starts the extremes (no sentinel: the state stays
  // finite numbers, which the store persists as they are).
  const bool first = weight_us_ == 0.0;
  for (std::size_t i = 0; i < selection_.size(); ++i) {
    const Spec& spec = catalogue_specs[selection_[i]];
    if (spec.kind == AnalysisKind::energy) continue;
    const double value = value_of(spec, measurement);
    switch (spec.kind) {
      case AnalysisKind::instantaneous:
        latest_[i] = value;
        break;
      case AnalysisKind::average:
        if (spec.quantity == Quantity::power_factor) {
          // Weighted by apparent power as well as time: Σ PF·S·t / Σ S·t is the interval's
          // active energy over its apparent energy, the usual billing definition. A plain
          // mean would count a standby load at PF 0.3 as much as a full load at 0.95.
          const double apparent_va = powers_at(measurement, spec.point).apparent_va;
          sums_[i] += value * apparent_va * duration_us;
          apparent_sums_[i] += apparent_va * duration_us;
        } else {
          sums_[i] += value * duration_us;
        }
        break;
      case AnalysisKind::minimum:
        minima_[i] = first ? value : std::min(minima_[i], value);
        break;
      case AnalysisKind::maximum:
        maxima_[i] = first ? value : std::max(maxima_[i], value);
        break;
      case AnalysisKind::energy:
        break;
    }
  }
  weight_us_ += duration_us;
}

void AnalysisAggregator::capture(const EnergyRegisters& energy, std::span<std::int64_t> out) const {
  assert(out.size() == selection_.size());
  const bool data = has_data();
  for (std::size_t i = 0; i < selection_.size(); ++i) {
    const Spec& spec = catalogue_specs[selection_[i]];
    if (spec.kind == AnalysisKind::energy) {
      out[i] = energy_value(spec, energy);
      continue;
    }
    if (!data) {
      out[i] = null_value;
      continue;
    }
    double value = 0.0;
    switch (spec.kind) {
      case AnalysisKind::instantaneous:
        value = latest_[i];
        break;
      case AnalysisKind::average:
        if (spec.quantity == Quantity::power_factor) {
          // No apparent energy in the interval: no load, PF 1 as for one measurement.
          value =
              apparent_sums_[i] > 0.0 ? std::clamp(sums_[i] / apparent_sums_[i], -1.0, 1.0) : 1.0;
        } else {
          value = sums_[i] / weight_us_;
        }
        break;
      case AnalysisKind::minimum:
        value = minima_[i];
        break;
      case AnalysisKind::maximum:
        value = maxima_[i];
        break;
      case AnalysisKind::energy:
        break;
    }
    out[i] = to_scaled(value, spec.scaler);
  }
}

void AnalysisAggregator::reset() {
  std::fill(sums_.begin(), sums_.end(), 0.0);
  std::fill(apparent_sums_.begin(), apparent_sums_.end(), 0.0);
  std::fill(minima_.begin(), minima_.end(), 0.0);
  std::fill(maxima_.begin(), maxima_.end(), 0.0);
  std::fill(latest_.begin(), latest_.end(), 0.0);
  weight_us_ = 0.0;
}

std::vector<double> AnalysisAggregator::save() const {
  std::vector<double> saved;
  saved.reserve(state_size(selection_.size()));
  saved.push_back(static_cast<double>(selection_.size()));
  for (const std::size_t index : selection_) {
    saved.push_back(static_cast<double>(index));
  }
  saved.push_back(weight_us_);
  for (const std::vector<double>* block : {&sums_, &apparent_sums_, &minima_, &maxima_, &latest_}) {
    saved.insert(saved.end(), block->begin(), block->end());
  }
  return saved;
}

Status AnalysisAggregator::restore(std::span<const double> saved) {
  const std::size_t n = selection_.size();
  if (saved.size() != state_size(n)) {
    return make_error(fmt::format("analysis log: saved state has {} numbers, expected {}",
                                  saved.size(), state_size(n)));
  }
  bool same_selection = saved[0] == static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    same_selection = same_selection && saved[1 + i] == static_cast<double>(selection_[i]);
  }
  if (!same_selection) {
    return make_error("analysis log: saved state is for another selection of values");
  }
  const bool finite =
      std::all_of(saved.begin(), saved.end(), [](double x) { return std::isfinite(x); });
  if (!finite || saved[n + 1] < 0.0) {
    return make_error("analysis log: saved state holds a negative weight or a non-finite number");
  }
  weight_us_ = saved[n + 1];
  const double* next = saved.data() + n + 2;
  for (std::vector<double>* block : {&sums_, &apparent_sums_, &minima_, &maxima_, &latest_}) {
    std::copy(next, next + n, block->begin());
    next += n;
  }
  return {};
}

}  // namespace gridmeter
