// The meter's time zone: a fixed standard offset plus an optional yearly daylight-saving rule,
// in the shape of the COSEM clock (IEC 62056-6-2 clause 4.5.1: time_zone, daylight_savings_*)
// and of POSIX TZ rules (IEEE Std 1003.1-2017 clause 8.3, TZ).
//
//   TimeZone zone = TimeZone::central_europe();          // CET/CEST, EU rules
//   zone.offset_min(t);                                  // +60 in winter, +120 in summer
//   CivilTime local = zone.to_local(t);
//   Result<UtcMicros> back = zone.from_local(local);     // error in the spring-forward gap
//   Result<TimeZone> us = parse_time_zone("EST5EDT,M3.2.0,M11.1.0");
//   format_time_zone(*us) == "<-05>5<-04>,M3.2.0/2,M11.1.0/2";
#pragma once

#include <compare>      // operator<=>
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include "core/civil_time.hpp"
#include "core/result.hpp"
#include "core/time.hpp"

namespace gridmeter {

// "The `week`-th `weekday` of `month` at `minute_of_day`": week 1..4 = first..fourth,
// -1 = last; weekday 1 = Monday .. 7 = Sunday. When `utc` is false the time of day is local
// wall time in force before the switch (standard time for dst_begin, daylight time for
// dst_end), as in POSIX TZ; 0..1499 minutes (POSIX allows hours 0..24).
struct DstTransition {
  int month = 3;
  int week = -1;
  int weekday = 7;
  int minute_of_day = 60;
  bool utc = true;
  friend constexpr bool operator==(const DstTransition&, const DstTransition&) = default;
};

struct TimeZone {
  int standard_offset_min = 60;  // local standard time minus UTC
  int dst_offset_min = 60;       // added to the standard offset while DST is in force
  bool dst_enabled = true;
  DstTransition dst_begin{3, -1, 7, 60, true};
  DstTransition dst_end{10, -1, 7, 60, true};

  // CET/CEST: UTC+1, UTC+2 from the last Sunday of March to the last Sunday of October,
  // switching at 01:00 UTC (Directive 2000/84/EC articles 2 and 3).
  static TimeZone central_europe();
  static TimeZone utc();

  // Whether daylight saving time is in force at `time`: the most recent transition at or
  // before `time` was a dst_begin. Works for southern-hemisphere rules (begin after end).
  [[nodiscard]] bool dst_active(UtcMicros time) const;
  // Local time minus UTC at `time`, in minutes.
  [[nodiscard]] int offset_min(UtcMicros time) const;
  // The instants of the switches in `year` (computed even when dst_enabled is false).
  [[nodiscard]] UtcMicros dst_begin_utc(int year) const;
  [[nodiscard]] UtcMicros dst_end_utc(int year) const;

  [[nodiscard]] CivilTime to_local(UtcMicros time) const;
  // Local wall time -> UTC. A time skipped by the spring-forward switch is an error; a time
  // that occurs twice (fall-back overlap) resolves with `dst_hint` (true = the daylight-time
  // occurrence), without a hint to the earlier occurrence (the DST one when DST adds time).
  // The hint is ignored when the local time is unambiguous.
  [[nodiscard]] Result<UtcMicros> from_local(const CivilTime& local,
                                             std::optional<bool> dst_hint = std::nullopt) const;

  // Offsets (standard, DST saving, standard + DST) within +-15 h, transition fields in range.
  // The other members expect a zone that passes this check (parse_time_zone ensures it).
  [[nodiscard]] Status validate() const;

  friend constexpr bool operator==(const TimeZone&, const TimeZone&) = default;
};

// "CET" or "Europe/Central" (central_europe), "UTC" (utc), or the POSIX TZ subset
// "STDoffset[DST[offset],Mm.w.d[/time],Mm.w.d[/time]]" (IEEE Std 1003.1-2017 clause 8.3):
// names are 3+ letters or <quoted> (letters, digits, '+', '-'); offsets are [+-]hh[:mm] west
// of Greenwich (so "CET-1" is UTC+1); DST defaults to one hour ahead of standard time; in
// Mm.w.d, w 5 = last week and d 0 = Sunday; time is hh[:mm[:ss]] local wall time, default
// 02:00 (seconds must be zero). Example: "CET-1CEST,M3.5.0/2,M10.5.0/3".
// Extension of POSIX: a rule time ending in 'Z' is UTC (DstTransition::utc), for rules that
// are defined in UTC like the EU's: "CET-1CEST,M3.5.0/1Z,M10.5.0/1Z" equals "CET".
Result<TimeZone> parse_time_zone(std::string_view text);

// The text parse_time_zone reads back: "CET" and "UTC" for those zones, otherwise POSIX TZ
// with names made of the offsets as tzdata does ("<+0530>-5:30"), a daylight offset only when
// it is not one hour, and every rule time written ("M3.2.0/2", "M10.5.0/1Z" for UTC rules).
// parse_time_zone(format_time_zone(zone)) == zone for every zone that passes validate(), with
// one exception: dst_enabled is not text of its own, so a zone whose DST rule is switched off
// (dst_enabled false, but a daylight offset or rules other than the defaults a zone without
// DST part gets) comes back with dst_enabled true. Keep dst_enabled beside the text (as the
// config file's `dst` key does).
std::string format_time_zone(const TimeZone& zone);

}  // namespace gridmeter
