#include "cosem/activity_calendar_object.hpp"

#include <fmt/format.h>

#include <cstddef>           // std::size_t
#include <cstdint>           // std::int64_t, std::uint8_t, std::uint16_t
#include <initializer_list>  // std::initializer_list
#include <string>            // std::string
#include <utility>           // std::move
#include <vector>            // std::vector

#include "core/civil_time.hpp"
#include "core/date_time.hpp"
#include "cosem/attribute_values.hpp"
#include "cosem/calendar_values.hpp"
#include "cosem/script_table.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using dlms::DataType;

constexpr std::uint8_t wildcard = CosemDateTime::not_specified;
constexpr int max_activation_year = 9999;  // the programming file writes four-digit years

// Attribute numbers of class 20 (clause 4.5.5); the passive ones are the active ones + 4.
constexpr int attribute_calendar_name = 2;
constexpr int attribute_season_profile = 3;
constexpr int attribute_week_profile_table = 4;
constexpr int attribute_day_profile_table = 5;
constexpr int passive_offset = 4;
constexpr int attribute_activation_time = 10;

constexpr const char* label = "passive calendar";

// ---- Encoding ----

Data season_start(const CalendarDate& start) {
  CosemDateTime value;
  const dlms::CosemDate date = cosem_date(start);
  value.year = date.year;
  value.month = date.month;
  value.day = date.day;
  value.hour = 0;
  value.minute = 0;
  value.second = 0;
  value.hundredths = 0;
  return date_time_octets(value);  // weekday, deviation and clock status not specified
}

Data seasons_data(const CalendarProfiles& profiles) {
  std::vector<Data> seasons;
  seasons.reserve(profiles.seasons.size());
  for (const SeasonProfile& season : profiles.seasons) {
    seasons.push_back(Data::structure(
        {text_octets(season.name), season_start(season.start), text_octets(season.week_name)}));
  }
  return Data::array(std::move(seasons));
}

Data weeks_data(const CalendarProfiles& profiles) {
  std::vector<Data> weeks;
  weeks.reserve(profiles.weeks.size());
  for (const WeekProfile& week : profiles.weeks) {
    std::vector<Data> fields{text_octets(week.name)};
    for (const int day_id : week.day_ids)
      fields.push_back(Data::unsigned8(static_cast<std::uint8_t>(day_id)));
    weeks.push_back(Data::structure(std::move(fields)));
  }
  return Data::array(std::move(weeks));
}

Data days_data(const CalendarProfiles& profiles) {
  const Data script = octet_string(tariffication_script_table_obis.bytes());
  std::vector<Data> days;
  days.reserve(profiles.days.size());
  for (const DayProfile& day : profiles.days) {
    std::vector<Data> actions;
    actions.reserve(day.switches.size());
    for (const TariffSwitch& action : day.switches) {
      actions.push_back(
          Data::structure({octet_string(cosem_time(action.time_of_day_s).encode()), script,
                           Data::unsigned16(static_cast<std::uint16_t>(action.tariff))}));
    }
    days.push_back(Data::structure(
        {Data::unsigned8(static_cast<std::uint8_t>(day.day_id)), Data::array(std::move(actions))}));
  }
  return Data::array(std::move(days));
}

Data profiles_attribute(const CalendarProfiles& profiles, int active_attribute) {
  switch (active_attribute) {
    case attribute_calendar_name:
      return text_octets(profiles.name);
    case attribute_season_profile:
      return seasons_data(profiles);
    case attribute_week_profile_table:
      return weeks_data(profiles);
    default:  // attribute_day_profile_table
      return days_data(profiles);
  }
}

// ---- Decoding: types first (type_unmatched), then what the meter can hold (other_reason) ----

bool is_zero_or_wildcard(std::uint8_t field) { return field == 0 || field == wildcard; }

DataAccessResult read_season_start(const Data& value, CalendarDate& out) {
  const auto octets = value.as_octets();
  if (!octets || octets->size() != CosemDateTime::encoded_size) {
    return DataAccessResult::type_unmatched;
  }
  const Result<CosemDateTime> start = CosemDateTime::decode(*octets);
  if (!start) return DataAccessResult::other_reason;
  // Seasons start at local midnight: a time of day would be a different calendar.
  if (!is_zero_or_wildcard(start->hour) || !is_zero_or_wildcard(start->minute) ||
      !is_zero_or_wildcard(start->second) || !is_zero_or_wildcard(start->hundredths)) {
    return DataAccessResult::other_reason;
  }
  return read_calendar_date(dlms::CosemDate{start->year, start->month, start->day, start->weekday},
                            out);
}

DataAccessResult read_seasons(const Data& value, std::vector<SeasonProfile>& out) {
  if (value.type() != DataType::array) return DataAccessResult::type_unmatched;
  for (const Data& element : value.elements()) {
    const Data* fields = structure_fields(element, 3);
    if (fields == nullptr) return DataAccessResult::type_unmatched;
    if (!fields[0].as_octets() || !fields[2].as_octets()) return DataAccessResult::type_unmatched;
    SeasonProfile season;
    if (DataAccessResult r = read_season_start(fields[1], season.start);
        r != DataAccessResult::success) {
      return r;
    }
    if (DataAccessResult r = read_name(fields[0], season.name); r != DataAccessResult::success) {
      return r;
    }
    if (DataAccessResult r = read_name(fields[2], season.week_name);
        r != DataAccessResult::success) {
      return r;
    }
    out.push_back(std::move(season));
  }
  return DataAccessResult::success;
}

DataAccessResult read_weeks(const Data& value, std::vector<WeekProfile>& out) {
  if (value.type() != DataType::array) return DataAccessResult::type_unmatched;
  for (const Data& element : value.elements()) {
    const Data* fields = structure_fields(element, 8);
    if (fields == nullptr) return DataAccessResult::type_unmatched;
    if (!fields[0].as_octets()) return DataAccessResult::type_unmatched;
    WeekProfile week;
    for (std::size_t d = 0; d < week.day_ids.size(); ++d) {
      std::int64_t day_id = 0;
      if (!read_integer(fields[d + 1], DataType::unsigned8, day_id)) {
        return DataAccessResult::type_unmatched;
      }
      week.day_ids[d] = static_cast<int>(day_id);
    }
    if (DataAccessResult r = read_name(fields[0], week.name); r != DataAccessResult::success) {
      return r;
    }
    out.push_back(std::move(week));
  }
  return DataAccessResult::success;
}

DataAccessResult read_action(const Data& value, TariffSwitch& out) {
  const Data* fields = structure_fields(value, 3);
  std::int64_t selector = 0;
  if (fields == nullptr || !fields[0].as_octets() || !fields[1].as_octets() ||
      !read_integer(fields[2], DataType::unsigned16, selector)) {
    return DataAccessResult::type_unmatched;
  }
  if (DataAccessResult r = read_time_of_day(fields[0], out.time_of_day_s);
      r != DataAccessResult::success) {
    return r;
  }
  // A day profile action can only select a tariff: the meter runs no other script from its
  // calendar.
  if (fields[1].as_obis() != tariffication_script_table_obis) return DataAccessResult::other_reason;
  out.tariff = static_cast<int>(selector);  // 1..8: checked with the day profile
  return DataAccessResult::success;
}

DataAccessResult read_days(const Data& value, std::vector<DayProfile>& out) {
  if (value.type() != DataType::array) return DataAccessResult::type_unmatched;
  for (const Data& element : value.elements()) {
    const Data* fields = structure_fields(element, 2);
    std::int64_t day_id = 0;
    if (fields == nullptr || !read_integer(fields[0], DataType::unsigned8, day_id) ||
        fields[1].type() != DataType::array) {
      return DataAccessResult::type_unmatched;
    }
    DayProfile day;
    day.day_id = static_cast<int>(day_id);
    for (const Data& action_value : fields[1].elements()) {
      TariffSwitch action;
      if (DataAccessResult r = read_action(action_value, action); r != DataAccessResult::success) {
        return r;
      }
      day.switches.push_back(action);
    }
    out.push_back(std::move(day));
  }
  return DataAccessResult::success;
}

// ---- Day profile names ----

// The name a day id has in `profiles`, or nullptr.
const std::string* name_of(const CalendarProfiles& profiles, int day_id) {
  const DayProfile* day = profiles.find_day(day_id);
  return day != nullptr && !day->name.empty() ? &day->name : nullptr;
}

bool name_taken(const std::string& name, int day_id,
                std::initializer_list<const std::vector<DayProfile>*> tables) {
  for (const std::vector<DayProfile>* days : tables) {
    for (const DayProfile& day : *days) {
      if (day.day_id != day_id && day.name == name) return true;
    }
  }
  return false;
}

// The programming refers to day profiles by name, one name per day id across both calendars
// (config/calendar_config.hpp): keep the name an id has, give a new id one no other id has.
void name_days(std::vector<DayProfile>& days, const CalendarProfiles& active,
               const CalendarProfiles& passive) {
  for (DayProfile& day : days) {
    if (const std::string* name = name_of(active, day.day_id)) {
      day.name = *name;
    } else if (const std::string* passive_name = name_of(passive, day.day_id)) {
      day.name = *passive_name;
    }
  }
  for (DayProfile& day : days) {
    if (!day.name.empty()) continue;
    std::string name = fmt::format("day-{}", day.day_id);
    for (int n = 2; name_taken(name, day.day_id, {&days, &active.days, &passive.days}); ++n)
      name = fmt::format("day-{}-{}", day.day_id, n);
    day.name = std::move(name);
  }
}

// ---- The attribute on its own ----

// `written` (one attribute of `candidate`) checked as the calendar checks it, with the other
// attributes replaced by the smallest ones that satisfy its references: what is left are the
// errors of the attribute itself.
Status validate_alone(int active_attribute, const CalendarProfiles& candidate) {
  CalendarProfiles alone;
  const auto stub_day = [](int day_id) { return DayProfile{day_id, "", {{0, tariff_min}}}; };
  const auto stub_week = [](const std::string& name, int day_id) {
    WeekProfile week{name, {}};
    week.day_ids.fill(day_id);
    return week;
  };
  const auto stub_season = [](const std::string& week_name) {
    return SeasonProfile{"s", CalendarDate{CalendarDate::year_not_specified, 1, 1}, week_name};
  };
  switch (active_attribute) {
    case attribute_calendar_name:
      alone.name = candidate.name;
      alone.days = {stub_day(0)};
      alone.weeks = {stub_week("w", 0)};
      alone.seasons = {stub_season("w")};
      break;
    case attribute_season_profile:
      if (candidate.seasons.empty()) return {};
      alone.seasons = candidate.seasons;
      alone.days = {stub_day(0)};
      for (const SeasonProfile& season : candidate.seasons) {
        if (alone.find_week(season.week_name) == nullptr) {
          alone.weeks.push_back(stub_week(season.week_name, 0));
        }
      }
      break;
    case attribute_week_profile_table:
      if (candidate.weeks.empty()) return {};
      alone.weeks = candidate.weeks;
      for (const WeekProfile& week : candidate.weeks) {
        for (const int day_id : week.day_ids) {
          if (alone.find_day(day_id) == nullptr) alone.days.push_back(stub_day(day_id));
        }
      }
      alone.seasons = {stub_season(candidate.weeks.front().name)};
      break;
    default:  // attribute_day_profile_table
      if (candidate.days.empty()) return {};
      alone.days = candidate.days;
      alone.weeks = {stub_week("w", candidate.days.front().day_id)};
      alone.seasons = {stub_season("w")};
      break;
  }
  return alone.validate(label);
}

}  // namespace

ActivityCalendarObject::ActivityCalendarObject(MeterAccess& access, Obis logical_name)
    : CosemObject(class_id_value, 0, logical_name), access_(access) {}

AttributeAccess ActivityCalendarObject::attribute_access(int attribute) const {
  if (attribute > attribute_day_profile_table && attribute <= attribute_activation_time) {
    return AttributeAccess::read_write;
  }
  return CosemObject::attribute_access(attribute);
}

bool ActivityCalendarObject::has_draft() const {
  return draft_ && draft_->base == access_.meter().config().calendar.passive;
}

const CalendarProfiles& ActivityCalendarObject::passive_view() const {
  if (has_draft()) return draft_->profiles;
  return access_.meter().config().calendar.passive;
}

dlms::GetDataResult ActivityCalendarObject::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  const Meter& meter = access_.meter();
  const ActivityCalendar& calendar = meter.config().calendar;
  if (attribute <= attribute_day_profile_table)
    return profiles_attribute(calendar.active, attribute);
  if (attribute < attribute_activation_time) {
    return profiles_attribute(passive_view(), attribute - passive_offset);
  }
  // 10: the base class refused the rest.
  if (!calendar.activate_passive_utc_us) return date_time_octets(unspecified_date_time());
  return date_time_octets(to_cosem(*calendar.activate_passive_utc_us, meter.config().zone));
}

dlms::DataAccessResult ActivityCalendarObject::set_attribute(int attribute, const Data& value) {
  // A draft begun over a passive calendar that has since been reprogrammed is stale.
  if (draft_ && !has_draft()) draft_.reset();
  if (attribute == attribute_activation_time) return set_activation_time(value);
  return set_passive(attribute - passive_offset, value);  // 6..9: attribute_access allows no other
}

dlms::DataAccessResult ActivityCalendarObject::set_passive(int active_attribute,
                                                           const Data& value) {
  Meter& meter = access_.meter();
  const ActivityCalendar& calendar = meter.config().calendar;
  CalendarProfiles candidate = passive_view();
  DataAccessResult parsed = DataAccessResult::success;
  switch (active_attribute) {
    case attribute_calendar_name:
      parsed = read_name(value, candidate.name);
      break;
    case attribute_season_profile:
      candidate.seasons.clear();
      parsed = read_seasons(value, candidate.seasons);
      break;
    case attribute_week_profile_table:
      candidate.weeks.clear();
      parsed = read_weeks(value, candidate.weeks);
      break;
    default:  // attribute_day_profile_table
      candidate.days.clear();
      parsed = read_days(value, candidate.days);
      if (parsed == DataAccessResult::success) {
        name_days(candidate.days, calendar.active, calendar.passive);
      }
      break;
  }
  if (parsed != DataAccessResult::success) return parsed;
  if (!validate_alone(active_attribute, candidate)) return DataAccessResult::other_reason;

  MeterConfig config = meter.config();
  config.calendar.passive = candidate;
  // A name without profiles is not a calendar (CalendarProfiles::empty): the meter would keep
  // no passive calendar and lose the name, so it waits in the draft for the profiles.
  const bool name_only = candidate.empty() && !candidate.name.empty();
  if (!name_only && config.validate()) {
    draft_.reset();
    meter.configure(config);
    return DataAccessResult::success;
  }
  // Whole attributes, but not yet a whole calendar (see the header): held until one is.
  draft_ = Draft{calendar.passive, std::move(candidate)};
  return DataAccessResult::success;
}

dlms::DataAccessResult ActivityCalendarObject::set_activation_time(const Data& value) {
  const auto octets = value.as_octets();
  if (!octets || octets->size() != CosemDateTime::encoded_size) {
    return DataAccessResult::type_unmatched;
  }
  const Result<CosemDateTime> time = CosemDateTime::decode(*octets);
  if (!time) return DataAccessResult::other_reason;
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  // Every date and time field "not specified" cancels the activation (clause 4.5.5); the
  // deviation and clock status do not matter then.
  const bool cancel = time->year == CosemDateTime::year_not_specified && time->month == wildcard &&
                      time->day == wildcard && time->weekday == wildcard &&
                      time->hour == wildcard && time->minute == wildcard &&
                      time->second == wildcard && time->hundredths == wildcard;
  if (cancel) {
    config.calendar.activate_passive_utc_us.reset();
    return reprogram(meter, config);
  }
  // The passive calendar a client is still writing cannot be scheduled.
  if (has_draft()) return DataAccessResult::other_reason;
  const Result<UtcMicros> instant = from_cosem(*time, config.zone);
  if (!instant) return DataAccessResult::other_reason;
  const int year = civil_from_utc(*instant).year;
  if (year < 0 || year > max_activation_year) return DataAccessResult::other_reason;
  config.calendar.activate_passive_utc_us = *instant;
  return reprogram(meter, config);  // an empty passive calendar cannot be scheduled
}

dlms::ActionOutcome ActivityCalendarObject::invoke(int /*method*/,
                                                   const std::optional<Data>& /*parameters*/) {
  // Method 1, activate_passive_calendar (integer 0).
  if (draft_ && !has_draft()) draft_.reset();
  const bool activated = !has_draft() && access_.meter().activate_passive_calendar();
  return dlms::ActionOutcome{activated ? ActionResult::success : ActionResult::other_reason,
                             std::nullopt};
}

}  // namespace gridmeter::cosem
