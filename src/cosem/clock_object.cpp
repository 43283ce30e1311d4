#include "cosem/clock_object.hpp"

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t, std::uint8_t

#include "core/date_time.hpp"
#include "cosem/attribute_values.hpp"

namespace gridmeter::cosem {
namespace {

constexpr std::uint8_t clock_base_internal_crystal = 1;
constexpr int minutes_per_day = 24 * 60;

// A date-time in `zone` at full precision, or why it is no instant: octet-strings of 12 only
// (type_unmatched otherwise), fields that name one instant (other_reason otherwise).
struct InstantOrError {
  std::optional<UtcMicros> instant;
  dlms::DataAccessResult error = dlms::DataAccessResult::success;
};
InstantOrError instant_of(const dlms::Data& value, const TimeZone& zone) {
  const auto octets = value.as_octets();
  if (!octets || octets->size() != CosemDateTime::encoded_size) {
    return {std::nullopt, dlms::DataAccessResult::type_unmatched};
  }
  const Result<CosemDateTime> date_time = CosemDateTime::decode(*octets);
  if (!date_time) return {std::nullopt, dlms::DataAccessResult::other_reason};
  const Result<UtcMicros> instant = from_cosem(*date_time, zone);
  if (!instant) return {std::nullopt, dlms::DataAccessResult::other_reason};
  return {*instant, dlms::DataAccessResult::success};
}

// The yearly rule as the Blue Book writes daylight_savings_begin/end: year not specified, the
// month, day of month 0xFE with a weekday for "the last <weekday>", or the first day of the n-th
// week (1, 8, 15, 22) with a weekday for "the first <weekday> on or after it"; the switch time in
// the local time in force before the switch, with that time's deviation.
CosemDateTime dst_rule(const DstTransition& rule, int local_offset_before_min) {
  CosemDateTime value;
  value.month = static_cast<std::uint8_t>(rule.month);
  value.day =
      rule.week < 0 ? CosemDateTime::day_last : static_cast<std::uint8_t>(1 + 7 * (rule.week - 1));
  value.weekday = static_cast<std::uint8_t>(rule.weekday);
  const int local_minute = rule.minute_of_day + (rule.utc ? local_offset_before_min : 0);
  // A UTC rule whose local time falls on another day cannot be written with a wildcard day:
  // the time is then left unspecified rather than wrong.
  if (local_minute >= 0 && local_minute < minutes_per_day) {
    value.hour = static_cast<std::uint8_t>(local_minute / 60);
    value.minute = static_cast<std::uint8_t>(local_minute % 60);
    value.second = 0;
    value.hundredths = 0;
  }
  value.deviation = static_cast<std::int16_t>(-local_offset_before_min);
  return value;
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

dlms::ActionOutcome outcome(dlms::ActionResult result) {
  return dlms::ActionOutcome{result, std::nullopt};
}

}  // namespace

ClockObject::ClockObject(MeterAccess& access, Obis logical_name)
    : CosemObject(class_id_value, 0, logical_name), access_(access) {}

AttributeAccess ClockObject::attribute_access(int attribute) const {
  if (attribute == 2 || attribute == 3 || attribute == 8) return AttributeAccess::read_write;
  return CosemObject::attribute_access(attribute);
}

dlms::GetDataResult ClockObject::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  const Meter& meter = access_.meter();
  const TimeZone& zone = meter.config().zone;
  switch (attribute) {
    case 2:
      return date_time_octets(to_cosem(meter.clock_now(), zone));
    case 3:
      return dlms::Data::integer16(static_cast<std::int16_t>(-zone.standard_offset_min));
    case 4:
      return dlms::Data::unsigned8(to_cosem(meter.clock_now(), zone).clock_status);
    case 5:
      return date_time_octets(dst_rule(zone.dst_begin, zone.standard_offset_min));
    case 6:
      return date_time_octets(
          dst_rule(zone.dst_end, zone.standard_offset_min + zone.dst_offset_min));
    case 7:
      return dlms::Data::integer8(static_cast<std::int8_t>(zone.dst_offset_min));
    case 8:
      return dlms::Data::boolean(zone.dst_enabled);
    default:  // 9: the base class refused the rest
      return dlms::Data::enumeration(clock_base_internal_crystal);
  }
}

dlms::DataAccessResult ClockObject::set_attribute(int attribute, const dlms::Data& value) {
  switch (attribute) {
    case 2:
      return set_time(value);
    case 3:
      return set_time_zone(value);
    default: {  // 8: the only other writable attribute
      const std::optional<bool> enabled =
          value.type() == dlms::DataType::boolean ? value.as_bool() : std::nullopt;
      if (!enabled) return dlms::DataAccessResult::type_unmatched;
      access_.meter().set_dst_enabled(*enabled);
      return dlms::DataAccessResult::success;
    }
  }
}

dlms::DataAccessResult ClockObject::set_time(const dlms::Data& value) {
  Meter& meter = access_.meter();
  const InstantOrError parsed = instant_of(value, meter.config().zone);
  if (!parsed.instant) return parsed.error;
  meter.set_clock(*parsed.instant);
  return dlms::DataAccessResult::success;
}

dlms::DataAccessResult ClockObject::set_time_zone(const dlms::Data& value) {
  if (value.type() != dlms::DataType::integer16) return dlms::DataAccessResult::type_unmatched;
  const std::int64_t deviation = value.as_int64().value_or(0);
  if (deviation < -CosemDateTime::max_deviation_min ||
      deviation > CosemDateTime::max_deviation_min) {
    return dlms::DataAccessResult::other_reason;
  }
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  config.zone.standard_offset_min = static_cast<int>(-deviation);
  if (!config.validate()) return dlms::DataAccessResult::other_reason;
  meter.configure(config);  // logs "parameters changed"
  return dlms::DataAccessResult::success;
}

dlms::ActionOutcome ClockObject::invoke(int method, const std::optional<dlms::Data>& parameters) {
  switch (method) {
    case 1:
      return outcome(adjust_to_nearest(15 * micros_per_minute));
    case 2:
      return outcome(
          adjust_to_nearest(access_.meter().config().load_profile.period_min * micros_per_minute));
    case 3:
      return outcome(adjust_to_nearest(micros_per_minute));
    case 4:
      return outcome(adjust_to_preset_time());
    case 5:
      return outcome(preset_adjusting_time(parameters));
    default:  // 6: the base class refused the rest
      return outcome(shift_time(parameters));
  }
}

dlms::ActionResult ClockObject::adjust_to_nearest(std::int64_t period_us) {
  Meter& meter = access_.meter();
  const UtcMicros now = meter.clock_now();
  // Boundaries of local time (quarters are *:00, *:15, ... on the wall clock, also in zones
  // whose offset is not a whole hour).
  const std::int64_t offset_us = meter.config().zone.offset_min(now) * micros_per_minute;
  const std::int64_t local = now + offset_us;
  const std::int64_t nearest = floor_div(local + period_us / 2, period_us) * period_us;
  meter.set_clock(nearest - offset_us);
  return dlms::ActionResult::success;
}

dlms::ActionResult ClockObject::adjust_to_preset_time() {
  // Without a preset, or outside its validity interval, the Blue Book leaves the time as it is;
  // the client learns that nothing happened.
  if (!preset_) return dlms::ActionResult::other_reason;
  Meter& meter = access_.meter();
  const UtcMicros now = meter.clock_now();
  if (now < preset_->valid_from || now > preset_->valid_to) return dlms::ActionResult::other_reason;
  meter.set_clock(preset_->time);
  preset_.reset();
  return dlms::ActionResult::success;
}

dlms::ActionResult ClockObject::preset_adjusting_time(const std::optional<dlms::Data>& parameters) {
  if (!parameters || parameters->type() != dlms::DataType::structure ||
      parameters->elements().size() != 3) {
    return dlms::ActionResult::type_unmatched;
  }
  const TimeZone& zone = access_.meter().config().zone;
  std::array<UtcMicros, 3> instants{};
  for (std::size_t i = 0; i < instants.size(); ++i) {
    const InstantOrError parsed = instant_of(parameters->elements()[i], zone);
    if (!parsed.instant) {
      return parsed.error == dlms::DataAccessResult::type_unmatched
                 ? dlms::ActionResult::type_unmatched
                 : dlms::ActionResult::other_reason;
    }
    instants[i] = *parsed.instant;
  }
  if (instants[1] > instants[2]) return dlms::ActionResult::other_reason;
  preset_ = Preset{instants[0], instants[1], instants[2]};
  return dlms::ActionResult::success;
}

dlms::ActionResult ClockObject::shift_time(const std::optional<dlms::Data>& parameters) {
  if (!parameters || parameters->type() != dlms::DataType::integer16) {
    return dlms::ActionResult::type_unmatched;
  }
  const std::int64_t seconds = parameters->as_int64().value_or(0);
  if (seconds < -shift_limit_s || seconds > shift_limit_s) return dlms::ActionResult::other_reason;
  access_.meter().shift_clock(seconds * micros_per_second);
  return dlms::ActionResult::success;
}

}  // namespace gridmeter::cosem
