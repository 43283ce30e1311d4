// The aggregator of the voltage-quality registration (IEC 61000-4-30 clause 5.5), flagging
// (clause 4.7), the over- and undervoltage of the 10-minute values and the EN 50160 weekly
// statistics.
#include <algorithm>  // std::clamp, std::max, std::min
#include <cmath>      // std::abs, std::floor, std::isfinite, std::sqrt

#include "meter/vq_internal.hpp"

namespace gridmeter::vq_detail {
namespace {

constexpr std::int64_t ten_seconds_us = 10 * micros_per_second;
constexpr std::int64_t ten_minutes_us = 10 * micros_per_minute;
constexpr std::int64_t two_hours_us = 2 * micros_per_hour;
constexpr std::int64_t week_us = 7 * micros_per_day;
constexpr std::uint32_t cycles_intervals = 15;   // 150/180 cycles of 10/12-cycle intervals
constexpr double thd_limit_percent = 8.0;        // EN 50160 clause 4.2.5
constexpr double unbalance_limit_percent = 2.0;  // EN 50160 clause 4.2.4

std::int64_t floor_to(std::int64_t time, std::int64_t period) {
  const std::int64_t q = time / period;
  return (time % period < 0 ? q - 1 : q) * period;
}

// `harmonics`: the accumulator aggregates single harmonics too (the 10-minute one).
void add(VqAccumulator& a, const Measurement& m, std::uint8_t slots, bool flagged,
         std::uint8_t interrupted_phases, UtcMicros start, bool harmonics) {
  if (a.count == 0) a.start_utc_us = start;
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    a.voltage_sq[p] += m.phases[p].voltage_v * m.phases[p].voltage_v;
    a.thd_sq[p] += m.phases[p].voltage_thd_percent * m.phases[p].voltage_thd_percent;
    if (harmonics && m.voltage_harmonics) {
      const std::array<float, voltage_harmonic_order_max + 1>& in = m.voltage_harmonic_percent[p];
      std::array<double, voltage_harmonic_order_max + 1>& sq = a.harmonic_sq[p];
      for (std::size_t h = 2; h <= voltage_harmonic_order_max; ++h)
        sq[h] += static_cast<double>(in[h]) * static_cast<double>(in[h]);
    }
  }
  if (harmonics && m.voltage_harmonics) ++a.harmonic_count;
  a.unbalance_sq += m.voltage_unbalance_percent * m.voltage_unbalance_percent;
  ++a.count;
  a.flagged = a.flagged || flagged;
  a.interrupted_phases |= interrupted_phases;
}

// Magnitudes aggregate as the square root of the mean of the squares (clause 5.5.1).
VqAggregate close(VqAccumulator& a, UtcMicros end) {
  VqAggregate out;
  out.valid = a.count > 0;
  out.flagged = a.flagged;
  out.interrupted_phases = a.interrupted_phases;
  out.start_utc_us = a.start_utc_us;
  out.end_utc_us = end;
  out.count = a.count;
  if (a.count > 0) {
    const double n = a.count;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      out.voltage_v[p] = std::sqrt(a.voltage_sq[p] / n);
      out.thd_percent[p] = std::sqrt(a.thd_sq[p] / n);
    }
    out.unbalance_percent = std::sqrt(a.unbalance_sq / n);
  }
  if (a.harmonic_count > 0) {
    out.harmonics = true;
    const double n = a.harmonic_count;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      for (std::size_t h = 2; h <= voltage_harmonic_order_max; ++h)
        out.harmonic_percent[p][h] = std::sqrt(a.harmonic_sq[p][h] / n);
    }
  }
  a = VqAccumulator{};
  return out;
}

// An interval's cycles on either side of a 10-s tick.
struct CycleSplit {
  double before_cycles = 0.0;
  double before_s = 0.0;
  double after_cycles = 0.0;
  double after_s = 0.0;
};

// Clause 5.1.2: the 10-s frequency is the number of whole cycles in the 10-s interval over
// their cumulative duration; the cycle across the tick counts in neither. Inside one interval
// the cycles are taken as equally long (the interval is 10 or 12 of them).
CycleSplit split_cycles(const Measurement& m, UtcMicros start, UtcMicros end, UtcMicros tick) {
  CycleSplit out;
  if (m.cycle_count > 0 && m.cycles_duration_us > 0) {
    const double count = m.cycle_count;
    const double cycle_us = static_cast<double>(m.cycles_duration_us) / count;
    const double cycle_s = cycle_us / micros_per_second;
    const UtcMicros first = start + m.cycles_offset_us;
    const UtcMicros last = first + m.cycles_duration_us;
    if (last <= tick) {
      out.before_cycles = count;
    } else if (first >= tick) {
      out.after_cycles = count;
    } else {
      // A slack of 2 µs absorbs the rounding of the times to whole microseconds.
      out.before_cycles =
          std::min(count, std::floor(static_cast<double>(tick - first + 2) / cycle_us));
      out.after_cycles = std::min(count - out.before_cycles,
                                  std::floor(static_cast<double>(last - tick + 2) / cycle_us));
    }
    out.before_s = out.before_cycles * cycle_s;
    out.after_s = out.after_cycles * cycle_s;
    return out;
  }
  // No counted cycles (the simulation, the flywheel): the interval's frequency over its time.
  if (!(m.frequency_hz > 0.0 && std::isfinite(m.frequency_hz))) return out;
  const UtcMicros cut = std::clamp(tick, start, end);
  out.before_s = static_cast<double>(cut - start) / micros_per_second;
  out.after_s = static_cast<double>(end - cut) / micros_per_second;
  out.before_cycles = m.frequency_hz * out.before_s;
  out.after_cycles = m.frequency_hz * out.after_s;
  return out;
}

void count_frequency(VoltageQualityState& state, const VqFrequencyValue& value,
                     const TimeZone& zone) {
  roll_week(state, value.start_utc_us, zone);
  VqWeek& week = state.running_week;
  if (value.flagged) {
    ++week.frequency_flagged;
    return;
  }
  const double nominal = state.aggregation.nominal_frequency_hz;
  ++week.frequency_values;
  // EN 50160 clause 4.2.1: 50 Hz ± 1 % for 99.5 % of a year, +4 % / -6 % always.
  if (std::abs(value.frequency_hz - nominal) <= 0.01 * nominal) ++week.frequency_within_1;
  if (value.frequency_hz >= 0.94 * nominal && value.frequency_hz <= 1.04 * nominal) {
    ++week.frequency_within_4_6;
  }
}

void close_frequency(VoltageQualityState& state, const TimeZone& zone) {
  VqAggregation& a = state.aggregation;
  if (a.frequency_duration_s > 0.0) {
    VqFrequencyValue value;
    value.valid = true;
    value.flagged = a.frequency_flagged;
    value.start_utc_us = a.frequency_start_utc_us;
    value.end_utc_us = a.frequency_end_utc_us;
    // Clause 5.1.2: the cycles counted in the 10-s interval over their duration.
    value.frequency_hz = a.frequency_cycles / a.frequency_duration_s;
    a.last_frequency = value;
    count_frequency(state, value, zone);
  }
  a.frequency_cycles = 0.0;
  a.frequency_duration_s = 0.0;
  a.frequency_flagged = false;
}

// Over- or undervoltage of one phase: `level` of this 10-minute value (0 inside).
void track_level(VoltageQualityState& state, VqLevelState& track, VqEventType type,
                 std::size_t phase, int level, const VqAggregate& value, VqSink& sink,
                 const TimeZone& zone) {
  const auto v = static_cast<float>(value.voltage_v[phase]);
  const bool over = type == VqEventType::overvoltage;
  if (level > 0) {
    if (track.level == 0) {
      track.start_utc_us = value.start_utc_us;
      track.extreme_v = v;
    }
    track.level = static_cast<std::uint8_t>(std::max<int>(track.level, level));
    track.extreme_v = over ? std::max(track.extreme_v, v) : std::min(track.extreme_v, v);
    return;
  }
  if (track.level == 0) return;
  VqEvent event;
  event.type = type;
  event.phases = static_cast<std::uint8_t>(1U << phase);
  event.level = track.level;
  event.start_utc_us = track.start_utc_us;
  event.end_utc_us = value.start_utc_us;  // left it when this value began
  event.extreme_v = track.extreme_v;
  track = VqLevelState{};
  report(state, event, sink, &zone, 0.0);
}

void on_ten_minutes(const VoltageQualityConfig& config, Connection connection,
                    VoltageQualityState& state, const VqAggregate& value, VqSink& sink,
                    const TimeZone& zone) {
  const std::uint8_t slots = vq_phase_mask(connection);
  const double udin = vq_reference_voltage(config, connection);
  roll_week(state, value.start_utc_us, zone);
  VqWeek& week = state.running_week;
  if (value.flagged) {
    ++week.voltage_flagged;
  }
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    const double v = value.voltage_v[p];
    if (!value.flagged) {
      ++week.voltage_values[p];
      // EN 50160 clause 4.2.2: Un ± 10 % for 95 % of the 10-min means, +10 % / -15 % always.
      if (std::abs(v - udin) <= 0.10 * udin) ++week.voltage_within_10[p];
      if (v >= 0.85 * udin && v <= 1.10 * udin) ++week.voltage_within_10_15[p];
      ++week.thd_values[p];
      if (value.thd_percent[p] <= thd_limit_percent) ++week.thd_within[p];
      // EN 50160 clause 4.2.6: each harmonic's 10-minute value against table 1.
      if (value.harmonics) {
        ++week.harmonic_values[p];
        for (std::size_t h = 2; h <= voltage_harmonic_order_max; ++h) {
          if (value.harmonic_percent[p][h] <= en50160_harmonic_limit_percent(h)) {
            ++week.harmonic_within[p][h];
          }
        }
      }
    }
    // Over- and undervoltage registration watches every 10-minute value, flagged or not: a
    // 10-minute mean beyond 110 % is a long swell, whose values are all flagged. A value with
    // the phase gone (an interruption) neither starts nor ends one.
    if ((value.interrupted_phases & (1U << p)) != 0) continue;
    const double percent = 100.0 * v / udin;
    const int over_level = percent > config.overvoltage_2_percent ? 2
                           : percent > config.overvoltage_percent ? 1
                                                                  : 0;
    const int under_level = percent < config.undervoltage_2_percent ? 2
                            : percent < config.undervoltage_percent ? 1
                                                                    : 0;
    track_level(state, state.aggregation.over[p], VqEventType::overvoltage, p, over_level, value,
                sink, zone);
    track_level(state, state.aggregation.under[p], VqEventType::undervoltage, p, under_level, value,
                sink, zone);
  }
  if (!value.flagged && connection != Connection::single_phase_2w) {
    ++week.unbalance_values;
    if (value.unbalance_percent <= unbalance_limit_percent) ++week.unbalance_within;
  }
  // The 2-hour value aggregates twelve 10-minute values (clause 5.5.4).
  VqAggregation& a = state.aggregation;
  VqAccumulator& hours = a.hours;
  if (hours.count == 0) {
    hours.start_utc_us = value.start_utc_us;
    a.hours_end_utc_us = floor_to(value.start_utc_us, two_hours_us) + two_hours_us;
  }
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    hours.voltage_sq[p] += value.voltage_v[p] * value.voltage_v[p];
    hours.thd_sq[p] += value.thd_percent[p] * value.thd_percent[p];
    if (!value.harmonics) continue;
    for (std::size_t h = 2; h <= voltage_harmonic_order_max; ++h)
      hours.harmonic_sq[p][h] += value.harmonic_percent[p][h] * value.harmonic_percent[p][h];
  }
  if (value.harmonics) ++hours.harmonic_count;
  hours.unbalance_sq += value.unbalance_percent * value.unbalance_percent;
  ++hours.count;
  hours.flagged = hours.flagged || value.flagged;
  hours.interrupted_phases |= value.interrupted_phases;
  if (value.end_utc_us >= a.hours_end_utc_us) a.last_hours = close(hours, a.hours_end_utc_us);
}

void close_minutes(const VoltageQualityConfig& config, Connection connection,
                   VoltageQualityState& state, VqSink& sink, const TimeZone& zone) {
  VqAggregation& a = state.aggregation;
  // The 150/180-cycle value re-synchronises at the 10-minute tick (clause 5.5.3): the one
  // running ends there, short.
  if (a.cycles.count > 0) a.last_cycles = close(a.cycles, a.minutes_end_utc_us);
  if (a.minutes.count == 0) return;
  a.last_minutes = close(a.minutes, a.minutes_end_utc_us);
  on_ten_minutes(config, connection, state, a.last_minutes, sink, zone);
}

}  // namespace

void flag_running(VqAggregation& aggregation) {
  aggregation.cycles.flagged = true;
  aggregation.minutes.flagged = true;
  aggregation.hours.flagged = true;
  aggregation.frequency_flagged = true;
  aggregation.cycles.interrupted_phases = 0b111;
  aggregation.minutes.interrupted_phases = 0b111;
  aggregation.hours.interrupted_phases = 0b111;
}

UtcMicros week_start(UtcMicros time, const TimeZone& zone) {
  const std::int64_t offset_us = std::int64_t{zone.offset_min(time)} * micros_per_minute;
  // 1970-01-05, day 4 of the epoch, was a Monday.
  constexpr std::int64_t monday_us = 4 * micros_per_day;
  const std::int64_t local = time + offset_us;
  return floor_to(local - monday_us, week_us) + monday_us - offset_us;
}

void roll_week(VoltageQualityState& state, UtcMicros time, const TimeZone& zone) {
  VqWeek& running = state.running_week;
  // Well inside the running week (a daylight-saving switch moves its end by an hour): nothing
  // to do, and no time zone arithmetic every 10 seconds.
  if (running.start_utc_us != 0 && time >= running.start_utc_us &&
      time < running.start_utc_us + week_us - 2 * micros_per_hour) {
    return;
  }
  const UtcMicros start = week_start(time, zone);
  if (running.start_utc_us == 0) {
    running.start_utc_us = start;
    return;
  }
  if (start <= running.start_utc_us) return;
  // A week passes into "last complete week"; after a longer gap that week saw nothing.
  if (start - running.start_utc_us <= week_us + micros_per_hour * 2) {
    state.last_week = running;
  } else {
    state.last_week = VqWeek{};
    state.last_week.start_utc_us = start - week_us;
  }
  running = VqWeek{};
  running.start_utc_us = start;
}

void aggregate(const VoltageQualityConfig& config, Connection connection, const TimeZone& zone,
               VoltageQualityState& state, const Measurement& m, UtcMicros start, UtcMicros end,
               bool flagged, std::uint8_t interrupted_phases, VqSink& sink) {
  VqAggregation& a = state.aggregation;
  const std::uint8_t slots = vq_phase_mask(connection);
  // The interval is also flagged when the voltage was gone without half-cycle values to say
  // so (a source that fills only the interval RMS).
  if (m.half_cycle_count == 0) {
    const double interruption_v =
        config.interruption_threshold_percent / 100.0 * vq_reference_voltage(config, connection);
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if ((slots & (1U << p)) != 0 && m.phases[p].voltage_v < interruption_v) {
        flagged = true;
        interrupted_phases |= static_cast<std::uint8_t>(1U << p);
      }
    }
  }

  // Frequency: 10-second values on the 10-s clock ticks (clause 5.1.2).
  if (a.frequency_end_utc_us == 0 || start >= a.frequency_end_utc_us) {
    if (a.frequency_end_utc_us != 0) close_frequency(state, zone);
    a.frequency_start_utc_us = floor_to(start, ten_seconds_us);
    a.frequency_end_utc_us = a.frequency_start_utc_us + ten_seconds_us;
  }
  const CycleSplit split = split_cycles(m, start, end, a.frequency_end_utc_us);
  a.frequency_cycles += split.before_cycles;
  a.frequency_duration_s += split.before_s;
  a.frequency_flagged = a.frequency_flagged || flagged;
  if (end >= a.frequency_end_utc_us) {
    close_frequency(state, zone);
    a.frequency_start_utc_us = a.frequency_end_utc_us;
    a.frequency_end_utc_us += ten_seconds_us;
    a.frequency_cycles += split.after_cycles;
    a.frequency_duration_s += split.after_s;
    // An event in an interval across the tick falls into both 10-s values.
    a.frequency_flagged = flagged && end > a.frequency_start_utc_us;
  }

  // 10 minutes on the clock's 10-minute ticks (clause 5.5.3). A gap (the meter was off) ends
  // the running one at its tick.
  if (a.minutes_end_utc_us == 0 || start >= a.minutes_end_utc_us) {
    if (a.minutes_end_utc_us != 0) close_minutes(config, connection, state, sink, zone);
    a.minutes_end_utc_us = floor_to(start, ten_minutes_us) + ten_minutes_us;
  }
  add(a.minutes, m, slots, flagged, interrupted_phases, start, true);
  add(a.cycles, m, slots, flagged, interrupted_phases, start, false);
  if (a.cycles.count >= cycles_intervals) a.last_cycles = close(a.cycles, end);
  if (end >= a.minutes_end_utc_us) {
    close_minutes(config, connection, state, sink, zone);
    a.minutes_end_utc_us += ten_minutes_us;
    // The interval across the tick belongs to both 10-minute values (clause 5.5.3).
    if (end > a.minutes_end_utc_us - ten_minutes_us) {
      add(a.minutes, m, slots, flagged, interrupted_phases, a.minutes_end_utc_us - ten_minutes_us,
          true);
    }
  }
}

}  // namespace gridmeter::vq_detail
