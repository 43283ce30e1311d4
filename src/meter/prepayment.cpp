#include "meter/prepayment.hpp"

#include <fmt/format.h>

#include <cassert>  // assert
#include <limits>   // std::numeric_limits

#include "core/civil_time.hpp"

namespace gridmeter {
namespace {

// Whole Wh of consumption and the picojoules past them.
constexpr std::uint64_t pj_per_wh = picojoules_per_watt_hour;

}  // namespace

std::vector<CaptureColumn> token_log_columns() {
  return {
      CaptureColumn{.obis = last_token_obis,
                    .class_id = 1,
                    .attribute = 2,
                    .scaler = 0,
                    .unit = Unit::count,
                    .kind = ColumnKind::integer,
                    .name = "token"},
      CaptureColumn{.obis = last_top_up_obis,
                    .class_id = 3,
                    .attribute = 2,
                    .scaler = 0,
                    .unit = Unit::watt_hour,
                    .kind = ColumnKind::integer,
                    .name = "amount"},
      CaptureColumn{.obis = credit_obis,
                    .class_id = 3,
                    .attribute = 2,
                    .scaler = 0,
                    .unit = Unit::watt_hour,
                    .kind = ColumnKind::integer,
                    .name = "credit"},
  };
}

Status validate_prepayment(const PrepaymentConfig& config) {
  if (config.low_credit_wh < 0 || config.low_credit_wh > credit_wh_max) {
    return make_error(fmt::format("prepayment.low_credit: {} Wh is outside 0..{} Wh",
                                  config.low_credit_wh, credit_wh_max));
  }
  if (config.emergency_credit_wh < 0 || config.emergency_credit_wh > top_up_wh_max) {
    return make_error(fmt::format("prepayment.emergency_credit: {} Wh is outside 0..{} Wh",
                                  config.emergency_credit_wh, top_up_wh_max));
  }
  for (const int hour : {config.friendly_from_hour, config.friendly_to_hour}) {
    if (hour < 0 || hour > 23) {
      return make_error(fmt::format("prepayment.friendly_hours: hour {} is outside 0..23", hour));
    }
  }
  return {};
}

bool friendly_period(const PrepaymentConfig& config, const SpecialDaysTable& special_days,
                     UtcMicros meter_time, const TimeZone& zone) {
  const CivilTime local = zone.to_local(meter_time);
  const int from = config.friendly_from_hour;
  const int to = config.friendly_to_hour;
  if (from != to) {
    // [from, to) of the day, or past midnight when from > to (20..7: the night).
    const bool in_hours =
        from < to ? local.hour >= from && local.hour < to : local.hour >= from || local.hour < to;
    if (in_hours) return true;
  }
  const int weekday = weekday_from_days(days_from_civil(local.year, local.month, local.day));
  if (config.friendly_weekdays[static_cast<std::size_t>(weekday - 1)]) return true;
  return config.friendly_special_days &&
         special_days.find(local.year, local.month, local.day) != nullptr;
}

void consume(PrepaymentState& state, std::uint64_t picojoules) {
  // remainder < 3.6e15 and one interval's picojoules < 2^64 - 3.6e15 (EnergySet::add computes
  // them in 64 bits): no overflow.
  state.consumed_remainder_pj += picojoules;
  state.consumed_wh += static_cast<std::int64_t>(state.consumed_remainder_pj / pj_per_wh);
  state.consumed_remainder_pj %= pj_per_wh;
}

std::int64_t credit_wh(const PrepaymentState& state) {
  const std::int64_t whole = state.credit_added_wh - state.consumed_wh;
  return state.consumed_remainder_pj > 0 ? whole - 1 : whole;
}

bool credit_used_up(const PrepaymentState& state) {
  // The credit is (added - consumed_wh) Wh less remainder < 1 Wh: positive exactly when the
  // whole Wh are.
  return state.credit_added_wh - state.consumed_wh <= 0;
}

std::optional<std::uint64_t> credit_left_pj(const PrepaymentState& state) {
  const std::int64_t whole = state.credit_added_wh - state.consumed_wh;
  assert(state.consumed_remainder_pj < pj_per_wh);
  // (whole - 1) Wh and the rest of the Wh the remainder has begun; beyond 64 bits, nullopt.
  constexpr std::uint64_t whole_wh_max = std::numeric_limits<std::uint64_t>::max() / pj_per_wh;
  if (whole <= 0 || static_cast<std::uint64_t>(whole - 1) > whole_wh_max) return std::nullopt;
  const std::uint64_t base = static_cast<std::uint64_t>(whole - 1) * pj_per_wh;
  const std::uint64_t rest = pj_per_wh - state.consumed_remainder_pj;
  if (base > std::numeric_limits<std::uint64_t>::max() - rest) return std::nullopt;
  return base + rest;
}

}  // namespace gridmeter
