// Voltage quality: the meter's class-A style power-quality registration (IEC 61000-4-30
// Ed. 3, EN 50160), fed by the measurements the meter integrates. docs/voltage-quality.md
// describes what is detected and how.
//
//   VoltageQualityState vq;                       // part of MeterState, persisted by the store
//   struct Log : VqSink { void on_vq_event(const VqEvent& e) override { ... } } log;
//   vq_advance(config.voltage_quality, connection, zone, vq, measurement, clock_offset_us, log);
//   vq.counters.dips[0];                          // 1-0:32.32.0.255
//   vq.aggregation.last_10min.voltage_v[0];       // the last 10-minute value of L1
//
// The pieces, each a small function over its part of the state:
//   - the half-cycle event detector (dips, swells, interruptions; IEC 61000-4-30 clauses
//     5.4 and 5.5) and the per-phase dropout tracking (power failures of one phase),
//   - the RVC detector (clause 5.11),
//   - the aggregator (clause 5.5: 150/180 cycles, 10 minutes re-synchronised to the clock tick,
//     2 hours; the 10-second frequency of clause 5.1) with flagging (clause 4.7), and the
//     over- and undervoltage of the 10-minute values,
//   - the EN 50160 weekly compliance statistics.
// Everything is plain fixed-size data: no allocation, no clock but the measurements' times, so
// the same measurements give the same state bit for bit (and the store saves it as words).
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint8_t, std::uint32_t, std::uint64_t

#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "meter/measurement.hpp"
#include "meter/vq_config.hpp"
#include "meter/vq_event.hpp"

namespace gridmeter {

// Urms(1/2) values kept per phase: at least the RVC window (120 at 60 Hz).
inline constexpr std::size_t vq_history_size = 128;
// Measurement intervals whose extremes the quiet-interval check keeps (6 cover 120 values).
inline constexpr std::size_t vq_interval_stats_size = 8;
inline constexpr std::size_t vq_dip_rows = 5;
inline constexpr std::size_t vq_dip_columns = 6;
inline constexpr std::size_t vq_dip_table_size = vq_dip_rows * vq_dip_columns;
inline constexpr std::size_t vq_swell_rows = 2;
inline constexpr std::size_t vq_swell_columns = 4;
inline constexpr std::size_t vq_swell_table_size = vq_swell_rows * vq_swell_columns;

// EN 50160 clause 4.2.6 table 1: the limit of the 10-minute mean of harmonic `order` (2..25), in
// percent of the fundamental, that 95 % of a week's values must keep.
constexpr double en50160_harmonic_limit_percent(std::size_t order) {
  switch (order) {
    case 2:
      return 2.0;
    case 3:
    case 7:
      return 5.0;
    case 4:
      return 1.0;
    case 5:
      return 6.0;
    case 9:
      return 1.5;
    case 11:
      return 3.5;
    case 13:
      return 3.0;
    case 15:
    case 21:
      return 0.5;
    case 17:
      return 2.0;
    case 19:
    case 23:
    case 25:
      return 1.5;
    default:
      return 0.5;  // even orders 6..24
  }
}

// The cell of the EN 50160 dip or swell table of an event (`percent` of Udin), row-major.
std::size_t vq_dip_cell(double residual_percent, std::int64_t duration_us);
std::size_t vq_swell_cell(double peak_percent, std::int64_t duration_us);

// An open event of the half-cycle detector: a polyphase dip, swell or interruption, or one
// phase's dropout.
struct VqOpenEvent {
  bool active = false;
  std::uint8_t phases = 0;       // phases that crossed the threshold
  std::uint8_t cross_phase = 0;  // the phase whose value started the event
  std::uint8_t samples = 0;      // Urms(1/2) values since the crossing (saturates at 255)
  bool all_phases = false;       // dropout: all phases were out meanwhile (an interruption)
  UtcMicros cross_utc_us = 0;    // meter clock: middle of the crossing value's cycle
  std::int64_t period_us = 0;    // one cycle, at the crossing
  // Mean squares (V²) of the initiating phase: a cycle before the crossing, at it, a cycle
  // after it; and of every phase a cycle before (to time the end).
  float pre_ms = 0.0F;
  float cross_ms = 0.0F;
  float settle_ms = 0.0F;
  std::array<float, phase_count_max> before_ms{};
  float extreme_v = 0.0F;  // lowest (dip, interruption, dropout) or highest (swell) value
  friend bool operator==(const VqOpenEvent&, const VqOpenEvent&) = default;
};

struct VqRvcState {
  bool active = false;
  std::uint8_t phases = 0;
  std::uint8_t cross_phase = 0;
  UtcMicros cross_utc_us = 0;  // middle of the first deviating value's cycle
  std::int64_t period_us = 0;
  float pre_ms = 0.0F;  // the initiating phase's mean square a cycle before, and at the start
  float cross_ms = 0.0F;
  std::uint32_t since_start = 0;  // values since the start
  std::array<float, phase_count_max> mean_before_v{};
  float delta_max_v = 0.0F;
  friend bool operator==(const VqRvcState&, const VqRvcState&) = default;
};

// The recent Urms(1/2) values and, per measurement interval, their extremes.
struct VqHistory {
  std::array<std::array<float, vq_history_size>, phase_count_max> values{};
  std::uint32_t head = 0;    // next slot to write
  std::uint32_t filled = 0;  // values held (up to vq_history_size)
  // Values since the last dip, swell or interruption ended (or the meter started): the RVC
  // detector needs a whole window of them (saturates).
  std::uint32_t rvc_valid = 0;
  std::array<std::array<float, phase_count_max>, vq_interval_stats_size> interval_min{};
  std::array<std::array<float, phase_count_max>, vq_interval_stats_size> interval_max{};
  std::array<std::uint8_t, vq_interval_stats_size> interval_count{};
  std::uint32_t interval_head = 0;
  friend bool operator==(const VqHistory&, const VqHistory&) = default;
};

// Per phase, a value per harmonic order 2..25 (indexed by order; [0] and [1] unused).
template <typename T>
using VqHarmonics = std::array<std::array<T, voltage_harmonic_order_max + 1>, phase_count_max>;

// An aggregation running (IEC 61000-4-30 clause 5.5: RMS of the magnitudes).
struct VqAccumulator {
  std::array<double, phase_count_max> voltage_sq{};
  std::array<double, phase_count_max> thd_sq{};
  // Single harmonics (10-minute and 2-hour values only): squares of percent, and how many
  // values had a spectrum.
  VqHarmonics<double> harmonic_sq{};
  std::uint32_t harmonic_count = 0;
  double unbalance_sq = 0.0;
  std::uint32_t count = 0;
  bool flagged = false;
  std::uint8_t interrupted_phases = 0;  // phases that dropped out (no over/undervoltage then)
  UtcMicros start_utc_us = 0;
  friend bool operator==(const VqAccumulator&, const VqAccumulator&) = default;
};

// A completed aggregate.
struct VqAggregate {
  bool valid = false;
  bool flagged = false;  // clause 4.7: it contains a value measured during an event
  std::uint8_t interrupted_phases = 0;
  UtcMicros start_utc_us = 0;
  UtcMicros end_utc_us = 0;
  std::uint32_t count = 0;  // 10/12-cycle values (or 10-minute values for 2 hours) in it
  std::array<double, phase_count_max> voltage_v{};
  std::array<double, phase_count_max> thd_percent{};
  double unbalance_percent = 0.0;
  bool harmonics = false;  // harmonic_percent holds values (10 minutes and 2 hours)
  VqHarmonics<double> harmonic_percent{};
  friend bool operator==(const VqAggregate&, const VqAggregate&) = default;
};

struct VqFrequencyValue {
  bool valid = false;
  bool flagged = false;
  UtcMicros start_utc_us = 0;
  UtcMicros end_utc_us = 0;
  double frequency_hz = 0.0;
  friend bool operator==(const VqFrequencyValue&, const VqFrequencyValue&) = default;
};

// Over- or undervoltage of one phase's 10-minute values.
struct VqLevelState {
  std::uint8_t level = 0;  // 0: inside; 1 or 2: the highest level reached
  UtcMicros start_utc_us = 0;
  float extreme_v = 0.0F;
  friend bool operator==(const VqLevelState&, const VqLevelState&) = default;
};

struct VqAggregation {
  double nominal_frequency_hz = 0.0;  // 50 or 60, from the first measurement
  VqAccumulator cycles;               // 150/180 cycles: 15 measurement intervals
  VqAccumulator minutes;              // 10 minutes
  UtcMicros minutes_end_utc_us = 0;   // the 10-minute tick that closes it (meter clock)
  VqAccumulator hours;                // 2 hours, of the 10-minute values
  UtcMicros hours_end_utc_us = 0;
  double frequency_cycles = 0.0;
  double frequency_duration_s = 0.0;
  bool frequency_flagged = false;
  UtcMicros frequency_start_utc_us = 0;
  UtcMicros frequency_end_utc_us = 0;  // the 10-second tick
  VqAggregate last_cycles;
  VqAggregate last_minutes;
  VqAggregate last_hours;
  VqFrequencyValue last_frequency;
  std::array<VqLevelState, phase_count_max> over{};
  std::array<VqLevelState, phase_count_max> under{};
  friend bool operator==(const VqAggregation&, const VqAggregation&) = default;
};

// The EN 50160 statistics of one week (Monday 00:00 local time to the next).
struct VqWeek {
  UtcMicros start_utc_us = 0;  // 0: none yet
  // 10-minute mean voltages, per phase: not flagged, within ±10 %, within +10 %/-15 %.
  std::array<std::uint32_t, phase_count_max> voltage_values{};
  std::array<std::uint32_t, phase_count_max> voltage_within_10{};
  std::array<std::uint32_t, phase_count_max> voltage_within_10_15{};
  std::uint32_t voltage_flagged = 0;
  // 10-second frequencies: not flagged, within ±1 %, within +4 %/-6 %.
  std::uint32_t frequency_values = 0;
  std::uint32_t frequency_within_1 = 0;
  std::uint32_t frequency_within_4_6 = 0;
  std::uint32_t frequency_flagged = 0;
  std::array<std::uint32_t, phase_count_max> thd_values{};
  std::array<std::uint32_t, phase_count_max> thd_within{};  // THD <= 8 %
  std::uint32_t unbalance_values = 0;
  std::uint32_t unbalance_within = 0;  // u2 <= 2 %
  // 10-minute values with single harmonics, per phase, and of them those whose harmonic of each
  // order kept its EN 50160 table 1 limit.
  std::array<std::uint32_t, phase_count_max> harmonic_values{};
  VqHarmonics<std::uint32_t> harmonic_within{};
  // Events that started in the week, by VqEventType; interruptions also split short / long.
  std::array<std::uint32_t, 7> events{};
  std::uint32_t long_interruptions = 0;
  // EN 50160 clause 4.3 classification (its tables 5 and 6): dips by residual voltage (rows
  // 90..80, 80..70, 70..40, 40..5, below 5 %) and duration (columns 10..200 ms, ..500 ms,
  // ..1 s, ..5 s, ..60 s, longer), swells by peak (rows 110..120 %, 120 % and more) and
  // duration (10..500 ms, ..5 s, ..60 s, longer), row-major.
  std::array<std::uint32_t, vq_dip_table_size> dip_table{};
  std::array<std::uint32_t, vq_swell_table_size> swell_table{};
  friend bool operator==(const VqWeek&, const VqWeek&) = default;
};

struct VqCounters {
  // Per phase slot (L1, L2, L3; U12, -, U32 for 3-wire).
  std::array<std::uint64_t, phase_count_max> dips{};
  std::array<std::uint64_t, phase_count_max> swells{};
  std::array<std::uint64_t, phase_count_max> rvcs{};
  std::array<std::uint64_t, phase_count_max> short_interruptions{};  // dropouts < long
  std::array<std::uint64_t, phase_count_max> long_interruptions{};
  std::array<std::int64_t, phase_count_max> dip_duration_ms{};
  std::array<std::int64_t, phase_count_max> swell_duration_ms{};
  std::array<std::int64_t, phase_count_max> interruption_duration_ms{};
  std::array<UtcMicros, phase_count_max> last_failure_utc_us{};  // 0: never
  // Polyphase events.
  std::uint64_t dips_total = 0;
  std::uint64_t swells_total = 0;
  std::uint64_t rvcs_total = 0;
  std::uint64_t short_interruptions_total = 0;
  std::uint64_t long_interruptions_total = 0;
  std::uint64_t overvoltages = 0;
  std::uint64_t undervoltages = 0;
  std::uint64_t phase_failures = 0;  // dropouts of some but not all phases
  // 0-0:96.7.21.255 and 0-0:96.7.9.255: episodes with at least one phase out (also the meter's
  // own power failures), and those lasting long_interruption_s or more.
  std::uint64_t power_failures = 0;
  std::uint64_t long_power_failures = 0;
  bool episode_active = false;
  UtcMicros episode_start_utc_us = 0;
  friend bool operator==(const VqCounters&, const VqCounters&) = default;
};

struct VoltageQualityState {
  VqHistory history;
  VqOpenEvent dip;
  VqOpenEvent swell;
  VqOpenEvent interruption;
  std::array<VqOpenEvent, phase_count_max> dropout{};
  VqRvcState rvc;
  VqAggregation aggregation;
  VqWeek running_week;
  VqWeek last_week;
  VqCounters counters;
  bool last_interval_flagged = false;  // the newest measurement interval (clause 4.7)
  friend bool operator==(const VoltageQualityState&, const VoltageQualityState&) = default;
};

// Where the events go (the meter's voltage quality log).
class VqSink {
 public:
  virtual void on_vq_event(const VqEvent& event) = 0;

 protected:
  VqSink() = default;
  VqSink(const VqSink&) = default;
  VqSink& operator=(const VqSink&) = default;
  ~VqSink() = default;
};

// One measurement interval. `clock_offset_us` turns its time base into the meter clock.
void vq_advance(const VoltageQualityConfig& config, Connection connection, const TimeZone& zone,
                VoltageQualityState& state, const Measurement& m, std::int64_t clock_offset_us,
                VqSink& sink);

// The meter had no supply from `down` to `up` (meter clock): an interruption of every phase.
// Events in progress end at `down`; the detectors start afresh at `up`.
void vq_power_outage(const VoltageQualityConfig& config, Connection connection,
                     const TimeZone& zone, VoltageQualityState& state, UtcMicros down, UtcMicros up,
                     VqSink& sink);

// The phase slots a connection measures (bit p for slot p): L1; L1..L3; U12 and U32.
constexpr std::uint8_t vq_phase_mask(Connection connection) {
  switch (connection) {
    case Connection::single_phase_2w:
      return 0b001;
    case Connection::three_phase_4w:
      return 0b111;
    case Connection::three_phase_3w:
      return 0b101;
  }
  return 0b001;
}

// "L1", "L2", "L3"; "L12", "L32" for the 3-wire connection's slots 0 and 2.
std::string_view vq_phase_name(Connection connection, std::size_t slot);

// Udin as the connection sees it: phase to neutral, or line to line (√3·Udin) for 3-wire.
double vq_reference_voltage(const VoltageQualityConfig& config, Connection connection);

}  // namespace gridmeter
