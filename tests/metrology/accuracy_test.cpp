// Accuracy of the metrology engine against analytic truth, for a 230 V, 5(80) A meter
// (Iref 5 A, Itr 0.5 A, Imin 0.25 A, Ist 20 mA), table-driven.
//
// Every point synthesises waveforms whose power, RMS, frequency and spectrum are known in
// closed form, runs them through the engine (at least 2 s of signal), and compares. Energy is
// the sum of P·duration over the intervals (the first one, which holds the lead-in while the
// filters settle, is left out: it is metered like any other, but its window is not whole
// cycles). Each interval spans exactly whole cycles, so the true energy of an interval is the
// true mean power times its duration, for every point below (burst periods divide the
// interval).
//
// Limits (each asserted, and the worst error of each printed at the end of the run):
//   active energy              <= 0.02 % from Itr to Imax, <= 0.05 % below Itr,
//                              <= 0.1 % for rectified, phase-fired and burst-fired currents
//   fundamental reactive energy <= 0.05 % of reading (and |Q| <= 0.05 % of S at PF 1 with
//                              30 % 3rd + 20 % 5th harmonic current)
//   RMS voltage                <= 0.02 % of 230 V; RMS current <= 0.05 % of reading >= Imin
//   frequency                  ±2 mHz per interval and 10-s value, 42.5..57.5 and 51..69 Hz
//   THD                        ±0.1 percentage point; each harmonic subgroup ±0.5 % of value
//   unbalance u2               ±0.05 percentage point
//   no-load                    no energy at 0 A, 115 % voltage, ADC-like noise
//   starting                   energy registered at 20 mA (within 0.1 %)
//   3-wire (Aron)              energy equal to the 4-wire truth within the active limits
#include <gtest/gtest.h>

#include <algorithm>  // std::max, std::min
#include <array>      // std::array
#include <cmath>      // std::abs, std::sqrt, std::sin, std::cos
#include <complex>    // std::complex, std::polar
#include <cstdio>     // std::printf
#include <map>        // std::map
#include <numbers>    // std::numbers::pi
#include <string>     // std::string
#include <vector>     // std::vector

#include "metrology/metrology_engine.hpp"
#include "metrology/metrology_test_support.hpp"
#include "sim/waveform_generator.hpp"

namespace gridmeter::metrology {
namespace {

using sim::CurrentShape;
using sim::HarmonicComponent;
using sim::WaveformConfig;
using testing::make_engine;
using testing::make_generator;

constexpr double radians_per_degree = std::numbers::pi / 180.0;
constexpr double nominal_v = 230.0;
constexpr double transition_a = 0.5;                                  // Itr
constexpr double minimum_a = 0.25;                                    // Imin
constexpr UtcMicros t0_utc_us = 1'735'689'600LL * micros_per_second;  // 2025-01-01, on 10 s

// ---------------------------------------------------------------------------------------------
// The worst error of each quantity, printed once at the end of the run.

struct Worst {
  double error = 0.0;  // signed, in `unit`
  double limit = 0.0;
  std::string unit;
  std::string where;
  std::size_t checks = 0;
};

std::map<std::string, Worst>& worst_errors() {
  static std::map<std::string, Worst> table;
  return table;
}

// Asserts |error| <= limit and keeps the worst one per quantity.
void check(const std::string& quantity, double error, double limit, const char* unit,
           const std::string& where) {
  EXPECT_LE(std::abs(error), limit) << quantity << " at " << where;
  Worst& w = worst_errors()[quantity];
  ++w.checks;
  w.limit = limit;
  w.unit = unit;
  if (w.checks == 1 || std::abs(error) > std::abs(w.error)) {
    w.error = error;
    w.where = where;
  }
}

class AccuracyReport : public ::testing::Environment {
 public:
  void TearDown() override {
    if (worst_errors().empty()) return;
    std::printf("\nMetrology accuracy: worst error of each quantity (limit in brackets)\n");
    for (const auto& [quantity, w] : worst_errors()) {
      std::printf("  %-44s %+11.6f %-3s [%g] %6zu checks, worst at %s\n", quantity.c_str(), w.error,
                  w.unit.c_str(), w.limit, w.checks, w.where.c_str());
    }
    std::printf("\n");
  }
};

[[maybe_unused]] ::testing::Environment* const report =
    ::testing::AddGlobalTestEnvironment(new AccuracyReport);

// ---------------------------------------------------------------------------------------------
// Test points and their analytic truth.

enum class Band { active, below_transition, shaped };

struct Point {
  std::string name;
  double nominal_hz = 50.0;
  double frequency_hz = 50.0;
  double rate_hz = 8000.0;
  Connection connection = Connection::three_phase_4w;
  double voltage_v = nominal_v;
  std::array<double, 3> voltage_scale{1.0, 1.0, 1.0};
  std::array<double, 3> voltage_angle_offset_deg{};
  std::array<double, 3> current_a{};
  // Angle by which the current lags its voltage: 60 is PF 0.5 inductive, -36.87 PF 0.8
  // capacitive, +180 turns import into export.
  std::array<double, 3> lag_deg{};
  bool reversed = false;
  std::vector<HarmonicComponent> voltage_harmonics;
  std::vector<HarmonicComponent> current_harmonics;
  CurrentShape shape = CurrentShape::sine;
  double firing_angle_deg = 90.0;
  int burst_on = 1;
  int burst_off = 1;
  // At least 2 s after the first interval (its lead-in lasts about 5 cycles).
  double seconds = 2.5;
  double voltage_noise_v = 0.0;
  double current_noise_a = 0.0;
};

WaveformConfig waveform_of(const Point& p) {
  WaveformConfig w;
  w.sample_rate_hz = p.rate_hz;
  w.nominal_frequency_hz = p.nominal_hz;
  w.frequency_hz = p.frequency_hz;
  w.connection = p.connection;
  w.start_utc_us = t0_utc_us;
  w.duration_s = p.seconds;
  w.voltage_noise_v = p.voltage_noise_v;
  w.current_noise_a = p.current_noise_a;
  w.seed = 7;
  const double step = p.reversed ? 120.0 : -120.0;
  for (std::size_t k = 0; k < 3; ++k) {
    sim::PhaseWaveform& phase = w.phases[k];
    phase.voltage_rms_v = p.voltage_v * p.voltage_scale[k];
    phase.voltage_angle_deg = step * static_cast<double>(k) + p.voltage_angle_offset_deg[k];
    phase.current_rms_a = p.current_a[k];
    phase.current_angle_deg = phase.voltage_angle_deg - p.lag_deg[k];
    phase.voltage_harmonics = p.voltage_harmonics;
    phase.current_harmonics = p.current_harmonics;
    phase.current_shape = p.shape;
    phase.firing_angle_deg = p.firing_angle_deg;
    phase.burst_on_cycles = p.burst_on;
    phase.burst_off_cycles = p.burst_off;
  }
  return w;
}

double harmonic_fraction(const std::vector<HarmonicComponent>& list, int order, double* phase_deg) {
  for (const HarmonicComponent& h : list) {
    if (h.order == order) {
      *phase_deg = h.phase_deg;
      return h.fraction;
    }
  }
  return 0.0;
}

double sum_squares(const std::vector<HarmonicComponent>& list) {
  double sum = 0.0;
  for (const HarmonicComponent& h : list)
    sum += h.fraction * h.fraction;
  return sum;
}

// Mean power of one phase: sum over orders h of U_h I_h cos(h φ + β_u,h - β_i,h) for sines
// (harmonic h of u is sin(h x + β), of i sin(h (x - φ) + β)); closed forms for the shapes,
// whose current is in phase with a sinusoidal voltage.
double true_power(const Point& p, std::size_t k) {
  const double u = p.voltage_v * p.voltage_scale[k];
  const double i = p.current_a[k];
  const double phi = p.lag_deg[k] * radians_per_degree;
  switch (p.shape) {
    case CurrentShape::sine: {
      double power = u * i * std::cos(phi);
      for (const HarmonicComponent& hu : p.voltage_harmonics) {
        double beta_i = 0.0;
        const double fraction_i = harmonic_fraction(p.current_harmonics, hu.order, &beta_i);
        power += u * hu.fraction * i * fraction_i *
                 std::cos(hu.order * phi + (hu.phase_deg - beta_i) * radians_per_degree);
      }
      return power;
    }
    case CurrentShape::half_wave_rectified:
      // Upk·Ipk/4 = U·I/2.
      return u * i / 2.0;
    case CurrentShape::phase_fired: {
      // (Upk·Ipk/π) [(π - α)/2 + sin(2α)/4].
      const double alpha = p.firing_angle_deg * radians_per_degree;
      return 2.0 * u * i / std::numbers::pi *
             ((std::numbers::pi - alpha) / 2.0 + std::sin(2.0 * alpha) / 4.0);
    }
    case CurrentShape::burst_fired:
      return u * i * p.burst_on / (p.burst_on + p.burst_off);
  }
  return 0.0;
}

// Fundamental reactive power of one phase: U1 I1 sin φ (the shapes are in phase: 0).
double true_reactive(const Point& p, std::size_t k) {
  if (p.shape != CurrentShape::sine) return 0.0;
  return p.voltage_v * p.voltage_scale[k] * p.current_a[k] *
         std::sin(p.lag_deg[k] * radians_per_degree);
}

double true_voltage_rms(const Point& p, std::size_t k) {
  return p.voltage_v * p.voltage_scale[k] * std::sqrt(1.0 + sum_squares(p.voltage_harmonics));
}

// RMS of the current actually synthesised: for the shapes, from the exact Fourier series the
// generator band-limits (c_0² + 2 sum |c_k|², per unit peak).
double true_current_rms(const Point& p, const sim::WaveformGenerator& generator, std::size_t k) {
  const double i = p.current_a[k];
  if (p.shape == CurrentShape::sine) return i * std::sqrt(1.0 + sum_squares(p.current_harmonics));
  const auto& c = generator.shape_coefficients(k);
  double mean_square = c[0].real() * c[0].real();
  for (std::size_t n = 1; n < c.size(); ++n)
    mean_square += 2.0 * std::norm(c[n]);
  return std::numbers::sqrt2 * i * std::sqrt(mean_square);
}

// Phasors (RMS) of the fundamental, for the 3-wire truth.
std::complex<double> voltage_phasor(const Point& p, std::size_t k) {
  const double step = p.reversed ? 120.0 : -120.0;
  const double angle = step * static_cast<double>(k) + p.voltage_angle_offset_deg[k];
  return std::polar(p.voltage_v * p.voltage_scale[k], angle * radians_per_degree);
}
std::complex<double> current_phasor(const Point& p, std::size_t k) {
  const double step = p.reversed ? 120.0 : -120.0;
  const double angle = step * static_cast<double>(k) + p.voltage_angle_offset_deg[k] - p.lag_deg[k];
  return std::polar(p.current_a[k], angle * radians_per_degree);
}

struct Outcome {
  double energy_error_rel = 0.0;
  double reactive_error_rel = 0.0;
  double true_active_w = 0.0;
  double true_reactive_var = 0.0;
  double measured_reactive_var = 0.0;  // mean over the run
  double apparent_va = 0.0;            // true, arithmetic sum
  std::size_t intervals = 0;
};

// Runs one point, checks RMS and frequency per interval, and returns the energy errors.
Outcome run_point(const Point& p) {
  Outcome out;
  const WaveformConfig w = waveform_of(p);
  auto generator = make_generator(w);
  if (!generator) return out;
  MetrologyEngine engine = make_engine(testing::engine_config_for(w));
  const bool three_wire = p.connection == Connection::three_phase_3w;
  const std::size_t phases = phase_count(p.connection);

  // Truth: per phase for 4-wire; for 3-wire the 4-wire system whose phase 2 draws -(I1 + I3).
  double active = 0.0;
  double reactive = 0.0;
  for (std::size_t k = 0; k < phases; ++k) {
    active += true_power(p, k);
    reactive += true_reactive(p, k);
    out.apparent_va += true_voltage_rms(p, k) * true_current_rms(p, *generator, k);
  }
  if (three_wire) {
    const std::complex<double> i2 = -(current_phasor(p, 0) + current_phasor(p, 2));
    std::complex<double> s;
    for (std::size_t k : {0U, 2U})
      s += voltage_phasor(p, k) * std::conj(current_phasor(p, k));
    s += voltage_phasor(p, 1) * std::conj(i2);
    active = s.real();
    reactive = s.imag();
  }
  out.true_active_w = active;
  out.true_reactive_var = reactive;

  double energy_j = 0.0;
  double reactive_j = 0.0;
  double seconds = 0.0;
  std::size_t index = 0;
  testing::run(engine, *generator, 4096, [&](const Measurement& m) {
    if (index++ == 0) return;  // the lead-in interval
    const double duration_s = static_cast<double>(m.duration_us) * 1e-6;
    double p_total = 0.0;
    double q_total = 0.0;
    for (const PhaseMeasurement& phase : m.phases) {
      p_total += phase.active_power_w;
      q_total += phase.reactive_power_var;
    }
    energy_j += p_total * duration_s;
    reactive_j += q_total * duration_s;
    seconds += duration_s;
    check("frequency per interval", m.frequency_hz - p.frequency_hz, 0.002, "Hz", p.name);
    if (three_wire) {
      for (std::size_t k : {0U, 2U}) {
        const double line_v = std::abs(voltage_phasor(p, k) - voltage_phasor(p, 1));
        check("RMS voltage (3-wire, line-line, of 400 V)",
              100.0 * (m.phases[k].voltage_v - line_v) / (nominal_v * std::sqrt(3.0)), 0.02, "%",
              p.name);
        const double current = std::abs(current_phasor(p, k));
        if (current >= minimum_a) {
          check("RMS current (of reading)", 100.0 * (m.phases[k].current_a - current) / current,
                0.05, "%", p.name);
        }
      }
      return;
    }
    for (std::size_t k = 0; k < phases; ++k) {
      const double voltage = true_voltage_rms(p, k);
      if (voltage > 0.0) {
        check("RMS voltage (of 230 V)", 100.0 * (m.phases[k].voltage_v - voltage) / nominal_v, 0.02,
              "%", p.name);
      }
      const double current = true_current_rms(p, *generator, k);
      if (p.current_a[k] >= minimum_a) {
        check("RMS current (of reading)", 100.0 * (m.phases[k].current_a - current) / current, 0.05,
              "%", p.name);
      }
    }
  });
  out.intervals = index;
  EXPECT_GE(index, 8U) << p.name;
  if (seconds <= 0.0) return out;
  const double true_energy_j = active * seconds;
  const double true_reactive_j = reactive * seconds;
  out.energy_error_rel = (energy_j - true_energy_j) / std::abs(true_energy_j);
  out.reactive_error_rel =
      true_reactive_j != 0.0 ? (reactive_j - true_reactive_j) / std::abs(true_reactive_j) : 0.0;
  out.measured_reactive_var = reactive_j / seconds;
  return out;
}

void check_active(const Point& p, const Outcome& out, Band band) {
  switch (band) {
    case Band::active:
      check("active energy, Itr..Imax", 100.0 * out.energy_error_rel, 0.02, "%", p.name);
      break;
    case Band::below_transition:
      check("active energy, Imin..Itr", 100.0 * out.energy_error_rel, 0.05, "%", p.name);
      break;
    case Band::shaped:
      check("active energy, rectified/phase-/burst-fired", 100.0 * out.energy_error_rel, 0.1, "%",
            p.name);
      break;
  }
}

std::string describe(const char* what, double current_a, double lag_deg, double f) {
  char text[128];
  std::snprintf(text, sizeof(text), "%s %.2f A lag %.2f° %.3f Hz", what, current_a, lag_deg, f);
  return text;
}

constexpr std::array<double, 7> currents_a{0.25, 0.5, 1.0, 5.0, 10.0, 40.0, 80.0};
// PF 1, 0.5 inductive, 0.8 capacitive, each importing and exporting.
constexpr std::array<double, 6> lags_deg{0.0,   60.0,  -36.869897645844021,
                                         180.0, 240.0, 143.13010235415598};

// ---------------------------------------------------------------------------------------------
// Active (and reactive) energy over the current range.

TEST(AccuracyActiveEnergy, CurrentRangePowerFactorsDirectionsPhases) {
  for (const double nominal : {50.0, 60.0}) {
    for (const double current : currents_a) {
      for (const double lag : lags_deg) {
        // Each phase alone, then all three balanced.
        for (int loaded = 0; loaded < 4; ++loaded) {
          Point p;
          p.nominal_hz = p.frequency_hz = nominal;
          for (std::size_t k = 0; k < 3; ++k) {
            const bool on = loaded == 3 || static_cast<int>(k) == loaded;
            p.current_a[k] = on ? current : 0.0;
            p.lag_deg[k] = lag;
          }
          p.name = describe(loaded == 3   ? "3-phase"
                            : loaded == 0 ? "L1"
                            : loaded == 1 ? "L2"
                                          : "L3",
                            current, lag, nominal);
          const Outcome out = run_point(p);
          check_active(p, out, current >= transition_a ? Band::active : Band::below_transition);
          if (std::abs(out.true_reactive_var) > 1e-6 * out.apparent_va) {
            check("reactive energy (fundamental)", 100.0 * out.reactive_error_rel, 0.05, "%",
                  p.name);
          }
        }
      }
    }
  }
}

TEST(AccuracyActiveEnergy, SinglePhaseTwoWire) {
  for (const double current : currents_a) {
    for (const double lag : lags_deg) {
      Point p;
      p.connection = Connection::single_phase_2w;
      p.current_a = {current, 0.0, 0.0};
      p.lag_deg = {lag, 0.0, 0.0};
      p.name = describe("1p2w", current, lag, 50.0);
      const Outcome out = run_point(p);
      check_active(p, out, current >= transition_a ? Band::active : Band::below_transition);
    }
  }
}

TEST(AccuracyActiveEnergy, OffNominalFrequencyVoltageAndSequence) {
  struct Case {
    double nominal;
    double frequency;
    double rate;
    double voltage_scale;
    bool reversed;
  };
  const Case cases[] = {
      // Frequency ±2 % and ±5 %.
      {50.0, 49.0, 8000.0, 1.0, false},
      {50.0, 51.0, 8000.0, 1.0, false},
      {50.0, 47.5, 8000.0, 1.0, false},
      {50.0, 52.5, 8000.0, 1.0, false},
      {60.0, 58.8, 8000.0, 1.0, false},
      {60.0, 61.2, 8000.0, 1.0, false},
      {60.0, 57.0, 8000.0, 1.0, false},
      {60.0, 63.0, 8000.0, 1.0, false},
      // Voltage ±10 %.
      {50.0, 50.0, 8000.0, 0.9, false},
      {50.0, 50.0, 8000.0, 1.1, false},
      // Reversed phase sequence.
      {50.0, 50.0, 8000.0, 1.0, true},
      {60.0, 60.0, 8000.0, 1.0, true},
      // Non-integer samples per cycle.
      {50.0, 50.0, 7999.0, 1.0, false},
      {50.0, 50.3, 4000.0, 1.0, false},
      {60.0, 60.0, 7999.0, 1.0, false},
      // The edges of the sample-rate range.
      {50.0, 50.0, 2400.0, 1.0, false},
      {60.0, 59.7, 16000.0, 1.0, false},
  };
  for (const Case& c : cases) {
    for (const double current : {0.25, 5.0, 80.0}) {
      for (const double lag : {0.0, 60.0, -36.869897645844021, 240.0}) {
        Point p;
        p.nominal_hz = c.nominal;
        p.frequency_hz = c.frequency;
        p.rate_hz = c.rate;
        p.voltage_v = nominal_v * c.voltage_scale;
        p.reversed = c.reversed;
        p.current_a = {current, current, current};
        p.lag_deg = {lag, lag, lag};
        char what[64];
        std::snprintf(what, sizeof(what), "%.0f Hz rate, U %.0f V%s", c.rate, p.voltage_v,
                      c.reversed ? ", reversed" : "");
        p.name = describe(what, current, lag, c.frequency);
        const Outcome out = run_point(p);
        check_active(p, out, current >= transition_a ? Band::active : Band::below_transition);
        if (std::abs(out.true_reactive_var) > 1e-6 * out.apparent_va) {
          check("reactive energy (fundamental)", 100.0 * out.reactive_error_rel, 0.05, "%", p.name);
        }
      }
    }
  }
}

TEST(AccuracyActiveEnergy, FifthHarmonicInVoltageAndCurrent) {
  // u = √2 U (sin x + 0.1 sin 5x), i = √2 I (sin x + 0.4 sin 5x): P = U I (1 + 0.1 · 0.4) =
  // 1.04 P1 in phase; at a lag φ the 5th contributes 0.04 U I cos 5φ.
  for (const double nominal : {50.0, 60.0}) {
    for (const double lag : {0.0, 60.0, 180.0}) {
      Point p;
      p.nominal_hz = p.frequency_hz = nominal;
      p.current_a = {10.0, 10.0, 10.0};
      p.lag_deg = {lag, lag, lag};
      p.voltage_harmonics = {{.order = 5, .fraction = 0.10}};
      p.current_harmonics = {{.order = 5, .fraction = 0.40}};
      p.name = describe("5th harmonic 10 % U, 40 % I", 10.0, lag, nominal);
      const Outcome out = run_point(p);
      if (lag == 0.0) {
        EXPECT_NEAR(out.true_active_w, 3.0 * 1.04 * nominal_v * 10.0, 1e-9);
      }
      check_active(p, out, Band::active);
      if (std::abs(out.true_reactive_var) > 1e-6 * out.apparent_va) {
        check("reactive energy (fundamental)", 100.0 * out.reactive_error_rel, 0.05, "%", p.name);
      }
    }
  }
}

TEST(AccuracyActiveEnergy, RectifiedPhaseFiredAndBurstFiredCurrents) {
  struct Case {
    const char* name;
    CurrentShape shape;
    double firing_deg;
    int on;
    int off;
    double nominal;
  };
  // Burst periods divide the interval: 3 on 2 off (5 cycles) at 50 Hz, 2 on 2 off at 60 Hz.
  const Case cases[] = {
      {"half-wave rectified", CurrentShape::half_wave_rectified, 0.0, 1, 1, 50.0},
      {"half-wave rectified", CurrentShape::half_wave_rectified, 0.0, 1, 1, 60.0},
      {"phase-fired 90°", CurrentShape::phase_fired, 90.0, 1, 1, 50.0},
      {"phase-fired 45°", CurrentShape::phase_fired, 45.0, 1, 1, 50.0},
      {"phase-fired 135°", CurrentShape::phase_fired, 135.0, 1, 1, 60.0},
      {"burst-fired 3 on 2 off", CurrentShape::burst_fired, 0.0, 3, 2, 50.0},
      {"burst-fired 2 on 2 off", CurrentShape::burst_fired, 0.0, 2, 2, 60.0},
  };
  for (const Case& c : cases) {
    for (const double rate : {7999.0, 16000.0}) {
      Point p;
      p.connection = Connection::single_phase_2w;
      p.nominal_hz = p.frequency_hz = c.nominal;
      p.rate_hz = rate;
      p.current_a = {10.0, 0.0, 0.0};
      p.shape = c.shape;
      p.firing_angle_deg = c.firing_deg;
      p.burst_on = c.on;
      p.burst_off = c.off;
      p.name = describe(c.name, 10.0, 0.0, c.nominal) + (rate > 10000.0 ? " 16 kHz" : " 7999 Hz");
      const Outcome out = run_point(p);
      if (c.shape == CurrentShape::half_wave_rectified) {
        // Upk·Ipk/4 with Upk = 230√2, Ipk = 10√2.
        EXPECT_NEAR(out.true_active_w, 230.0 * std::sqrt(2.0) * 10.0 * std::sqrt(2.0) / 4.0, 1e-9);
      }
      check_active(p, out, Band::shaped);
    }
  }
}

TEST(AccuracyActiveEnergy, ThreeWireAronEqualsFourWireTruth) {
  struct Case {
    const char* name;
    std::array<double, 3> current;
    std::array<double, 3> lag;
    std::array<double, 3> voltage_scale;
  };
  // Phase 2's current follows from the others (no neutral): its entries are unused.
  const Case cases[] = {
      {"balanced PF 1", {5.0, 0.0, 5.0}, {0.0, 0.0, 0.0}, {1.0, 1.0, 1.0}},
      {"balanced PF 0.5i", {10.0, 0.0, 10.0}, {60.0, 0.0, 60.0}, {1.0, 1.0, 1.0}},
      {"balanced PF 0.8c export",
       {40.0, 0.0, 40.0},
       {143.13010235415598, 0.0, 143.13010235415598},
       {1.0, 1.0, 1.0}},
      {"unbalanced currents", {10.0, 0.0, 4.0}, {20.0, 0.0, -30.0}, {1.0, 1.0, 1.0}},
      {"unbalanced currents and voltages", {7.0, 0.0, 1.0}, {45.0, 0.0, 10.0}, {1.05, 0.93, 0.98}},
      {"one element idle", {6.0, 0.0, 0.0}, {0.0, 0.0, 0.0}, {1.0, 1.0, 1.0}},
  };
  for (const Case& c : cases) {
    Point p;
    p.connection = Connection::three_phase_3w;
    p.current_a = c.current;
    p.lag_deg = c.lag;
    p.voltage_scale = c.voltage_scale;
    p.name = std::string("3-wire ") + c.name;
    const Outcome out = run_point(p);
    check("3-wire active energy vs 4-wire truth", 100.0 * out.energy_error_rel, 0.02, "%", p.name);
    if (std::abs(out.true_reactive_var) > 1e-3 * std::abs(out.true_active_w)) {
      check("3-wire reactive energy vs 4-wire truth", 100.0 * out.reactive_error_rel, 0.05, "%",
            p.name);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Fundamental reactive energy.

TEST(AccuracyReactiveEnergy, OffNominalFrequenciesAndHarmonics) {
  struct Case {
    double nominal;
    double frequency;
    bool harmonics;
  };
  const Case cases[] = {{50.0, 42.5, false}, {50.0, 45.0, false}, {50.0, 47.5, true},
                        {50.0, 50.0, true},  {50.0, 52.5, false}, {50.0, 55.0, true},
                        {50.0, 57.5, false}, {60.0, 51.0, false}, {60.0, 57.0, true},
                        {60.0, 60.0, true},  {60.0, 63.0, false}, {60.0, 69.0, true}};
  for (const Case& c : cases) {
    for (const double current : {0.5, 5.0, 80.0}) {
      for (const double lag : {60.0, 90.0, -36.869897645844021, 240.0, -90.0}) {
        Point p;
        p.nominal_hz = c.nominal;
        p.frequency_hz = c.frequency;
        p.rate_hz = 7999.0;
        p.current_a = {current, current, current};
        p.lag_deg = {lag, lag, lag};
        if (c.harmonics) {
          p.voltage_harmonics = {{.order = 5, .fraction = 0.1}, {.order = 3, .fraction = 0.04}};
          p.current_harmonics = {{.order = 3, .fraction = 0.3, .phase_deg = 40.0},
                                 {.order = 5, .fraction = 0.2}};
        }
        p.name = describe(c.harmonics ? "Q with harmonics" : "Q", current, lag, c.frequency);
        const Outcome out = run_point(p);
        check("reactive energy (fundamental)", 100.0 * out.reactive_error_rel, 0.05, "%", p.name);
      }
    }
  }
}

TEST(AccuracyReactiveEnergy, HarmonicCurrentAtUnityPowerFactorHasNoReactive) {
  // 30 % 3rd and 20 % 5th in the current at PF 1: no fundamental reactive power, whatever the
  // harmonics' phases (a quarter-period delay would see some).
  for (const double nominal : {50.0, 60.0}) {
    for (const double phase : {0.0, 90.0, 210.0}) {
      Point p;
      p.nominal_hz = nominal;
      p.frequency_hz = nominal * 1.02;
      p.current_a = {10.0, 10.0, 10.0};
      p.current_harmonics = {{.order = 3, .fraction = 0.3, .phase_deg = phase},
                             {.order = 5, .fraction = 0.2, .phase_deg = -phase}};
      p.name = describe("PF 1 + 30 % 3rd + 20 % 5th", 10.0, 0.0, p.frequency_hz);
      const Outcome out = run_point(p);
      check("reactive at PF 1 with harmonics (of S)",
            100.0 * out.measured_reactive_var / out.apparent_va, 0.05, "%", p.name);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Frequency.

TEST(AccuracyFrequency, PerIntervalAndTenSecondValues) {
  struct Case {
    double nominal;
    double frequency;
    double rate;
    bool ten_seconds;
  };
  const Case cases[] = {
      {50.0, 42.5, 8000.0, true},  {50.0, 45.0, 6400.0, false}, {50.0, 47.77, 7999.0, false},
      {50.0, 50.05, 8000.0, true}, {50.0, 53.3, 4000.0, false}, {50.0, 55.0, 16000.0, false},
      {50.0, 57.5, 7999.0, true},  {60.0, 51.0, 8000.0, true},  {60.0, 55.5, 7999.0, false},
      {60.0, 60.03, 8000.0, true}, {60.0, 64.4, 2400.0, false}, {60.0, 69.0, 7999.0, true},
  };
  for (const Case& c : cases) {
    Point p;
    p.connection = Connection::single_phase_2w;
    p.nominal_hz = c.nominal;
    p.frequency_hz = c.frequency;
    p.rate_hz = c.rate;
    p.current_a = {5.0, 0.0, 0.0};
    // Harmonics and noise must not move the crossings.
    p.voltage_harmonics = {{.order = 3, .fraction = 0.05, .phase_deg = 30.0},
                           {.order = 5, .fraction = 0.06}};
    p.voltage_noise_v = 0.5;
    p.seconds = c.ten_seconds ? 10.4 : 2.5;
    p.name =
        describe("frequency", 5.0, 0.0, c.frequency) + " " + std::to_string(int(c.rate)) + " Hz";
    const WaveformConfig w = waveform_of(p);
    auto generator = make_generator(w);
    MetrologyEngine engine = make_engine(testing::engine_config_for(w));
    std::size_t index = 0;
    testing::run(engine, *generator, 4096, [&](const Measurement& m) {
      if (index++ == 0) return;
      check("frequency per interval", m.frequency_hz - c.frequency, 0.002, "Hz", p.name);
    });
    if (c.ten_seconds) {
      EXPECT_EQ(engine.frequency_10s_start_utc_us(), t0_utc_us) << p.name;
      check("frequency, 10-s value", engine.frequency_10s_hz() - c.frequency, 0.002, "Hz", p.name);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Harmonics and THD.

TEST(AccuracyHarmonics, SubgroupsAndThdOfAKnownMix) {
  const std::vector<HarmonicComponent> voltage_mix = {
      {2, 0.02, 10.0},  {3, 0.05, 0.0},   {4, 0.01, 0.0},   {5, 0.06, 170.0}, {7, 0.05, 20.0},
      {9, 0.015, 0.0},  {11, 0.035, 0.0}, {13, 0.03, 90.0}, {15, 0.005, 0.0}, {17, 0.02, 0.0},
      {19, 0.015, 0.0}, {23, 0.015, 0.0}, {25, 0.015, 0.0}, {29, 0.01, 0.0},  {31, 0.01, 45.0},
      {35, 0.008, 0.0}, {37, 0.008, 0.0}, {39, 0.005, 0.0}, {40, 0.005, 0.0}};
  const std::vector<HarmonicComponent> current_mix = {
      {3, 0.30, 30.0}, {5, 0.20, 0.0},  {7, 0.10, 180.0}, {9, 0.05, 0.0},
      {11, 0.04, 0.0}, {13, 0.03, 0.0}, {15, 0.02, 60.0}, {19, 0.01, 0.0},
      {25, 0.01, 0.0}, {31, 0.01, 0.0}, {40, 0.005, 0.0}};
  struct Case {
    double nominal;
    double frequency;
    double rate;
  };
  // Harmonic results are specified up to 0.32 fs (resampler.hpp): the 40th at 50 Hz from
  // 6.4 kHz, at 60 Hz from 7.7 kHz.
  const Case cases[] = {{50.0, 50.0, 6400.0}, {50.0, 49.5, 6400.0}, {50.0, 50.0, 8000.0},
                        {50.0, 51.3, 7999.0}, {60.0, 60.0, 8000.0}, {60.0, 59.2, 16000.0}};
  for (const Case& c : cases) {
    Point p;
    p.connection = Connection::single_phase_2w;
    p.nominal_hz = c.nominal;
    p.frequency_hz = c.frequency;
    p.rate_hz = c.rate;
    p.current_a = {10.0, 0.0, 0.0};
    p.lag_deg = {20.0, 0.0, 0.0};
    p.voltage_harmonics = voltage_mix;
    p.current_harmonics = current_mix;
    p.name = describe("harmonic mix", 10.0, 20.0, c.frequency) + " " + std::to_string(int(c.rate)) +
             " Hz";
    const double thd_u = 100.0 * std::sqrt(sum_squares(voltage_mix));
    const double thd_i = 100.0 * std::sqrt(sum_squares(current_mix));
    const WaveformConfig w = waveform_of(p);
    auto generator = make_generator(w);
    MetrologyEngine engine = make_engine(testing::engine_config_for(w));
    std::size_t index = 0;
    testing::run(engine, *generator, 4096, [&](const Measurement& m) {
      if (index++ == 0) return;
      check("voltage THD", m.phases[0].voltage_thd_percent - thd_u, 0.1, "pp", p.name);
      check("current THD", m.phases[0].current_thd_percent - thd_i, 0.1, "pp", p.name);
      const HarmonicSpectrum& u = engine.harmonics(Channel::u1);
      const HarmonicSpectrum& i = engine.harmonics(Channel::i1);
      check("harmonic subgroup (of value)", 100.0 * (u.subgroup_rms[1] - nominal_v) / nominal_v,
            0.5, "%", p.name + " U1");
      check("harmonic subgroup (of value)", 100.0 * (i.subgroup_rms[1] - 10.0) / 10.0, 0.5, "%",
            p.name + " I1");
      for (const HarmonicComponent& h : voltage_mix) {
        const double truth = nominal_v * h.fraction;
        check("harmonic subgroup (of value)",
              100.0 * (u.subgroup_rms[static_cast<std::size_t>(h.order)] - truth) / truth, 0.5, "%",
              p.name + " U" + std::to_string(h.order));
      }
      for (const HarmonicComponent& h : current_mix) {
        const double truth = 10.0 * h.fraction;
        check("harmonic subgroup (of value)",
              100.0 * (i.subgroup_rms[static_cast<std::size_t>(h.order)] - truth) / truth, 0.5, "%",
              p.name + " I" + std::to_string(h.order));
      }
      // Orders not in the mix stay empty (no leakage): below 0.01 % of the fundamental.
      for (std::size_t order = 2; order <= harmonic_order_max; ++order) {
        double unused = 0.0;
        if (harmonic_fraction(voltage_mix, static_cast<int>(order), &unused) == 0.0) {
          EXPECT_LT(u.subgroup_rms[order], 1e-4 * nominal_v) << p.name << " U" << order;
        }
      }
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Unbalance.

// u2 from the fundamental phasors of the phase voltages (symmetrical components).
double true_unbalance_percent(const Point& p) {
  const std::complex<double> a = std::polar(1.0, 2.0 * std::numbers::pi / 3.0);
  const std::complex<double> v1 = voltage_phasor(p, 0);
  const std::complex<double> v2 = voltage_phasor(p, 1);
  const std::complex<double> v3 = voltage_phasor(p, 2);
  const std::complex<double> positive = (v1 + a * v2 + a * a * v3) / 3.0;
  const std::complex<double> negative = (v1 + a * a * v2 + a * v3) / 3.0;
  return 100.0 * std::abs(negative) / std::abs(positive);
}

TEST(AccuracyUnbalance, NegativeSequenceRatio) {
  struct Case {
    std::array<double, 3> scale;
    std::array<double, 3> offset_deg;
  };
  const Case cases[] = {{{1.0, 1.0, 1.0}, {0.0, 0.0, 0.0}},
                        {{1.0, 0.96, 1.04}, {0.0, 0.0, 0.0}},
                        {{1.0, 1.0, 1.0}, {0.0, -2.0, 3.0}},
                        {{1.02, 0.9, 1.0}, {0.0, 1.5, -4.0}},
                        {{0.7, 1.0, 1.0}, {0.0, 0.0, 0.0}}};
  for (const Connection connection : {Connection::three_phase_4w, Connection::three_phase_3w}) {
    for (const Case& c : cases) {
      Point p;
      p.connection = connection;
      p.frequency_hz = 49.7;
      p.voltage_scale = c.scale;
      p.voltage_angle_offset_deg = c.offset_deg;
      p.current_a = {5.0, 5.0, 5.0};
      p.voltage_harmonics = {{.order = 5, .fraction = 0.05}};
      const double truth = true_unbalance_percent(p);
      char name[96];
      std::snprintf(name, sizeof(name), "u2 %.3f %% %s", truth,
                    connection == Connection::three_phase_3w ? "3-wire" : "4-wire");
      p.name = name;
      const WaveformConfig w = waveform_of(p);
      auto generator = make_generator(w);
      MetrologyEngine engine = make_engine(testing::engine_config_for(w));
      std::size_t index = 0;
      testing::run(engine, *generator, 4096, [&](const Measurement& m) {
        if (index++ == 0) return;
        EXPECT_EQ(m.voltage_unbalance_percent, engine.voltage_unbalance_percent());
        check("unbalance u2", m.voltage_unbalance_percent - truth, 0.05, "pp", p.name);
      });
      EXPECT_GE(index, 8U);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// No-load and starting.

TEST(AccuracyNoLoad, NoEnergyAtZeroCurrentWithNoise) {
  // IEC 62053-21 clause 8.3.2 asks for no more than one pulse over
  // 600e6 / (k m Un Imax) minutes: 33 min for 1000 imp/kWh at 230 V, 80 A. The engine decides
  // per interval from that interval's current RMS alone (no state carries over), so 10 s of
  // stationary noise stand for the whole period as long as the decision is far from its
  // threshold: the noise RMS must stay below a quarter of it in every interval (the RMS of
  // 1600 noise samples varies by 1/sqrt(3200) = 2 %, so it cannot reach the threshold).
  for (const Connection connection : {Connection::single_phase_2w, Connection::three_phase_4w}) {
    Point p;
    p.connection = connection;
    p.voltage_v = 1.15 * nominal_v;
    p.voltage_harmonics = {{.order = 3, .fraction = 0.03}};
    p.voltage_noise_v = 0.2;    // 0.06 % of the peak
    p.current_noise_a = 0.002;  // 0.0025 % of Imax, an 18-bit ADC's worth
    p.seconds = 10.0;
    p.name = connection == Connection::single_phase_2w ? "no-load 1p2w" : "no-load 3p4w";
    WaveformConfig w = waveform_of(p);
    for (sim::PhaseWaveform& phase : w.phases)
      phase.current_dc_a = 0.001;  // ADC offset
    auto generator = make_generator(w);
    MetrologyEngine engine = make_engine(testing::engine_config_for(w));
    double energy_j = 0.0;
    double reactive_j = 0.0;
    double apparent_j = 0.0;
    double current_max = 0.0;
    testing::run(engine, *generator, 4096, [&](const Measurement& m) {
      for (const PhaseMeasurement& phase : m.phases) {
        energy_j += std::abs(phase.active_power_w) * static_cast<double>(m.duration_us) * 1e-6;
        reactive_j +=
            std::abs(phase.reactive_power_var) * static_cast<double>(m.duration_us) * 1e-6;
        apparent_j += phase.apparent_power_va * static_cast<double>(m.duration_us) * 1e-6;
        current_max = std::max(current_max, phase.current_a);
      }
    });
    EXPECT_EQ(energy_j, 0.0);
    EXPECT_EQ(reactive_j, 0.0);
    EXPECT_EQ(apparent_j, 0.0);
    EXPECT_LT(current_max, engine.no_load_current_a() / 4.0);
    check("no-load energy", energy_j / 3600.0, 0.0, "Wh", p.name);
  }
}

TEST(AccuracyNoLoad, RegistersAtTheStartingCurrent) {
  for (const double lag : {0.0, 180.0}) {
    Point p;
    p.connection = Connection::single_phase_2w;
    p.current_a = {0.020, 0.0, 0.0};
    p.lag_deg = {lag, 0.0, 0.0};
    p.voltage_noise_v = 0.2;
    p.current_noise_a = 0.0002;
    p.name = describe("starting current", 0.020, lag, 50.0);
    const Outcome out = run_point(p);
    check("energy at the starting current (20 mA)", 100.0 * out.energy_error_rel, 0.1, "%", p.name);
  }
}

}  // namespace
}  // namespace gridmeter::metrology
