#include "meter/voltage_quality.hpp"

#include <algorithm>  // std::clamp, std::max, std::min
#include <cmath>      // std::abs, std::isfinite, std::llround, std::sqrt
#include <cstring>    // std::memcpy

#include "meter/vq_internal.hpp"

namespace gridmeter {
namespace {

// The RVC window: 100 Urms(1/2) values at 50 Hz, 120 at 60 Hz (IEC 61000-4-30 clause 5.11.2).
constexpr std::uint32_t rvc_window_50hz = 100;
constexpr std::uint32_t rvc_window_60hz = 120;

enum class Side : std::uint8_t { below, above };

struct Levels {
  double dip_v = 0.0;
  double dip_end_v = 0.0;
  double swell_v = 0.0;
  double swell_end_v = 0.0;
  double interruption_v = 0.0;
  double interruption_end_v = 0.0;
  double rvc_v = 0.0;
  double rvc_end_v = 0.0;  // the band of the steady state that ends an RVC
  std::int64_t long_us = 0;
};

Levels levels_of(const VoltageQualityConfig& config, Connection connection) {
  const double percent = vq_reference_voltage(config, connection) / 100.0;
  Levels l;
  l.dip_v = config.dip_threshold_percent * percent;
  l.dip_end_v = (config.dip_threshold_percent + config.hysteresis_percent) * percent;
  l.swell_v = config.swell_threshold_percent * percent;
  l.swell_end_v = (config.swell_threshold_percent - config.hysteresis_percent) * percent;
  l.interruption_v = config.interruption_threshold_percent * percent;
  l.interruption_end_v =
      (config.interruption_threshold_percent + config.hysteresis_percent) * percent;
  l.rvc_v = config.rvc_threshold_percent * percent;
  l.rvc_end_v = (config.rvc_threshold_percent - config.rvc_hysteresis_percent) * percent;
  l.long_us = std::int64_t{config.long_interruption_s} * micros_per_second;
  return l;
}

// One Urms(1/2) value of every phase.
struct Sample {
  UtcMicros time_us = 0;  // meter clock: the middle of the cycle the values cover
  std::int64_t period_us = 0;
  std::array<float, phase_count_max> value{};
};

double square(double x) { return x * x; }

bool crosses(Side side, float value, double level) {
  return side == Side::below ? value < level : value > level;
}
bool returned(Side side, float value, double end_level) {
  return side == Side::below ? value > end_level : value < end_level;
}
bool more_extreme(Side side, float a, float b) { return side == Side::below ? a < b : a > b; }

// Where `at` lies between `from` and `to`, 0..1; 0.5 when that cannot be told.
double fraction(double from, double at, double to) {
  if (from < 0.0 || to < 0.0) return 0.5;
  const double span = to - from;
  if (std::abs(span) <= 1e-9 * (std::abs(from) + std::abs(to)) + 1e-12) return 0.5;
  return std::clamp((at - from) / span, 0.0, 1.0);
}

// The instant a step happened, from a value part-way through it. A Urms(1/2) value covers
// one cycle centred on its time; across a step from level L0 to L1 its mean square moves
// linearly from L0 to L1 over that cycle, so a value that went `part` of the way lies
// (part - 1/2) of a cycle after the step. That places starts and ends within a fraction of a
// half cycle of the true crossing (the issue asks for half a cycle), where the raw timestamps
// of the crossing values (IEC 61000-4-30 clause 5.4.2.1) are up to a cycle late.
UtcMicros step_time(UtcMicros value_time, std::int64_t period_us, double part) {
  return value_time + std::llround(static_cast<double>(period_us) * (0.5 - part));
}

class Detector {
 public:
  Detector(const VoltageQualityConfig& config, Connection connection, const TimeZone& zone,
           VoltageQualityState& state, VqSink& sink)
      : config_(config),
        levels_(levels_of(config, connection)),
        slots_(vq_phase_mask(connection)),
        connection_(connection),
        zone_(zone),
        state_(state),
        sink_(sink) {}

  [[nodiscard]] bool any_open() const {
    bool open =
        state_.dip.active || state_.swell.active || state_.interruption.active || state_.rvc.active;
    for (const VqOpenEvent& dropout : state_.dropout)
      open = open || dropout.active;
    return open;
  }

  // Whether the interval's values can neither start an event nor an RVC: then they only go
  // into the history (the common case, a few comparisons per value).
  [[nodiscard]] bool quiet(const std::array<float, phase_count_max>& low,
                           const std::array<float, phase_count_max>& high, std::uint32_t count,
                           std::uint32_t window) const {
    if (any_open()) return false;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if (!in_slots(p)) continue;
      if (crosses(Side::below, low[p], levels_.dip_v) ||
          crosses(Side::above, high[p], levels_.swell_v)) {
        return false;
      }
    }
    const VqHistory& h = state_.history;
    if (h.rvc_valid + count <= window) return true;  // the RVC detector is not armed yet
    // Every value of the window before this interval and of this interval within the RVC
    // threshold of each other: none can stray further than that from any mean of them.
    std::uint32_t covered = 0;
    std::size_t intervals = 0;
    for (std::size_t back = 1; back <= vq_interval_stats_size && covered < window; ++back) {
      const std::size_t i =
          (h.interval_head + vq_interval_stats_size - back) % vq_interval_stats_size;
      if (h.interval_count[i] == 0) return false;
      covered += h.interval_count[i];
      intervals = back;
    }
    if (covered < window) return false;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if (!in_slots(p)) continue;
      float window_low = low[p];
      float window_high = high[p];
      for (std::size_t back = 1; back <= intervals; ++back) {
        const std::size_t i =
            (h.interval_head + vq_interval_stats_size - back) % vq_interval_stats_size;
        window_low = std::min(window_low, h.interval_min[i][p]);
        window_high = std::max(window_high, h.interval_max[i][p]);
      }
      if (window_high - window_low > levels_.rvc_v) return false;
    }
    return true;
  }

  // One Urms(1/2) value per phase, through every detector; true when a dip, swell or
  // interruption was in progress (its values are flagged, clause 4.7).
  bool sample(const Sample& s, std::uint32_t window) {
    const bool dip_before = state_.dip.active;
    const bool swell_before = state_.swell.active;
    const bool interruption_before = state_.interruption.active;
    step_dropouts(s);
    VqEvent closed;
    // Clause 5.4.2.1: a dip starts when any phase falls below the threshold and ends when
    // every phase is back above threshold + hysteresis; a swell mirrors it (clause 5.4.3).
    if (step(state_.dip, Side::below, false, levels_.dip_v, levels_.dip_end_v, s, closed)) {
      closed.type = VqEventType::dip;
      emit(closed);
    }
    if (step(state_.swell, Side::above, false, levels_.swell_v, levels_.swell_end_v, s, closed)) {
      closed.type = VqEventType::swell;
      emit(closed);
    }
    // Clause 5.5.2: a polyphase interruption starts when every phase is below the
    // interruption threshold and ends when any one is back above threshold + hysteresis.
    if (step(state_.interruption, Side::below, true, levels_.interruption_v,
             levels_.interruption_end_v, s, closed)) {
      closed.type = VqEventType::interruption;
      closed.phases = slots_;
      closed.level = closed.duration_us() >= levels_.long_us ? 2 : 1;
      emit(closed);
    }
    if (state_.interruption.active) {
      for (VqOpenEvent& dropout : state_.dropout) {
        if (dropout.active) dropout.all_phases = true;
      }
    }
    const bool event_now = state_.dip.active || state_.swell.active || state_.interruption.active;
    const bool event_any = event_now || dip_before || swell_before || interruption_before;
    step_rvc(s, event_any, window);
    push(s);
    // A new steady state must build up after an event before an RVC can be told again.
    if (event_any) state_.history.rvc_valid = 0;
    if (state_.rvc.active) end_rvc_if_steady(s, window);
    return event_any;
  }

  void push(const Sample& s) {
    VqHistory& h = state_.history;
    for (std::size_t p = 0; p < phase_count_max; ++p)
      h.values[p][h.head] = s.value[p];
    h.head = (h.head + 1) % vq_history_size;
    h.filled = std::min<std::uint32_t>(h.filled + 1, vq_history_size);
    if (h.rvc_valid < (1U << 30)) ++h.rvc_valid;
  }

  // The interval's values of every phase at once (the quiet path): the same history as
  // push() of each value in turn.
  void push_all(const Measurement& m, std::size_t count) {
    VqHistory& h = state_.history;
    const std::size_t first = std::min<std::size_t>(count, vq_history_size - h.head);
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      const float* values = m.half_cycle_voltage_v[p].data();
      std::copy(values, values + first, h.values[p].begin() + h.head);
      std::copy(values + first, values + count, h.values[p].begin());
    }
    const auto n = static_cast<std::uint32_t>(count);
    h.head = (h.head + n) % vq_history_size;
    h.filled = std::min<std::uint32_t>(h.filled + n, vq_history_size);
    h.rvc_valid = std::min<std::uint32_t>(h.rvc_valid + n, 1U << 30);
  }

  void push_interval(const std::array<float, phase_count_max>& low,
                     const std::array<float, phase_count_max>& high, std::uint32_t count) {
    VqHistory& h = state_.history;
    h.interval_min[h.interval_head] = low;
    h.interval_max[h.interval_head] = high;
    h.interval_count[h.interval_head] = static_cast<std::uint8_t>(count);
    h.interval_head = (h.interval_head + 1) % vq_interval_stats_size;
  }

 private:
  [[nodiscard]] bool in_slots(std::size_t p) const { return (slots_ & (1U << p)) != 0; }

  // The value of phase p `back` values ago (1: the previous one), as a mean square; -1 when
  // the history does not reach that far.
  [[nodiscard]] double past_ms(std::size_t p, std::uint32_t back) const {
    const VqHistory& h = state_.history;
    if (h.filled < back) return -1.0;
    return square(h.values[p][(h.head + vq_history_size - back) % vq_history_size]);
  }

  [[nodiscard]] UtcMicros refined_start(const VqOpenEvent& e) const {
    const double settle = e.samples >= 2 ? e.settle_ms : e.cross_ms;
    return step_time(e.cross_utc_us, e.period_us, fraction(e.pre_ms, e.cross_ms, settle));
  }

  // Advances one event by one sample. `start_needs_all`: the event starts when every phase of
  // slots_ crosses and ends when any returns (an interruption); otherwise it starts when any
  // crosses and ends when all have returned. True when it ended, with `closed` filled.
  bool step(VqOpenEvent& e, Side side, bool start_needs_all, double start_level, double end_level,
            const Sample& s, VqEvent& closed) {
    return step_slots(e, slots_, side, start_needs_all, start_level, end_level, s, closed);
  }

  bool step_slots(VqOpenEvent& e, std::uint8_t slots, Side side, bool start_needs_all,
                  double start_level, double end_level, const Sample& s, VqEvent& closed) {
    std::uint8_t crossing = 0;
    std::uint8_t back = 0;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if ((slots & (1U << p)) == 0) continue;
      if (crosses(side, s.value[p], start_level)) crossing |= static_cast<std::uint8_t>(1U << p);
      if (returned(side, s.value[p], end_level)) back |= static_cast<std::uint8_t>(1U << p);
    }
    if (!e.active) {
      const bool starts = start_needs_all ? crossing == slots : crossing != 0;
      if (starts) open(e, slots, crossing, side, start_needs_all, s);
      return false;
    }
    if (e.samples < 255) ++e.samples;
    if (e.samples == 2) e.settle_ms = static_cast<float>(square(s.value[e.cross_phase]));
    e.phases |= crossing;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if ((slots & (1U << p)) != 0 && more_extreme(side, s.value[p], e.extreme_v)) {
        e.extreme_v = s.value[p];
      }
    }
    const bool ends = start_needs_all ? back != 0 : back == slots;
    if (!ends) return false;
    // The phase whose return ended it: the one that returned first (any) or the one that was
    // furthest out a value before (all).
    std::size_t end_phase = e.cross_phase;
    bool chosen = false;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if ((slots & (1U << p)) == 0) continue;
      if (start_needs_all) {
        if ((back & (1U << p)) != 0 &&
            (!chosen || more_extreme(side, s.value[end_phase], s.value[p]))) {
          end_phase = p;
          chosen = true;
        }
      } else {
        const double before = past_ms(p, 1);
        const double chosen_before = past_ms(end_phase, 1);
        const bool further = side == Side::below ? before < chosen_before : before > chosen_before;
        if (!chosen || further) {
          end_phase = p;
          chosen = true;
        }
      }
    }
    const double part =
        fraction(past_ms(end_phase, 2), square(s.value[end_phase]), e.before_ms[end_phase]);
    closed = VqEvent{};
    closed.phases = e.phases;
    closed.start_utc_us = refined_start(e);
    closed.end_utc_us = std::max(closed.start_utc_us, step_time(s.time_us, s.period_us, part));
    closed.extreme_v = e.extreme_v;
    e = VqOpenEvent{};
    return true;
  }

  void open(VqOpenEvent& e, std::uint8_t slots, std::uint8_t crossing, Side side,
            bool start_needs_all, const Sample& s) {
    e = VqOpenEvent{};
    e.active = true;
    e.phases = crossing;
    bool chosen = false;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if ((crossing & (1U << p)) == 0) continue;
      // Any: the phase furthest out started it; all: the last one to cross.
      const bool better = start_needs_all ? more_extreme(side, s.value[e.cross_phase], s.value[p])
                                          : more_extreme(side, s.value[p], s.value[e.cross_phase]);
      if (!chosen || better) {
        e.cross_phase = static_cast<std::uint8_t>(p);
        chosen = true;
      }
    }
    e.cross_utc_us = s.time_us;
    e.period_us = s.period_us;
    e.cross_ms = static_cast<float>(square(s.value[e.cross_phase]));
    e.pre_ms = static_cast<float>(past_ms(e.cross_phase, 2));
    e.settle_ms = e.cross_ms;
    e.extreme_v = s.value[e.cross_phase];
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      e.before_ms[p] = static_cast<float>(past_ms(p, 2));
      if ((slots & (1U << p)) != 0 && more_extreme(side, s.value[p], e.extreme_v)) {
        e.extreme_v = s.value[p];
      }
    }
  }

  // Supply voltage dropouts of each phase (below the interruption threshold): power failures
  // of one phase, with their own start and end.
  void step_dropouts(const Sample& s) {
    VqCounters& counters = state_.counters;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if (!in_slots(p)) continue;
      VqOpenEvent& dropout = state_.dropout[p];
      const bool was_active = dropout.active;
      VqEvent closed;
      const auto slot = static_cast<std::uint8_t>(1U << p);
      if (step_slots(dropout, slot, Side::below, false, levels_.interruption_v,
                     levels_.interruption_end_v, s, closed)) {
        end_dropout(p, closed);
      } else if (!was_active && dropout.active) {
        if (!counters.episode_active) {
          counters.episode_active = true;
          counters.episode_start_utc_us = s.time_us;
          ++counters.power_failures;
        }
        counters.last_failure_utc_us[p] = s.time_us;
      }
    }
  }

  void end_dropout(std::size_t p, const VqEvent& closed) {
    VqCounters& counters = state_.counters;
    // step_slots reset the open event; note_dropouts kept whether all phases were out.
    const bool all_phases = dropout_all_phases_[p];
    dropout_all_phases_[p] = false;
    counters.last_failure_utc_us[p] = closed.start_utc_us;
    const std::int64_t duration_us = closed.duration_us();
    if (duration_us >= levels_.long_us) {
      ++counters.long_interruptions[p];
    } else {
      ++counters.short_interruptions[p];
    }
    counters.interruption_duration_ms[p] += (duration_us + 500) / 1000;
    if (!all_phases && slots_ != (1U << p)) {
      VqEvent failure = closed;
      failure.type = VqEventType::phase_failure;
      failure.phases = static_cast<std::uint8_t>(1U << p);
      emit(failure);
    }
    bool any = false;
    for (const VqOpenEvent& dropout : state_.dropout)
      any = any || dropout.active;
    if (!any && counters.episode_active) {
      counters.episode_active = false;
      if (closed.end_utc_us - counters.episode_start_utc_us >= levels_.long_us) {
        ++counters.long_power_failures;
      }
    }
  }

 public:
  // Remembers which open dropouts saw all phases out, before step_slots forgets it.
  void note_dropouts() {
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      dropout_all_phases_[p] = state_.dropout[p].active && state_.dropout[p].all_phases;
    }
  }

 private:
  [[nodiscard]] double window_mean(std::size_t p, std::uint32_t window) const {
    const VqHistory& h = state_.history;
    double sum = 0.0;
    for (std::uint32_t back = 1; back <= window; ++back)
      sum += h.values[p][(h.head + vq_history_size - back) % vq_history_size];
    return sum / window;
  }

  // Whether the last `window` values of phase p lie within `band` of their mean.
  [[nodiscard]] bool steady(std::size_t p, std::uint32_t window, double band, double& mean) const {
    const VqHistory& h = state_.history;
    mean = window_mean(p, window);
    for (std::uint32_t back = 1; back <= window; ++back) {
      const float v = h.values[p][(h.head + vq_history_size - back) % vq_history_size];
      if (std::abs(v - mean) > band) return false;
    }
    return true;
  }

  // Clause 5.11: an RVC starts when, from a steady state (the preceding 100/120 values within
  // the RVC threshold of their mean), a value moves further than the threshold from that mean.
  // A dip, swell or interruption during it makes it that event instead (clause 5.11.2).
  void step_rvc(const Sample& s, bool event_any, std::uint32_t window) {
    VqRvcState& rvc = state_.rvc;
    if (event_any) {
      rvc = VqRvcState{};
      return;
    }
    if (rvc.active) {
      ++rvc.since_start;
      for (std::size_t p = 0; p < phase_count_max; ++p) {
        if (!in_slots(p)) continue;
        const auto delta = static_cast<float>(std::abs(s.value[p] - rvc.mean_before_v[p]));
        rvc.delta_max_v = std::max(rvc.delta_max_v, delta);
        if (delta > levels_.rvc_v) rvc.phases |= static_cast<std::uint8_t>(1U << p);
      }
      return;
    }
    if (state_.history.rvc_valid < window) return;
    std::array<double, phase_count_max> mean{};
    std::uint8_t deviating = 0;
    float deviation_max = 0.0F;
    std::size_t cross = 0;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if (!in_slots(p)) continue;
      if (!steady(p, window, levels_.rvc_v, mean[p])) return;
      const auto delta = static_cast<float>(std::abs(s.value[p] - mean[p]));
      if (delta > levels_.rvc_v) {
        deviating |= static_cast<std::uint8_t>(1U << p);
        if (delta > deviation_max) cross = p;
      }
      deviation_max = std::max(deviation_max, delta);
    }
    if (deviating == 0) return;
    rvc = VqRvcState{};
    rvc.active = true;
    rvc.phases = deviating;
    rvc.cross_phase = static_cast<std::uint8_t>(cross);
    rvc.cross_utc_us = s.time_us;
    rvc.period_us = s.period_us;
    rvc.pre_ms = static_cast<float>(past_ms(cross, 2));
    rvc.cross_ms = static_cast<float>(square(s.value[cross]));
    rvc.since_start = 1;
    for (std::size_t p = 0; p < phase_count_max; ++p)
      rvc.mean_before_v[p] = static_cast<float>(mean[p]);
    rvc.delta_max_v = deviation_max;
  }

  // The RVC ends when the values since its start hold a new steady state, within the RVC
  // threshold less its hysteresis of their mean (so that a value wandering about the threshold
  // does not end one RVC and start the next); ΔUss is the step between the means before and
  // after, ΔUmax the furthest value from the mean before.
  void end_rvc_if_steady(const Sample& s, std::uint32_t window) {
    VqRvcState& rvc = state_.rvc;
    if (rvc.since_start < window) return;
    std::array<double, phase_count_max> mean{};
    double delta_ss = 0.0;
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if (!in_slots(p)) continue;
      if (!steady(p, window, levels_.rvc_end_v, mean[p])) return;
      delta_ss = std::max(delta_ss, std::abs(mean[p] - rvc.mean_before_v[p]));
    }
    VqEvent event;
    event.type = VqEventType::rvc;
    event.phases = rvc.phases;
    const double part = fraction(rvc.pre_ms, rvc.cross_ms, square(mean[rvc.cross_phase]));
    event.start_utc_us = step_time(rvc.cross_utc_us, rvc.period_us, part);
    // The new steady state began with the first value of its window.
    const UtcMicros settled = s.time_us - static_cast<std::int64_t>(window - 1) * s.period_us / 2;
    event.end_utc_us = std::max(event.start_utc_us, settled);
    event.extreme_v = rvc.delta_max_v;
    event.delta_ss_v = delta_ss;
    rvc = VqRvcState{};
    emit(event);
  }

  void emit(const VqEvent& event) {
    vq_detail::report(state_, event, sink_, &zone_, vq_reference_voltage(config_, connection_));
  }

  const VoltageQualityConfig& config_;
  Levels levels_;
  std::uint8_t slots_;
  Connection connection_;
  const TimeZone& zone_;
  VoltageQualityState& state_;
  VqSink& sink_;
  std::array<bool, phase_count_max> dropout_all_phases_{};
};

// Four floats in one SSE register (GCC/Clang vector extension): `a < b ? a : b` is one minps.
typedef float Floats4 __attribute__((vector_size(16)));

// The lowest and highest of `count` (>= 1) values, four lanes at a time (this runs for every
// phase of every interval; Urms(1/2) values are finite, so lane order cannot matter).
void extremes(const float* values, std::size_t count, float& low, float& high) {
  low = values[0];
  high = values[0];
  std::size_t k = 0;
  if (count >= 4) {
    Floats4 lo;
    std::memcpy(&lo, values, sizeof lo);
    Floats4 hi = lo;
    for (k = 4; k + 4 <= count; k += 4) {
      Floats4 x;
      std::memcpy(&x, values + k, sizeof x);
      lo = x < lo ? x : lo;
      hi = x > hi ? x : hi;
    }
    // Halves folded onto each other, in registers (std::min of lanes goes through memory).
    const Floats4 lo_swapped = __builtin_shufflevector(lo, lo, 2, 3, 0, 1);
    const Floats4 hi_swapped = __builtin_shufflevector(hi, hi, 2, 3, 0, 1);
    lo = lo_swapped < lo ? lo_swapped : lo;
    hi = hi_swapped > hi ? hi_swapped : hi;
    low = lo[0] < lo[1] ? lo[0] : lo[1];
    high = hi[0] > hi[1] ? hi[0] : hi[1];
  }
  for (; k < count; ++k) {
    low = std::min(low, values[k]);
    high = std::max(high, values[k]);
  }
}

std::int64_t period_of(const Measurement& m, double nominal_hz) {
  const double f = std::isfinite(m.frequency_hz) && m.frequency_hz >= 40.0 && m.frequency_hz <= 70.0
                       ? m.frequency_hz
                       : nominal_hz;
  return std::llround(1e6 / f);
}

}  // namespace

std::size_t vq_dip_cell(double residual_percent, std::int64_t duration_us) {
  const std::size_t row = residual_percent >= 80.0   ? 0
                          : residual_percent >= 70.0 ? 1
                          : residual_percent >= 40.0 ? 2
                          : residual_percent >= 5.0  ? 3
                                                     : 4;
  const std::size_t column = duration_us <= 200'000      ? 0
                             : duration_us <= 500'000    ? 1
                             : duration_us <= 1'000'000  ? 2
                             : duration_us <= 5'000'000  ? 3
                             : duration_us <= 60'000'000 ? 4
                                                         : 5;
  return row * vq_dip_columns + column;
}

std::size_t vq_swell_cell(double peak_percent, std::int64_t duration_us) {
  const std::size_t row = peak_percent >= 120.0 ? 1 : 0;
  const std::size_t column = duration_us <= 500'000      ? 0
                             : duration_us <= 5'000'000  ? 1
                             : duration_us <= 60'000'000 ? 2
                                                         : 3;
  return row * vq_swell_columns + column;
}

namespace vq_detail {

void report(VoltageQualityState& state, const VqEvent& event, VqSink& sink, const TimeZone* zone,
            double reference_v) {
  VqCounters& c = state.counters;
  const std::int64_t duration_ms = (event.duration_us() + 500) / 1000;
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((event.phases & (1U << p)) == 0) continue;
    switch (event.type) {
      case VqEventType::dip:
        ++c.dips[p];
        c.dip_duration_ms[p] += duration_ms;
        break;
      case VqEventType::swell:
        ++c.swells[p];
        c.swell_duration_ms[p] += duration_ms;
        break;
      case VqEventType::rvc:
        ++c.rvcs[p];
        break;
      default:
        break;
    }
  }
  switch (event.type) {
    case VqEventType::dip:
      ++c.dips_total;
      break;
    case VqEventType::swell:
      ++c.swells_total;
      break;
    case VqEventType::interruption:
      if (event.level >= 2) {
        ++c.long_interruptions_total;
      } else {
        ++c.short_interruptions_total;
      }
      break;
    case VqEventType::rvc:
      ++c.rvcs_total;
      break;
    case VqEventType::overvoltage:
      ++c.overvoltages;
      break;
    case VqEventType::undervoltage:
      ++c.undervoltages;
      break;
    case VqEventType::phase_failure:
      ++c.phase_failures;
      break;
  }
  if (zone != nullptr) {
    roll_week(state, event.start_utc_us, *zone);
    VqWeek& week = event.start_utc_us >= state.running_week.start_utc_us ? state.running_week
                                                                         : state.last_week;
    ++week.events[static_cast<std::size_t>(event.type)];
    if (event.type == VqEventType::interruption && event.level >= 2) ++week.long_interruptions;
    const double percent = reference_v > 0.0 ? 100.0 * event.extreme_v / reference_v : 0.0;
    if (event.type == VqEventType::dip) {
      ++week.dip_table[vq_dip_cell(percent, event.duration_us())];
    } else if (event.type == VqEventType::swell) {
      ++week.swell_table[vq_swell_cell(percent, event.duration_us())];
    }
  }
  sink.on_vq_event(event);
}

}  // namespace vq_detail

std::string_view vq_phase_name(Connection connection, std::size_t slot) {
  if (connection == Connection::three_phase_3w) return slot == 0 ? "L12" : "L32";
  constexpr std::array<std::string_view, 3> names{"L1", "L2", "L3"};
  return slot < names.size() ? names[slot] : "?";
}

double vq_reference_voltage(const VoltageQualityConfig& config, Connection connection) {
  constexpr double sqrt3 = 1.7320508075688772935;
  return connection == Connection::three_phase_3w ? config.declared_voltage_v * sqrt3
                                                  : config.declared_voltage_v;
}

void vq_advance(const VoltageQualityConfig& config, Connection connection, const TimeZone& zone,
                VoltageQualityState& state, const Measurement& m, std::int64_t clock_offset_us,
                VqSink& sink) {
  const UtcMicros start = m.start_utc_us + clock_offset_us;
  const UtcMicros end = m.end_utc_us() + clock_offset_us;
  VqAggregation& aggregation = state.aggregation;
  if (aggregation.nominal_frequency_hz == 0.0) {
    aggregation.nominal_frequency_hz =
        m.half_cycle_count > 20 || (m.half_cycle_count == 0 && m.frequency_hz > 55.0) ? 60.0 : 50.0;
  }
  const bool sixty = aggregation.nominal_frequency_hz > 55.0;
  const std::uint32_t window = sixty ? rvc_window_60hz : rvc_window_50hz;
  bool flagged = false;
  std::uint8_t interrupted_phases = 0;
  const std::size_t count = std::min<std::size_t>(m.half_cycle_count, half_cycles_max);
  if (count > 0) {
    Detector detector(config, connection, zone, state, sink);
    const std::uint8_t slots = vq_phase_mask(connection);
    std::array<float, phase_count_max> low{};
    std::array<float, phase_count_max> high{};
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if ((slots & (1U << p)) == 0) continue;
      extremes(m.half_cycle_voltage_v[p].data(), count, low[p], high[p]);
    }
    const auto n = static_cast<std::uint32_t>(count);
    if (detector.quiet(low, high, n, window)) {
      detector.push_all(m, count);
    } else {
      const std::int64_t period_us = period_of(m, aggregation.nominal_frequency_hz);
      Sample s;
      s.period_us = period_us;
      // Value k covers the cycle ending (count - 1 - k) half cycles before the interval's end.
      for (std::size_t k = 0; k < count; ++k) {
        const auto halves_before_end = static_cast<std::int64_t>(count - k);
        s.time_us = end - halves_before_end * period_us / 2;
        for (std::size_t p = 0; p < phase_count_max; ++p)
          s.value[p] = m.half_cycle_voltage_v[p][k];
        detector.note_dropouts();
        flagged = detector.sample(s, window) || flagged;
        for (std::size_t p = 0; p < phase_count_max; ++p) {
          if (state.dropout[p].active) interrupted_phases |= static_cast<std::uint8_t>(1U << p);
        }
      }
    }
    detector.push_interval(low, high, n);
  }
  state.last_interval_flagged = flagged;
  vq_detail::aggregate(config, connection, zone, state, m, start, end, flagged, interrupted_phases,
                       sink);
}

void vq_power_outage(const VoltageQualityConfig& config, Connection connection,
                     const TimeZone& zone, VoltageQualityState& state, UtcMicros down, UtcMicros up,
                     VqSink& sink) {
  if (up <= down) return;
  const Levels levels = levels_of(config, connection);
  const std::uint8_t slots = vq_phase_mask(connection);
  // A dip or swell in progress ends where the supply went.
  for (VqOpenEvent* open : {&state.dip, &state.swell}) {
    if (!open->active) continue;
    VqEvent event;
    event.type = open == &state.dip ? VqEventType::dip : VqEventType::swell;
    event.phases = open->phases;
    event.start_utc_us = std::min(open->cross_utc_us, down);
    event.end_utc_us = down;
    event.extreme_v = open == &state.dip ? 0.0F : open->extreme_v;
    vq_detail::report(state, event, sink, &zone, vq_reference_voltage(config, connection));
  }
  // An interruption: every phase out from `down` (or from where the detector saw it begin).
  VqEvent event;
  event.type = VqEventType::interruption;
  event.phases = slots;
  event.start_utc_us =
      state.interruption.active ? std::min(state.interruption.cross_utc_us, down) : down;
  event.end_utc_us = up;
  event.level = event.duration_us() >= levels.long_us ? 2 : 1;
  event.extreme_v = 0.0;
  VqCounters& counters = state.counters;
  for (std::size_t p = 0; p < phase_count_max; ++p) {
    if ((slots & (1U << p)) == 0) continue;
    const UtcMicros phase_start =
        state.dropout[p].active ? std::min(state.dropout[p].cross_utc_us, down) : down;
    counters.last_failure_utc_us[p] = phase_start;
    const std::int64_t duration_us = up - phase_start;
    if (duration_us >= levels.long_us) {
      ++counters.long_interruptions[p];
    } else {
      ++counters.short_interruptions[p];
    }
    counters.interruption_duration_ms[p] += (duration_us + 500) / 1000;
  }
  if (!counters.episode_active) {
    ++counters.power_failures;
    counters.episode_start_utc_us = down;
  }
  counters.episode_active = false;
  if (up - counters.episode_start_utc_us >= levels.long_us) ++counters.long_power_failures;
  vq_detail::report(state, event, sink, &zone, vq_reference_voltage(config, connection));
  state.dip = VqOpenEvent{};
  state.swell = VqOpenEvent{};
  state.interruption = VqOpenEvent{};
  state.dropout = {};
  state.rvc = VqRvcState{};
  state.history.filled = 0;
  state.history.rvc_valid = 0;
  state.history.interval_count = {};
  vq_detail::flag_running(state.aggregation);
}

}  // namespace gridmeter
