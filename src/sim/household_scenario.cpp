#include "sim/household_scenario.hpp"

#include <algorithm>  // std::fill, std::max, std::min
#include <cmath>      // std::sqrt
#include <utility>    // std::move

#include "sim/hash_noise.hpp"
#include "sim/solar.hpp"
#include "sim/weather.hpp"

namespace gridmeter::sim {

namespace {

constexpr std::uint64_t stream_interval_noise = 0x1e0001;
constexpr std::uint64_t stream_half_cycle = 0x1e0020;
constexpr std::uint64_t stream_pv = 0x1e0030;

// Phase angles of L1, L2, L3 voltages (positive sequence), for the neutral phasor sum.
constexpr std::array<double, 3> phase_cos = {1.0, -0.5, -0.5};
constexpr std::array<double, 3> phase_sin = {0.0, -0.86602540378443864676, 0.86602540378443864676};

// Inverter current distortion at a few percent of its output.
constexpr double pv_current_thd_percent = 3.0;

// 10 cycles at 50 Hz; 60 Hz fills all half_cycles_max (12 cycles).
constexpr std::size_t half_cycles_max_50hz = 20;

}  // namespace

HouseholdScenario::HouseholdScenario(ScenarioConfig config, const HouseholdScenarioOptions& options)
    : config_(std::move(config)),
      connection_(options.household.three_phase ? Connection::three_phase_4w
                                                : Connection::single_phase_2w),
      phase_count_(phase_count(connection_)),
      half_cycle_count_(config_.nominal_frequency_hz > 55.0 ? 24 : 20),
      pv_(options.pv),
      profile_(make_household_profile(config_.seed, options.household)),
      grid_(config_.seed) {
  const double scale = config_.nominal_voltage_v / 230.0;
  // Service cable and feeder: about 0.3 ohm for a single-phase loop (line and neutral), 0.25 ohm
  // per phase for a three-phase supply at 230 V; scaled so a 120 V supply drops the same share.
  const double impedance_ohm = (options.household.three_phase ? 0.25 : 0.30) * scale * scale;
  drop_v_per_w_ = impedance_ohm / config_.nominal_voltage_v;
  grid_event_rate_ = options.grid_event_rate;
  voltage_noise_v_ = 0.0004 * config_.nominal_voltage_v;
  noise_key_ = hash_key(config_.seed, stream_interval_noise, std::uint64_t{0});
  voltage_noise_key_ = hash_key(config_.seed, stream_interval_noise, std::uint64_t{1});
  if (pv_) {
    pv_peak_w_ =
        4500.0 + 3000.0 * unit_from_bits(hash_key(config_.seed, stream_pv, std::uint64_t{0}));
  }
  for (std::size_t j = 0; j < half_cycle_jitter_v_.size(); ++j) {
    std::array<float, half_cycles_max>& jitter = half_cycle_jitter_v_[j];
    StreamRng rng(hash_key(config_.seed, stream_half_cycle, std::uint64_t{j}));
    double sum = 0.0;
    for (std::size_t k = 0; k < half_cycle_count_; ++k) {
      jitter[k] = static_cast<float>(0.00025 * config_.nominal_voltage_v * rng.uniform(-1.0, 1.0));
      sum += jitter[k];
    }
    const auto mean = static_cast<float>(sum / half_cycle_count_);
    for (std::size_t k = 0; k < half_cycle_count_; ++k) {
      jitter[k] -= mean;
    }
  }
}

const GridKnot& HouseholdScenario::knot_at(std::int64_t utc_minute) {
  const auto slot = static_cast<std::size_t>(utc_minute & 1);
  if (!knot_valid_[slot] || knot_minutes_[slot] != utc_minute) {
    knots_[slot] = grid_.knot(utc_minute);
    knot_minutes_[slot] = utc_minute;
    knot_valid_[slot] = true;
  }
  return knots_[slot];
}

void HouseholdScenario::refresh(UtcMicros start) {
  if (start < zone_.begin_utc || start >= zone_.end_utc) zone_ = central_european_offset(start);
  const std::int64_t local_us = start + zone_.offset_us;
  const std::int64_t day = floor_div(local_us, micros_per_day);
  if (!schedule_.built() || schedule_.day() != day) schedule_.build(profile_, day);
  const std::int64_t day_begin_local_us = day * micros_per_day;
  const auto second_of_day =
      static_cast<std::int32_t>((local_us - day_begin_local_us) / micros_per_second);
  const ScheduleSegment& load = schedule_.segment_at(second_of_day);

  // The cached stretch ends at the next load change, the next minute or a DST switch,
  // whichever comes first.
  const UtcMicros day_begin_utc = day_begin_local_us - zone_.offset_us;
  const std::int64_t minute = floor_div(start, micros_per_minute);
  const UtcMicros minute_begin = minute * micros_per_minute;
  segment_.begin_utc =
      std::max({day_begin_utc + load.begin_s * micros_per_second, minute_begin, zone_.begin_utc});
  segment_.end_utc = std::min({day_begin_utc + load.end_s * micros_per_second,
                               minute_begin + micros_per_minute, zone_.end_utc});
  segment_.origin_utc = minute_begin;

  const GridKnot here = knot_at(minute);
  const GridKnot& next = knot_at(minute + 1);
  const double per_minute = 1.0 / static_cast<double>(micros_per_minute);
  segment_.frequency_origin_hz = config_.nominal_frequency_hz + here.frequency_offset_hz;
  segment_.frequency_slope_hz_per_us =
      (next.frequency_offset_hz - here.frequency_offset_hz) * per_minute;

  // PV is steady within a minute: sun and clouds at the minute's midpoint.
  if (pv_ && (!pv_valid_ || pv_minute_ != minute)) {
    const std::int64_t utc_day = floor_div(minute_begin, micros_per_day);
    if (!solar_day_valid_ || solar_day_index_ != utc_day) {
      solar_day_ = solar_day(utc_day);
      solar_day_index_ = utc_day;
      solar_day_valid_ = true;
    }
    const SunPosition sun = sun_position(minute_begin + micros_per_minute / 2, solar_day_);
    const double pv_w =
        pv_peak_w_ * clear_sky_pv_fraction(sun) * cloud_transmission(config_.seed, minute);
    // The inverter cannot deliver more than its rating.
    pv_per_phase_w_ = std::min(pv_w, pv_peak_w_) / 3.0;
    pv_minute_ = minute;
    pv_valid_ = true;
  }
  const double pv_per_phase_w = pv_ ? pv_per_phase_w_ : 0.0;

  for (std::size_t p = 0; p < 3; ++p) {
    PhaseSegment& phase = segment_.phases[p];
    const double active_w = load.active_power_w[p] - pv_per_phase_w;
    const double reactive_var = load.reactive_power_var[p];
    const double apparent_va = std::sqrt(active_w * active_w + reactive_var * reactive_var);
    phase.active_power_w = active_w;
    phase.reactive_power_var = reactive_var;
    phase.apparent_power_va = apparent_va;
    phase.power_factor = apparent_va > 0.0 ? active_w / apparent_va : 1.0;
    // I = conj(S / U) with U at the phase's angle: (P - jQ)(cos + j sin) / |U|.
    phase.neutral_re_va = active_w * phase_cos[p] + reactive_var * phase_sin[p];
    phase.neutral_im_va = active_w * phase_sin[p] - reactive_var * phase_cos[p];
    // Harmonic currents relative to a small fundamental (PV cancelling the load) look huge;
    // a meter's THD reading saturates in the same way.
    const double harmonic_va =
        load.harmonic_va[p] + pv_per_phase_w * pv_current_thd_percent / 100.0;
    phase.current_thd_percent =
        apparent_va > 0.0 ? std::min(100.0, 100.0 * harmonic_va / apparent_va) : 0.0;
    const double v_here = config_.nominal_voltage_v * (1.0 + here.voltage_rel[p]);
    const double v_next = config_.nominal_voltage_v * (1.0 + next.voltage_rel[p]);
    phase.voltage_origin_v = v_here;
    phase.voltage_slope_v_per_us = (v_next - v_here) * per_minute;
    phase.voltage_thd_percent = here.voltage_thd_percent[p];
    voltage_harmonics(phase.voltage_thd_percent, phase.voltage_harmonic_percent);
    phase.drop_v = drop_v_per_w_ * active_w;
  }
}

void HouseholdScenario::measure(UtcMicros start, Measurement& out) {
  if (start < segment_.begin_utc || start >= segment_.end_utc) refresh(start);
  if (phase_count_ == 1) {
    fill<1>(start, out);
  } else {
    fill<3>(start, out);
  }
  if (grid_event_rate_ > 0.0) apply_grid_events(out);
}

std::vector<GridEvent> HouseholdScenario::grid_events(UtcMicros from, UtcMicros to) const {
  std::vector<GridEvent> events;
  const auto phases = static_cast<int>(phase_count_);
  for (std::int64_t day = floor_div(from, micros_per_day); day * micros_per_day < to; ++day) {
    for (const GridEvent& event :
         grid_events_for_day(config_.seed, day, phases, grid_event_rate_)) {
      if (event.start_utc >= from && event.start_utc < to) events.push_back(event);
    }
  }
  return events;
}

void HouseholdScenario::apply_grid_events(Measurement& out) {
  const std::int64_t day = floor_div(out.start_utc_us, micros_per_day);
  if (!events_valid_ || events_day_ != day) {
    day_events_ =
        grid_events_for_day(config_.seed, day, static_cast<int>(phase_count_), grid_event_rate_);
    events_day_ = day;
    events_valid_ = true;
  }
  const UtcMicros start = out.start_utc_us;
  const UtcMicros end = out.end_utc_us();
  for (const GridEvent& event : day_events_) {
    if (event.end_utc <= start || event.start_utc >= end) continue;
    // Share of [a, b) the event covers.
    auto covered = [&event](double a, double b) {
      const double from = std::max(a, static_cast<double>(event.start_utc));
      const double to = std::min(b, static_cast<double>(event.end_utc));
      return to > from ? (to - from) / (b - a) : 0.0;
    };
    const double f2 = event.voltage_fraction * event.voltage_fraction;
    const double interval_share = covered(static_cast<double>(start), static_cast<double>(end));
    const std::size_t count = out.half_cycle_count;
    const double half_us = static_cast<double>(end - start) / static_cast<double>(count);
    for (std::size_t p = 0; p < phase_count_; ++p) {
      if ((event.phases & (1U << p)) == 0) continue;
      PhaseMeasurement& m = out.phases[p];
      // Urms(1/2) value k covers the cycle from half cycle k - 1 to the end of half cycle k.
      for (std::size_t k = 0; k < count; ++k) {
        const double cycle_end = static_cast<double>(start) + static_cast<double>(k + 1) * half_us;
        const double a = covered(cycle_end - 2.0 * half_us, cycle_end);
        const double v = out.half_cycle_voltage_v[p][k];
        out.half_cycle_voltage_v[p][k] = static_cast<float>(v * std::sqrt(1.0 - a + a * f2));
      }
      m.voltage_v *= std::sqrt(1.0 - interval_share + interval_share * f2);
      if (event.kind == GridEventKind::interruption) {
        // No supply, no load.
        const double on = 1.0 - interval_share;
        m.current_a *= on;
        m.active_power_w *= on;
        m.reactive_power_var *= on;
        m.apparent_power_va *= on;
      }
    }
  }
  // Two-wire: the neutral carries the line current back, interrupted or not.
  if (phase_count_ == 1) out.neutral_current_a = out.phases[0].current_a;
}

template <std::size_t Phases>
void HouseholdScenario::fill(UtcMicros start, Measurement& __restrict out) const {
  const auto index = static_cast<std::uint64_t>(floor_div(start, measurement_interval_us));
  // Values at the middle of the interval stand for its RMS.
  constexpr std::int64_t half_interval_us = measurement_interval_us / 2;
  const auto since_origin_us = static_cast<double>(start + half_interval_us - segment_.origin_utc);
  // Two independent hashes per interval give all its noise: 16 bits each for the phases'
  // power and the frequency; 12 bits each for the phases' voltage, 4 for their half-cycle
  // patterns, 16 for the voltage THD. Independent rather than chained, for a short critical
  // path.
  const std::uint64_t power_bits = mix64(noise_key_ ^ index);
  const std::uint64_t voltage_bits = mix64(voltage_noise_key_ ^ index);
  const auto noise16 = [](std::uint64_t bits) {
    return static_cast<double>(static_cast<std::int32_t>(bits & 0xffffU) - 0x8000);
  };
  const auto noise12 = [](std::uint64_t bits) {
    return static_cast<double>(static_cast<std::int32_t>(bits & 0xfffU) - 0x800);
  };
  // +-0.4 % power, +-2 mHz, +-voltage_noise_v_, +-0.02 % THD: one multiplication each.
  constexpr double power_noise_per_step = 0.004 / 0x8000;
  constexpr double frequency_noise_hz_per_step = 0.002 / 0x8000;
  const double voltage_noise_v_per_step = voltage_noise_v_ / 0x800;
  const double thd_noise_percent = 0.02 / 0x8000 * noise16(voltage_bits >> 48);

  const double frequency_hz = segment_.frequency_origin_hz +
                              segment_.frequency_slope_hz_per_us * since_origin_us +
                              frequency_noise_hz_per_step * noise16(power_bits >> 48);
  out.start_utc_us = start;
  out.duration_us = measurement_interval_us;
  out.connection = connection_;
  out.frequency_hz = frequency_hz;
  out.half_cycle_count = half_cycle_count_;
  out.voltage_harmonics = true;

  std::array<double, 3> neutral_re_a{};
  std::array<double, 3> neutral_im_a{};
  // A constant trip count: unrolled, every shift and offset below becomes an immediate.
#pragma GCC unroll 3
  for (std::size_t p = 0; p < Phases; ++p) {
    const PhaseSegment& seg = segment_.phases[p];
    // The appliances' draw wobbles as a whole (P, Q and S together), so the power factor is
    // that of the segment's mix of loads.
    const double scale = 1.0 + power_noise_per_step * noise16(power_bits >> (16 * p));
    const double voltage_v = seg.voltage_origin_v + seg.voltage_slope_v_per_us * since_origin_us +
                             voltage_noise_v_per_step * noise12(voltage_bits >> (12 * p)) -
                             seg.drop_v * scale;
    const double scale_per_volt = scale / voltage_v;

    PhaseMeasurement& m = out.phases[p];
    m.voltage_v = voltage_v;
    m.current_a = seg.apparent_power_va * scale_per_volt;
    m.active_power_w = seg.active_power_w * scale;
    m.reactive_power_var = seg.reactive_power_var * scale;
    m.apparent_power_va = seg.apparent_power_va * scale;
    m.power_factor = seg.power_factor;
    m.frequency_hz = frequency_hz;
    m.voltage_thd_percent = seg.voltage_thd_percent + thd_noise_percent;
    out.voltage_harmonic_percent[p] = seg.voltage_harmonic_percent;
    m.current_thd_percent = seg.current_thd_percent;
    neutral_re_a[p] = seg.neutral_re_va * scale_per_volt;
    neutral_im_a[p] = seg.neutral_im_va * scale_per_volt;

    // Built in registers from the pattern, then stored whole: a handful of vector adds. At
    // 50 Hz the slots past the 20th are cleared after.
    std::array<float, half_cycles_max> half_cycles =
        half_cycle_jitter_v_[(voltage_bits >> (36 + 4 * p)) & 15U];
    const auto voltage_f = static_cast<float>(voltage_v);
#pragma GCC unroll 24
    for (std::size_t k = 0; k < half_cycles_max; ++k) {
      half_cycles[k] += voltage_f;
    }
    out.half_cycle_voltage_v[p] = half_cycles;
    if (half_cycle_count_ < half_cycles_max) {
      std::fill(out.half_cycle_voltage_v[p].begin() + half_cycles_max_50hz,
                out.half_cycle_voltage_v[p].end(), 0.0F);
    }
  }
  if constexpr (Phases == 1) {
    // Copies of zeroed members compile to a few vector moves (a memset becomes `rep stos`,
    // which costs more than the rest of the call).
    out.phases[1] = unused_phase_;
    out.phases[2] = unused_phase_;
    out.half_cycle_voltage_v[1] = unused_half_cycles_;
    out.half_cycle_voltage_v[2] = unused_half_cycles_;
    out.voltage_harmonic_percent[1] = unused_harmonics_;
    out.voltage_harmonic_percent[2] = unused_harmonics_;
    // Two-wire: the neutral carries the phase current back (what a tamper check compares).
    out.neutral_current_a = out.phases[0].current_a;
  } else {
    const double re_a = neutral_re_a[0] + (neutral_re_a[1] + neutral_re_a[2]);
    const double im_a = neutral_im_a[0] + (neutral_im_a[1] + neutral_im_a[2]);
    out.neutral_current_a = std::sqrt(re_a * re_a + im_a * im_a);
  }
}

}  // namespace gridmeter::sim
