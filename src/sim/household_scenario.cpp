#include "sim/household_scenario.hpp"

#include <algorithm>  // std::max, std::min
#include <cmath>      // std::sqrt
#include <utility>    // std::move

#include "sim/hash_noise.hpp"
#include "sim/solar.hpp"
#include "sim/weather.hpp"

namespace gridmeter::sim {

namespace {

constexpr std::uint64_t stream_interval_noise = 0x1e0001;
constexpr std::uint64_t stream_phase_noise = 0x1e0010;
constexpr std::uint64_t stream_half_cycle = 0x1e0020;
constexpr std::uint64_t stream_pv = 0x1e0030;

// Phase angles of L1, L2, L3 voltages (positive sequence), for the neutral phasor sum.
constexpr std::array<double, 3> phase_cos = {1.0, -0.5, -0.5};
constexpr std::array<double, 3> phase_sin = {0.0, -0.86602540378443864676, 0.86602540378443864676};

// Inverter current distortion at a few percent of its output.
constexpr double pv_current_thd_percent = 3.0;

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
  voltage_noise_v_ = 0.0004 * config_.nominal_voltage_v;
  noise_key_ = hash_key(config_.seed, stream_interval_noise, std::uint64_t{0});
  for (std::size_t p = 0; p < 3; ++p) {
    phase_noise_key_[p] = hash_key(config_.seed, stream_phase_noise, std::uint64_t{p});
  }
  if (pv_) {
    pv_peak_w_ =
        5000.0 + 3000.0 * unit_from_bits(hash_key(config_.seed, stream_pv, std::uint64_t{0}));
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
    for (std::size_t k = 0; k < half_cycle_count_; ++k)
      jitter[k] -= mean;
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
  double pv_per_phase_w = 0.0;
  if (pv_) {
    const SunPosition sun = sun_position(minute_begin + micros_per_minute / 2);
    pv_per_phase_w =
        pv_peak_w_ * clear_sky_pv_fraction(sun) * cloud_transmission(config_.seed, minute) / 3.0;
    // The inverter cannot deliver more than its rating.
    pv_per_phase_w = std::min(pv_per_phase_w, pv_peak_w_ / 3.0);
  }

  for (std::size_t p = 0; p < 3; ++p) {
    PhaseSegment& phase = segment_.phases[p];
    phase.active_power_w = load.active_power_w[p] - pv_per_phase_w;
    phase.reactive_power_var = load.reactive_power_var[p];
    const double harmonic_va =
        load.harmonic_va[p] + pv_per_phase_w * pv_current_thd_percent / 100.0;
    const double apparent_va = std::sqrt(phase.active_power_w * phase.active_power_w +
                                         phase.reactive_power_var * phase.reactive_power_var);
    // Harmonic currents relative to a small fundamental (PV cancelling the load) look huge;
    // a meter's THD reading saturates in the same way.
    phase.current_thd_percent =
        apparent_va > 0.0 ? std::min(100.0, 100.0 * harmonic_va / apparent_va) : 0.0;
    const double v_here = config_.nominal_voltage_v * (1.0 + here.voltage_rel[p]);
    const double v_next = config_.nominal_voltage_v * (1.0 + next.voltage_rel[p]);
    phase.voltage_origin_v = v_here;
    phase.voltage_slope_v_per_us = (v_next - v_here) * per_minute;
    phase.voltage_thd_percent = here.voltage_thd_percent[p];
  }
}

void HouseholdScenario::measure(UtcMicros start, Measurement& out) {
  if (start < segment_.begin_utc || start >= segment_.end_utc) refresh(start);

  const auto index = static_cast<std::uint64_t>(floor_div(start, measurement_interval_us));
  // Values at the middle of the interval stand for its RMS.
  const auto since_origin_us =
      static_cast<double>(start + measurement_interval_us / 2 - segment_.origin_utc);
  const std::uint64_t shared_bits = mix64(noise_key_ ^ index);
  const double frequency_hz = segment_.frequency_origin_hz +
                              segment_.frequency_slope_hz_per_us * since_origin_us +
                              0.002 * signed_from_bits16(shared_bits);

  out.start_utc_us = start;
  out.duration_us = measurement_interval_us;
  out.connection = connection_;
  out.frequency_hz = frequency_hz;
  out.half_cycle_count = half_cycle_count_;

  double neutral_re_a = 0.0;
  double neutral_im_a = 0.0;
  for (std::size_t p = 0; p < phase_count_; ++p) {
    const PhaseSegment& seg = segment_.phases[p];
    const std::uint64_t bits = mix64(phase_noise_key_[p] ^ index);
    const double active_w = seg.active_power_w * (1.0 + 0.004 * signed_from_bits16(bits));
    const double reactive_var =
        seg.reactive_power_var * (1.0 + 0.006 * signed_from_bits16(bits >> 16));
    const double voltage_v = seg.voltage_origin_v + seg.voltage_slope_v_per_us * since_origin_us +
                             voltage_noise_v_ * signed_from_bits16(bits >> 32) -
                             drop_v_per_w_ * active_w;
    const double apparent_va = std::sqrt(active_w * active_w + reactive_var * reactive_var);
    const double per_volt = 1.0 / voltage_v;

    PhaseMeasurement& m = out.phases[p];
    m.voltage_v = voltage_v;
    m.current_a = apparent_va * per_volt;
    m.active_power_w = active_w;
    m.reactive_power_var = reactive_var;
    m.apparent_power_va = apparent_va;
    m.power_factor = apparent_va > 0.0 ? active_w / apparent_va : 1.0;
    m.frequency_hz = frequency_hz;
    m.voltage_thd_percent = seg.voltage_thd_percent + 0.03 * signed_from_bits16(bits >> 48);
    m.current_thd_percent = seg.current_thd_percent;

    // I = conj(S / U) with U at the phase's angle: (P - jQ)(cos + j sin) / |U|.
    neutral_re_a += (active_w * phase_cos[p] + reactive_var * phase_sin[p]) * per_volt;
    neutral_im_a += (active_w * phase_sin[p] - reactive_var * phase_cos[p]) * per_volt;

    const auto& jitter = half_cycle_jitter_v_[(shared_bits >> (16 + 4 * p)) & 15U];
    const auto voltage_f = static_cast<float>(voltage_v);
    std::array<float, half_cycles_max>& half_cycles = out.half_cycle_voltage_v[p];
    for (std::size_t k = 0; k < half_cycles_max; ++k) {
      half_cycles[k] = k < half_cycle_count_ ? voltage_f + jitter[k] : 0.0F;
    }
  }
  for (std::size_t p = phase_count_; p < phase_count_max; ++p) {
    out.phases[p] = PhaseMeasurement{};
    out.half_cycle_voltage_v[p].fill(0.0F);
  }
  // Two-wire: the neutral carries the phase current back (what a tamper check compares).
  out.neutral_current_a =
      phase_count_ == 1 ? out.phases[0].current_a
                        : std::sqrt(neutral_re_a * neutral_re_a + neutral_im_a * neutral_im_a);
}

}  // namespace gridmeter::sim
