// Prepayment in kWh: the datasheet's "smart metering-based prepayment": the customer buys
// energy, the meter counts it down from A+ and opens the breaker when it is used up.
//
//   PrepaymentConfig prepayment;
//   prepayment.enabled = true;
//   prepayment.low_credit_wh = 5'000;         // warn at 5 kWh left
//   prepayment.emergency_credit_wh = 2'000;   // the customer may take 2 kWh once
//   PrepaymentState state;
//   credit_wh(state);                         // whole Wh left (negative: owed)
//
// The credit register is exact: it counts top-ups and the emergency credit in whole Wh and
// consumption in the A+ register's own picojoules, so the supply opens at the very
// picojoule (the meter cuts the measurement interval where the credit runs out; meter.cpp).
//
// - Top-ups carry a token identifier that is applied once only (token_memory.hpp).
// - Low credit: "credit low" is logged when the credit falls to low_credit_wh.
// - Emergency credit: emergency_credit_wh, taken at the customer's request when the credit is
//   low or used up, once until the next top-up, which repays it.
// - Exhausted: "credit exhausted" is logged and the supply opens (a local disconnection,
//   transition g), unless a friendly period is in force: then it opens when the period ends.
// - Friendly periods: hours of the day (from_hour..to_hour, local wall time, wrapping past
//   midnight), days of the week, and the special days of the calendar (holidays).
// - After a top-up restores credit the meter lifts its hold on reconnection: the customer
//   reconnects with the button (transition e), or the meter itself in control modes 5 and 6
//   (transition h).
#pragma once

#include <array>     // std::array
#include <cstdint>   // std::int64_t, std::uint64_t
#include <optional>  // std::optional
#include <vector>    // std::vector

#include "core/result.hpp"
#include "core/time.hpp"
#include "core/time_zone.hpp"
#include "meter/activity_calendar.hpp"
#include "meter/energy_accumulator.hpp"
#include "meter/profile.hpp"
#include "meter/token_memory.hpp"

namespace gridmeter {

inline constexpr std::int64_t credit_wh_max = 100'000'000;  // 100 MWh: a bound, not a limit
inline constexpr std::int64_t top_up_wh_max = 10'000'000;   // one token: at most 10 MWh
inline constexpr std::size_t token_log_depth = 100;

// The credit's objects. IDIS has none (prepayment meters use the payment classes 111..115),
// so they take manufacturer-specific codes (value group C 128, IEC 62056-6-1 clause 5.4).
inline constexpr Obis credit_obis{0, 0, 128, 0, 0, 255};       // Register: credit, Wh
inline constexpr Obis last_token_obis{0, 0, 128, 0, 4, 255};   // Data: last token applied
inline constexpr Obis last_top_up_obis{0, 0, 128, 0, 6, 255};  // Register: its amount, Wh
inline constexpr Obis token_log_obis{0, 0, 99, 98, 128, 255};  // Profile generic: top-ups

// The token log's columns: the token, its amount, the credit after it.
std::vector<CaptureColumn> token_log_columns();

struct PrepaymentConfig {
  bool enabled = false;
  std::int64_t low_credit_wh = 5'000;
  std::int64_t emergency_credit_wh = 0;  // 0: no emergency credit
  // Friendly hours [from_hour, to_hour) of local wall time; equal hours: none.
  int friendly_from_hour = 0;
  int friendly_to_hour = 0;
  std::array<bool, 7> friendly_weekdays{};  // Monday .. Sunday
  bool friendly_special_days = false;       // the special days table's days
  friend bool operator==(const PrepaymentConfig&, const PrepaymentConfig&) = default;
};

// Errors name the setting as the config file spells it ("prepayment.low_credit: ...").
Status validate_prepayment(const PrepaymentConfig& config);

// Whether no disconnection may happen at `meter_time`.
bool friendly_period(const PrepaymentConfig& config, const SpecialDaysTable& special_days,
                     UtcMicros meter_time, const TimeZone& zone);

struct PrepaymentState {
  std::int64_t credit_added_wh = 0;         // top-ups and emergency credit, less repayments
  std::int64_t consumed_wh = 0;             // A+ counted against the credit, whole Wh ...
  std::uint64_t consumed_remainder_pj = 0;  // ... and the picojoules past them
  bool low_warned = false;                  // "credit low" logged since the last top-up
  bool exhausted = false;                   // "credit exhausted" logged since the last top-up
  bool emergency_taken = false;             // until the next top-up repays it
  std::uint64_t top_up_count = 0;
  std::uint64_t last_token = 0;  // 0: none yet
  std::int64_t last_top_up_wh = 0;
  TokenMemory tokens;
  friend bool operator==(const PrepaymentState&, const PrepaymentState&) = default;
};

// Counts `picojoules` of A+ against the credit.
void consume(PrepaymentState& state, std::uint64_t picojoules);

// The credit in whole Wh, rounded down (so 0.4 Wh left reads 0 and 0.4 Wh owed reads -1).
std::int64_t credit_wh(const PrepaymentState& state);
// Whether the credit is used up (exactly zero or less).
bool credit_used_up(const PrepaymentState& state);
// The picojoules of A+ the credit still pays for, when it is positive and fits 64 bits;
// nullopt otherwise (used up, or more than one interval can consume: an interval's energy is
// a 64-bit count of picojoules, at most 5124 Wh).
std::optional<std::uint64_t> credit_left_pj(const PrepaymentState& state);

}  // namespace gridmeter
