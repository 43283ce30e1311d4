// Activity calendar (interface class 20, version 0; IEC 62056-6-2 clause 4.5.5),
// 0-0:13.0.0.255: the time-of-use calendar, a view of MeterConfig::calendar
// (meter/activity_calendar.hpp), its active and passive sets and the passive set's activation.
//
//   ActivityCalendarObject calendar(access);
//   calendar.get(2, std::nullopt);         // octet-string "day-night-weekend"
//   calendar.set(9, day_profiles);          // the passive day_profile_table
//   calendar.set(10, date_time_octets(to_cosem(t, zone)));   // activate the passive set at t
//   calendar.action(1, Data::integer8(0));  // activate_passive_calendar now (event 9)
//
// | attr | name | type | access |
// |---|---|---|---|
// | 2, 6 | calendar_name_active, _passive | octet-string | read, read-write |
// | 3, 7 | season_profile_active, _passive | array of season | read, read-write |
// | 4, 8 | week_profile_table_active, _passive | array of week_profile | read, read-write |
// | 5, 9 | day_profile_table_active, _passive | array of day_profile | read, read-write |
// | 10 | activate_passive_calendar_time | octet-string (12) | read-write |
//
//   season       ::= structure { season_profile_name octet-string, season_start octet-string
//                    (12), week_name octet-string }
//   week_profile ::= structure { week_profile_name octet-string, monday .. sunday unsigned
//                    (day_id) }
//   day_profile  ::= structure { day_id unsigned, day_schedule array of day_profile_action }
//   day_profile_action ::= structure { start_time octet-string (4), script_logical_name
//                    octet-string (0-0:10.0.100.255, the tariffication Script table),
//                    script_selector long-unsigned (the tariff 1..8) }
//
// season_start is local midnight of the season's first day: the year (0xFFFF for a season
// that starts every year), month, day, weekday not specified, 00:00:00.00, deviation and clock
// status not specified. A written season_start must name a day of the year (month and day
// given, a weekday only on a one-off date and then the right one); its time must be 00:00:00
// or not specified, field by field, since the meter starts seasons at midnight; its deviation
// and clock status are not used (the season starts at local midnight whatever the offset).
// Names are at most 32 octets of UTF-8 (calendar_values.hpp).
//
// Writes to the passive attributes (6..9) are checked in two steps:
// 1. The attribute on its own, exactly as the programming file's calendar is checked
//    (CalendarProfiles::validate): types (type_unmatched), then bounds, names, dates, seasons
//    starting on the same day, day ids and week names defined twice, switch times in the day
//    and strictly ascending, tariffs 1..8, the script name (other_reason). A refused write
//    changes nothing.
// 2. The whole passive calendar with the other attributes, and the whole programming
//    (MeterConfig::validate: every week and day profile referred to is defined, the special
//    days' day ids exist). When it passes, the passive calendar is programmed at once
//    (Meter::configure: events "parameters changed" and "passive TOU programmed").
//    When it does not, the written attribute is held by this object as a draft and read
//    back from it: a client writing attributes 6, 7, 8, 9 one at a time passes through
//    calendars whose seasons name week profiles not written yet (and a name alone is no
//    calendar the meter keeps). The draft is programmed as soon as a write makes it whole.
//    Writing an activation time (10) or invoking activate_passive_calendar while a draft is
//    held is refused with other_reason: the passive calendar written is not one the meter can
//    run. Like the Clock's preset, the draft lives in this object only (it is forgotten on
//    restart), and it is dropped when the meter's passive calendar changes by other means
//    (new programming).
//
// activate_passive_calendar_time: the instant in the meter's time zone, or every field not
// specified (FFFF FF FF FF FF FF FF FF 8000 FF) when no activation is scheduled; writing that
// cancels the activation. A written time must name one instant (partial wildcards are refused
// with other_reason) in the years 0..9999 UTC. A time already past activates the passive
// calendar at the meter's next scheduled boundary (within one load profile period). Method 1
// activate_passive_calendar (integer 0, not checked): Meter::activate_passive_calendar, event
// 9 "TOU activated" and the tariff of the new calendar at once; other_reason when the passive
// calendar is empty.
//
// Day profiles have no names in class 20, but the meter's programming refers to them by name
// (docs/config.md) and shares a name between the calendars for the same day id: a written day
// profile takes the name its day id has in either calendar, or "day-<id>" for a new id.
#pragma once

#include <optional>  // std::optional

#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"
#include "meter/activity_calendar.hpp"

namespace gridmeter::cosem {

inline constexpr Obis activity_calendar_obis{0, 0, 13, 0, 0, 255};

class ActivityCalendarObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 20;

  explicit ActivityCalendarObject(MeterAccess& access, Obis logical_name = activity_calendar_obis);

  [[nodiscard]] int attribute_count() const override { return 10; }
  [[nodiscard]] int method_count() const override { return 1; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

  // Whether passive attributes written are held as a draft (not yet programmed).
  [[nodiscard]] bool has_draft() const;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  struct Draft {
    CalendarProfiles base;      // the meter's passive calendar when the draft began
    CalendarProfiles profiles;  // the passive calendar as written
  };

  // The passive calendar as attributes 6..9 show it: the draft, or the meter's.
  [[nodiscard]] const CalendarProfiles& passive_view() const;
  dlms::DataAccessResult set_passive(int attribute, const dlms::Data& value);
  dlms::DataAccessResult set_activation_time(const dlms::Data& value);

  MeterAccess& access_;
  std::optional<Draft> draft_;
};

}  // namespace gridmeter::cosem
