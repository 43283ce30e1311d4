#include "store/vq_codec.hpp"

#include <bit>          // std::bit_cast
#include <cmath>        // std::isfinite
#include <limits>       // std::numeric_limits
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace gridmeter::store {
namespace {

constexpr std::int64_t time_bound_us = std::int64_t{1} << 60;

// The layout of the words. Layout 1 (gridmeter before single harmonics) began straight with the
// history's values, doubles whose bits can never equal this marker (it reads as about 1e107, far
// out of any field's range); layout 2 begins with it and adds the harmonics.
constexpr std::uint64_t layout_2_marker = 0x5651'4c41'594f'0002;  // "VQLAYO" 2
enum class Layout : std::uint8_t { without_harmonics = 1, with_harmonics = 2 };

class Writer {
 public:
  void flag(const bool& value, std::string_view /*what*/) { words_.push_back(value ? 1 : 0); }
  template <typename Int>
  void count(const Int& value, std::uint64_t /*max*/, std::string_view /*what*/) {
    words_.push_back(static_cast<std::uint64_t>(value));
  }
  void time(const std::int64_t& value, std::string_view /*what*/) {
    words_.push_back(std::bit_cast<std::uint64_t>(value));
  }
  void real(const double& value, std::string_view /*what*/) {
    words_.push_back(std::bit_cast<std::uint64_t>(value));
  }
  void real(const float& value, std::string_view /*what*/) {
    words_.push_back(std::bit_cast<std::uint64_t>(static_cast<double>(value)));
  }
  std::vector<std::uint64_t> take() { return std::move(words_); }

 private:
  std::vector<std::uint64_t> words_;
};

// Reads the words in order; the first value out of its range is remembered as the error.
class Reader {
 public:
  explicit Reader(std::span<const std::uint64_t> words) : words_(words) {}
  void flag(bool& value, std::string_view what) {
    const std::uint64_t word = next();
    if (word > 1) fail(what);
    value = word == 1;
  }
  template <typename Int>
  void count(Int& value, std::uint64_t max, std::string_view what) {
    const std::uint64_t word = next();
    if (word > max || word > std::numeric_limits<Int>::max()) fail(what);
    value = static_cast<Int>(word);
  }
  void time(std::int64_t& value, std::string_view what) {
    value = std::bit_cast<std::int64_t>(next());
    if (value <= -time_bound_us || value >= time_bound_us) fail(what);
  }
  void real(double& value, std::string_view what) {
    value = std::bit_cast<double>(next());
    if (!std::isfinite(value) || value < -1e12 || value > 1e12) fail(what);
  }
  void real(float& value, std::string_view what) {
    double wide = 0.0;
    real(wide, what);
    // Only what a float can hold exactly came from one.
    if (static_cast<double>(static_cast<float>(wide)) != wide) fail(what);
    value = static_cast<float>(wide);
  }
  [[nodiscard]] bool at_end() const { return at_ == words_.size(); }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::uint64_t next() {
    if (at_ >= words_.size()) {
      fail("length");
      return 0;
    }
    return words_[at_++];
  }
  void fail(std::string_view what) {
    if (error_.empty()) error_ = what;
  }

  std::span<const std::uint64_t> words_;
  std::size_t at_ = 0;
  std::string error_;
};

constexpr std::uint64_t phases_max = 7;
constexpr std::uint64_t count_max = std::uint64_t{1} << 62;
constexpr std::uint64_t small_max = std::numeric_limits<std::uint32_t>::max();

// One field list for both directions: the layout cannot drift between encoder and decoder.
template <typename V, typename Event>
void visit_event(V& v, Event& e) {
  v.flag(e.active, "open event");
  v.count(e.phases, phases_max, "open event phases");
  v.count(e.cross_phase, phase_count_max - 1, "open event phase");
  v.count(e.samples, 255, "open event samples");
  v.flag(e.all_phases, "open event");
  v.time(e.cross_utc_us, "open event time");
  v.time(e.period_us, "open event period");
  v.real(e.pre_ms, "open event level");
  v.real(e.cross_ms, "open event level");
  v.real(e.settle_ms, "open event level");
  for (auto& level : e.before_ms)
    v.real(level, "open event level");
  v.real(e.extreme_v, "open event extreme");
}

template <typename V, typename Harmonics>
void visit_harmonics(V& v, Harmonics& harmonics, std::string_view what) {
  for (auto& phase : harmonics) {
    for (auto& x : phase)
      v.real(x, what);
  }
}

template <typename V, typename Accumulator>
void visit_accumulator(V& v, Accumulator& a, Layout layout) {
  for (auto& x : a.voltage_sq)
    v.real(x, "aggregation");
  for (auto& x : a.thd_sq)
    v.real(x, "aggregation");
  v.real(a.unbalance_sq, "aggregation");
  v.count(a.count, small_max, "aggregation count");
  v.flag(a.flagged, "aggregation flag");
  v.count(a.interrupted_phases, phases_max, "aggregation phases");
  v.time(a.start_utc_us, "aggregation time");
  if (layout < Layout::with_harmonics) return;
  visit_harmonics(v, a.harmonic_sq, "aggregation harmonics");
  v.count(a.harmonic_count, small_max, "aggregation count");
}

template <typename V, typename Aggregate>
void visit_aggregate(V& v, Aggregate& a, Layout layout) {
  v.flag(a.valid, "aggregate");
  v.flag(a.flagged, "aggregate flag");
  v.count(a.interrupted_phases, phases_max, "aggregate phases");
  v.time(a.start_utc_us, "aggregate time");
  v.time(a.end_utc_us, "aggregate time");
  v.count(a.count, small_max, "aggregate count");
  for (auto& x : a.voltage_v)
    v.real(x, "aggregate");
  for (auto& x : a.thd_percent)
    v.real(x, "aggregate");
  v.real(a.unbalance_percent, "aggregate");
  if (layout < Layout::with_harmonics) return;
  v.flag(a.harmonics, "aggregate harmonics");
  visit_harmonics(v, a.harmonic_percent, "aggregate harmonics");
}

template <typename V, typename Week>
void visit_week(V& v, Week& w, Layout layout) {
  v.time(w.start_utc_us, "week time");
  auto counts = [&v](auto& array) {
    for (auto& x : array)
      v.count(x, small_max, "week count");
  };
  counts(w.voltage_values);
  counts(w.voltage_within_10);
  counts(w.voltage_within_10_15);
  v.count(w.voltage_flagged, small_max, "week count");
  v.count(w.frequency_values, small_max, "week count");
  v.count(w.frequency_within_1, small_max, "week count");
  v.count(w.frequency_within_4_6, small_max, "week count");
  v.count(w.frequency_flagged, small_max, "week count");
  counts(w.thd_values);
  counts(w.thd_within);
  v.count(w.unbalance_values, small_max, "week count");
  v.count(w.unbalance_within, small_max, "week count");
  counts(w.events);
  v.count(w.long_interruptions, small_max, "week count");
  counts(w.dip_table);
  counts(w.swell_table);
  if (layout < Layout::with_harmonics) return;
  counts(w.harmonic_values);
  for (auto& phase : w.harmonic_within)
    counts(phase);
}

template <typename V, typename State>
void visit_state(V& v, State& s, Layout layout) {
  auto& h = s.history;
  for (auto& phase : h.values) {
    for (auto& x : phase)
      v.real(x, "history");
  }
  v.count(h.head, vq_history_size - 1, "history index");
  v.count(h.filled, vq_history_size, "history size");
  v.count(h.rvc_valid, std::uint64_t{1} << 30, "history count");
  for (auto& interval : h.interval_min) {
    for (auto& x : interval)
      v.real(x, "history extremes");
  }
  for (auto& interval : h.interval_max) {
    for (auto& x : interval)
      v.real(x, "history extremes");
  }
  for (auto& x : h.interval_count)
    v.count(x, half_cycles_max, "history interval count");
  v.count(h.interval_head, vq_interval_stats_size - 1, "history interval index");

  visit_event(v, s.dip);
  visit_event(v, s.swell);
  visit_event(v, s.interruption);
  for (auto& dropout : s.dropout)
    visit_event(v, dropout);

  auto& r = s.rvc;
  v.flag(r.active, "rvc");
  v.count(r.phases, phases_max, "rvc phases");
  v.count(r.cross_phase, phase_count_max - 1, "rvc phase");
  v.time(r.cross_utc_us, "rvc time");
  v.time(r.period_us, "rvc period");
  v.real(r.pre_ms, "rvc level");
  v.real(r.cross_ms, "rvc level");
  v.count(r.since_start, small_max, "rvc count");
  for (auto& x : r.mean_before_v)
    v.real(x, "rvc level");
  v.real(r.delta_max_v, "rvc level");

  auto& a = s.aggregation;
  v.real(a.nominal_frequency_hz, "nominal frequency");
  visit_accumulator(v, a.cycles, layout);
  visit_accumulator(v, a.minutes, layout);
  v.time(a.minutes_end_utc_us, "aggregation tick");
  visit_accumulator(v, a.hours, layout);
  v.time(a.hours_end_utc_us, "aggregation tick");
  v.real(a.frequency_cycles, "frequency");
  v.real(a.frequency_duration_s, "frequency");
  v.flag(a.frequency_flagged, "frequency flag");
  v.time(a.frequency_start_utc_us, "frequency tick");
  v.time(a.frequency_end_utc_us, "frequency tick");
  visit_aggregate(v, a.last_cycles, layout);
  visit_aggregate(v, a.last_minutes, layout);
  visit_aggregate(v, a.last_hours, layout);
  v.flag(a.last_frequency.valid, "frequency");
  v.flag(a.last_frequency.flagged, "frequency flag");
  v.time(a.last_frequency.start_utc_us, "frequency time");
  v.time(a.last_frequency.end_utc_us, "frequency time");
  v.real(a.last_frequency.frequency_hz, "frequency");
  for (auto* levels : {&a.over, &a.under}) {
    for (auto& level : *levels) {
      v.count(level.level, 2, "voltage level");
      v.time(level.start_utc_us, "voltage level time");
      v.real(level.extreme_v, "voltage level");
    }
  }
  visit_week(v, s.running_week, layout);
  visit_week(v, s.last_week, layout);

  auto& c = s.counters;
  for (auto* array : {&c.dips, &c.swells, &c.rvcs, &c.short_interruptions, &c.long_interruptions}) {
    for (auto& x : *array)
      v.count(x, count_max, "counter");
  }
  for (auto* array : {&c.dip_duration_ms, &c.swell_duration_ms, &c.interruption_duration_ms,
                      &c.last_failure_utc_us}) {
    for (auto& x : *array)
      v.time(x, "duration");
  }
  for (auto* counter : {&c.dips_total, &c.swells_total, &c.rvcs_total, &c.short_interruptions_total,
                        &c.long_interruptions_total, &c.overvoltages, &c.undervoltages,
                        &c.phase_failures, &c.power_failures, &c.long_power_failures}) {
    v.count(*counter, count_max, "counter");
  }
  v.flag(c.episode_active, "power failure");
  v.time(c.episode_start_utc_us, "power failure time");
  v.flag(s.last_interval_flagged, "flag");
}

}  // namespace

std::vector<std::uint64_t> encode_voltage_quality(const VoltageQualityState& state) {
  Writer out;
  std::uint64_t marker = layout_2_marker;
  out.count(marker, layout_2_marker, "layout");
  // The visitor only reads through the Writer's const-taking members.
  visit_state(out, const_cast<VoltageQualityState&>(state), Layout::with_harmonics);
  return out.take();
}

std::vector<std::uint64_t> encode_voltage_quality_without_harmonics(
    const VoltageQualityState& state) {
  Writer out;
  visit_state(out, const_cast<VoltageQualityState&>(state), Layout::without_harmonics);
  return out.take();
}

Status decode_voltage_quality(std::span<const std::uint64_t> words, VoltageQualityState& out) {
  VoltageQualityState decoded;
  // A store written before the harmonics: read as it is, harmonics start empty.
  const bool marked = !words.empty() && words[0] == layout_2_marker;
  Reader in(marked ? words.subspan(1) : words);
  visit_state(in, decoded, marked ? Layout::with_harmonics : Layout::without_harmonics);
  if (in.error().empty() && !in.at_end()) return make_error("voltage quality: too long");
  if (!in.error().empty()) return make_error("voltage quality: bad " + in.error());
  out = decoded;
  return {};
}

}  // namespace gridmeter::store
