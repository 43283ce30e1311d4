// S0 pulse output (DIN 43864, IEC 62053-31): a pulse for every 1/constant kWh (kvarh, kVAh) a
// total energy register counts, at least width_ms long and with at least gap_ms between
// pulses.
//
//   PulseOutputConfig s0;                 // A+ (1-0:1.8.0), 1000 imp/kWh, 30 ms on, 30 ms off
//   PulseOutputState state = start_pulse_train(s0);
//   add_pulse_energy(s0, state, delta_pj, part_start, part_duration_us, emit);
//   release_pulses(s0, state, part_end, emit);    // queued pulses whose turn has come
//
// The train is exact: pulse k falls due at the first picojoule at which the register has
// grown by k/constant kWh since the train started (an integer count kept exactly, whatever the
// constant divides: D = 3.6e18 pJ per kWh is split into constant steps of floor or ceil
// D/constant picojoules, never drifting), at the instant inside the measurement interval where
// the register reaches it (the interval's power is constant). A pulse due while the line is
// still busy with the previous one (width plus gap) queues and goes out as soon as the line is
// free: none is lost, so at any time pulses emitted + queued = floor(increase x constant / 1
// kWh), and once the queue has drained the pulses emitted are the increase to within one pulse.
// Edges are instants on the time base (the physical time of the meter's metrology).
#pragma once

#include <array>     // std::array
#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint32_t, std::uint64_t
#include <optional>  // std::optional

#include "core/obis.hpp"
#include "core/result.hpp"
#include "core/time.hpp"
#include "meter/energy_registers.hpp"

namespace gridmeter {

inline constexpr std::uint64_t picojoules_per_kilowatt_hour = 1000 * picojoules_per_watt_hour;
inline constexpr std::uint32_t pulse_constant_max = 100'000;  // imp/kWh
// IEC 62053-31 and DIN 43864: a pulse (and the pause after it) lasts at least 30 ms.
inline constexpr std::uint32_t pulse_time_min_ms = 30;
inline constexpr std::uint32_t pulse_time_max_ms = 2'000;

struct PulseOutputConfig {
  bool enabled = true;
  EnergyKind energy = EnergyKind::active_import;  // a total register: A+, A-, R+, R-, S+, S-
  std::uint32_t constant = 1000;                  // imp/kWh
  std::uint32_t width_ms = 30;
  std::uint32_t gap_ms = 30;
  friend bool operator==(const PulseOutputConfig&, const PulseOutputConfig&) = default;
};

// Errors name the setting as the config file spells it ("pulse_output.constant: ...").
Status validate_pulse_output(const PulseOutputConfig& config);

// The total register 1-0:C.8.0.255 of `energy`; the register of an OBIS code (any form
// parse_obis reads) among those a pulse output may follow, or nothing.
Obis pulse_register_obis(EnergyKind energy);
std::optional<EnergyKind> pulse_register_of(std::string_view obis_text);

struct PulseOutputState {
  std::uint64_t emitted = 0;         // pulses put out since the train started
  std::uint64_t queued = 0;          // due, waiting for the line
  std::uint64_t to_next_pj = 0;      // energy still to count before the next pulse is due
  std::uint64_t step = 0;            // (k x 3.6e18) mod constant for the next pulse, number k
  UtcMicros next_free_us = no_time;  // earliest rising edge of the next pulse
  friend bool operator==(const PulseOutputState&, const PulseOutputState&) = default;
};

// A train that starts now: nothing counted, nothing queued.
PulseOutputState start_pulse_train(const PulseOutputConfig& config);

// Puts out a pulse at `rise`: counts it, marks the line busy, tells `emit(sequence, rise)`.
template <typename Emit>
void emit_pulse(const PulseOutputConfig& config, PulseOutputState& state, UtcMicros rise,
                Emit&& emit) {
  emit(state.emitted, rise);
  ++state.emitted;
  state.next_free_us =
      rise + std::int64_t{config.width_ms + config.gap_ms} * micros_per_millisecond;
}

// Queued pulses whose turn comes at or before `until`.
template <typename Emit>
void release_pulses(const PulseOutputConfig& config, PulseOutputState& state, UtcMicros until,
                    Emit&& emit) {
  while (state.queued > 0 && state.next_free_us <= until) {
    --state.queued;
    emit_pulse(config, state, state.next_free_us, emit);
  }
}

// The picojoules from pulse k's threshold to pulse k + 1's, after `state.step` is advanced.
std::uint64_t next_pulse_step(const PulseOutputConfig& config, std::uint64_t& step);

// The register grew by `delta_pj` over [start, start + duration_us) at constant power.
template <typename Emit>
void add_pulse_energy(const PulseOutputConfig& config, PulseOutputState& state,
                      std::uint64_t delta_pj, UtcMicros start, std::int64_t duration_us,
                      Emit&& emit) {
  if (delta_pj == 0 || duration_us <= 0) return;
  // The energy is power (whole µW) times duration (whole µs), so the power divides exactly.
  const std::uint64_t power_uw = delta_pj / static_cast<std::uint64_t>(duration_us);
  std::uint64_t counted = 0;
  while (delta_pj - counted >= state.to_next_pj) {
    counted += state.to_next_pj;
    // The first microsecond at which the register has reached the threshold.
    const UtcMicros due = start + static_cast<std::int64_t>((counted + power_uw - 1) / power_uw);
    release_pulses(config, state, due, emit);
    if (state.queued == 0 && state.next_free_us <= due) {
      emit_pulse(config, state, due, emit);
    } else {
      ++state.queued;
    }
    state.to_next_pj = next_pulse_step(config, state.step);
  }
  state.to_next_pj -= delta_pj - counted;
}

// The rising edges of the most recent pulses, by sequence number (0 for the train's first),
// for the application to put out (a file, a GPIO line, a socket). Not part of the meter's
// state: what is not read before it is overwritten is gone, as a pulse on a wire is.
class PulseEdgeRing {
 public:
  static constexpr std::size_t capacity = 1024;

  void push(std::uint64_t sequence, UtcMicros rise) {
    rises_[sequence % capacity] = rise;
    end_ = sequence + 1;
  }
  // One past the newest sequence pushed; the oldest still held.
  [[nodiscard]] std::uint64_t end() const { return end_; }
  [[nodiscard]] std::uint64_t begin() const {
    return end_ - start_ > capacity ? end_ - capacity : start_;
  }
  // The rising edge of pulse `sequence`, which must lie in [begin(), end()).
  [[nodiscard]] UtcMicros rise(std::uint64_t sequence) const { return rises_[sequence % capacity]; }
  // Empty, the next pulse pushed being `next` (a restored meter continues its count).
  void reset(std::uint64_t next) { start_ = end_ = next; }

 private:
  std::array<UtcMicros, capacity> rises_{};
  std::uint64_t start_ = 0;
  std::uint64_t end_ = 0;
};

}  // namespace gridmeter
