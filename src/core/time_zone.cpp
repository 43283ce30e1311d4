#include "core/time_zone.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::clamp, std::min
#include <cstddef>    // std::size_t
#include <cstdint>    // std::int64_t
#include <string>     // std::string

namespace gridmeter {
namespace {

constexpr int max_offset_min = 15 * 60;
constexpr int max_minute_of_day = 25 * 60 - 1;  // POSIX times allow hours 0..24
// dst_active looks at neighbouring years; this keeps the transition arithmetic inside int64.
constexpr int max_rule_year = 200'000;

// Day of the month on which `rule` falls in `year`.
int transition_day(int year, const DstTransition& rule) {
  if (rule.week < 0) {
    const int last = days_in_month(year, rule.month);
    const int last_weekday = weekday_from_days(days_from_civil(year, rule.month, last));
    return last - (last_weekday - rule.weekday + 7) % 7;
  }
  const int first_weekday = weekday_from_days(days_from_civil(year, rule.month, 1));
  return 1 + (rule.weekday - first_weekday + 7) % 7 + (rule.week - 1) * 7;
}

// `offset_before_min` is the local offset in force just before the switch.
UtcMicros transition_utc(int year, const DstTransition& rule, int offset_before_min) {
  const std::int64_t days = days_from_civil(year, rule.month, transition_day(year, rule));
  const int utc_minute = rule.minute_of_day - (rule.utc ? 0 : offset_before_min);
  return days * micros_per_day + utc_minute * micros_per_minute;
}

Status check_range(const char* field, int value, int low, int high) {
  if (value >= low && value <= high) return {};
  return make_error(
      fmt::format("time zone: {} {} is out of range {}..{}", field, value, low, high));
}

Status validate_transition(const char* which, const DstTransition& rule) {
  const std::string prefix = std::string(which) + " ";
  if (Status s = check_range((prefix + "month").c_str(), rule.month, 1, 12); !s) return s;
  if (rule.week != -1) {
    if (Status s = check_range((prefix + "week").c_str(), rule.week, 1, 4); !s) {
      return make_error(s.error().message + " (or -1 = last)");
    }
  }
  if (Status s = check_range((prefix + "weekday").c_str(), rule.weekday, 1, 7); !s) return s;
  return check_range((prefix + "minute_of_day").c_str(), rule.minute_of_day, 0, max_minute_of_day);
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Recursive-descent reader for the POSIX TZ subset (IEEE Std 1003.1-2017 clause 8.3).
class PosixTzParser {
 public:
  explicit PosixTzParser(std::string_view text) : text_(text) {}

  Result<TimeZone> parse() {
    TimeZone zone = TimeZone::utc();
    if (Status s = parse_name("standard time name"); !s) return s.error();
    auto standard = parse_hms("standard offset", true);
    if (!standard) return standard.error();
    zone.standard_offset_min = -*standard;  // POSIX offsets count west of Greenwich
    if (at_end()) return validated(zone);
    if (Status s = parse_name("daylight time name"); !s) return s.error();
    int dst_total_min = zone.standard_offset_min + 60;  // POSIX default: one hour ahead
    if (!at_end() && peek() != ',') {
      auto dst = parse_hms("daylight offset", true);
      if (!dst) return dst.error();
      dst_total_min = -*dst;
    }
    if (Status s = parse_rules(zone); !s) return s.error();
    zone.dst_enabled = true;
    zone.dst_offset_min = dst_total_min - zone.standard_offset_min;
    return validated(zone);
  }

 private:
  [[nodiscard]] bool at_end() const { return pos_ >= text_.size(); }
  [[nodiscard]] char peek() const { return at_end() ? '\0' : text_[pos_]; }
  bool consume(char c) {
    if (at_end() || text_[pos_] != c) return false;
    ++pos_;
    return true;
  }

  [[nodiscard]] Error error(std::string_view what) const {
    const std::string_view shown = text_.substr(0, 64);
    return make_error(fmt::format("time zone '{}{}': {} at position {}", shown,
                                  shown.size() < text_.size() ? "..." : "", what, pos_));
  }

  Result<TimeZone> validated(const TimeZone& zone) const {
    if (Status s = zone.validate(); !s) return error(s.error().message);
    return zone;
  }

  // A name: 3+ letters, or <...> with 3+ letters, digits, '+' or '-'.
  Status parse_name(const char* what) {
    const bool quoted = consume('<');
    const std::size_t start = pos_;
    while (!at_end() && (is_letter(peek()) ||
                         (quoted && (is_digit(peek()) || peek() == '+' || peek() == '-')))) {
      ++pos_;
    }
    if (pos_ - start < 3) return error(fmt::format("{} needs at least 3 letters", what));
    if (quoted && !consume('>')) return error(fmt::format("{} lacks its closing '>'", what));
    return {};
  }

  // An unsigned decimal of 1..max_digits digits within low..high.
  Result<int> parse_number(const char* what, std::size_t max_digits, int low, int high) {
    const std::size_t start = pos_;
    int value = 0;
    while (!at_end() && is_digit(peek()) && pos_ - start < max_digits) {
      value = value * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    if (pos_ == start) return error(fmt::format("expected digits for {}", what));
    if (value < low || value > high) {
      pos_ = start;  // point the message at the number
      return error(fmt::format("{} {} is out of range {}..{}", what, value, low, high));
    }
    return value;
  }

  // [+-]hh[:mm[:ss]] in minutes; hours 0..24 (clause 8.3), seconds must be zero.
  Result<int> parse_hms(const char* what, bool signed_allowed) {
    int sign = 1;
    if (signed_allowed && consume('-')) {
      sign = -1;
    } else if (signed_allowed) {
      consume('+');
    }
    auto hours = parse_number(what, 2, 0, 24);
    if (!hours) return hours.error();
    int minutes = 0;
    if (consume(':')) {
      auto mm = parse_number(what, 2, 0, 59);
      if (!mm) return mm.error();
      minutes = *mm;
      if (consume(':')) {
        auto ss = parse_number(what, 2, 0, 59);
        if (!ss) return ss.error();
        if (*ss != 0) return error(fmt::format("{}: seconds are not supported", what));
      }
    }
    return sign * (*hours * 60 + minutes);
  }

  // Mm.w.d[/time]: month 1..12, week 1..5 (5 = last), day 0..6 (0 = Sunday).
  Result<DstTransition> parse_rule(const char* which) {
    if (!consume('M')) {
      return error(
          fmt::format("{} rule must be Mm.w.d (Julian-day forms are not supported)", which));
    }
    auto month = parse_number("rule month", 2, 1, 12);
    if (!month) return month.error();
    if (!consume('.')) return error("expected '.' after the rule month");
    auto week = parse_number("rule week", 1, 1, 5);
    if (!week) return week.error();
    if (!consume('.')) return error("expected '.' after the rule week");
    auto day = parse_number("rule weekday", 1, 0, 6);
    if (!day) return day.error();
    int minute_of_day = 120;  // clause 8.3: the default time is 02:00:00
    bool utc = false;         // our extension: "/1Z" is 01:00 UTC
    if (consume('/')) {
      auto time = parse_hms("rule time", false);
      if (!time) return time.error();
      minute_of_day = *time;
      utc = consume('Z');
    }
    return DstTransition{*month, *week == 5 ? -1 : *week, *day == 0 ? 7 : *day, minute_of_day, utc};
  }

  Status parse_rules(TimeZone& zone) {
    if (!consume(',')) return error("expected ',' and the daylight time start rule");
    auto begin = parse_rule("daylight time start");
    if (!begin) return begin.error();
    if (!consume(',')) return error("expected ',' and the daylight time end rule");
    auto end = parse_rule("daylight time end");
    if (!end) return end.error();
    if (!at_end()) return error("unexpected text after the daylight time end rule");
    zone.dst_begin = *begin;
    zone.dst_end = *end;
    return {};
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

// "h" or "h:mm" (minutes >= 0), with a leading '-' for negative values.
std::string format_hours(int minutes) {
  const char* sign = minutes < 0 ? "-" : "";
  const int magnitude = minutes < 0 ? -minutes : minutes;
  if (magnitude % 60 == 0) return fmt::format("{}{}", sign, magnitude / 60);
  return fmt::format("{}{}:{:02}", sign, magnitude / 60, magnitude % 60);
}

// A name made of a UTC offset, as tzdata writes zones without an abbreviation: "<+01>",
// "<-0330>".
std::string offset_name(int offset_min) {
  const char sign = offset_min < 0 ? '-' : '+';
  const int magnitude = offset_min < 0 ? -offset_min : offset_min;
  if (magnitude % 60 == 0) return fmt::format("<{}{:02}>", sign, magnitude / 60);
  return fmt::format("<{}{:02}{:02}>", sign, magnitude / 60, magnitude % 60);
}

std::string format_rule(const DstTransition& rule) {
  return fmt::format("M{}.{}.{}/{}{}", rule.month, rule.week < 0 ? 5 : rule.week, rule.weekday % 7,
                     format_hours(rule.minute_of_day), rule.utc ? "Z" : "");
}

// What parse_time_zone gives a zone without a DST part ("JST-9"): no daylight offset and the
// default rules.
bool has_dst_rule(const TimeZone& zone) {
  const TimeZone plain = TimeZone::utc();
  return zone.dst_enabled || zone.dst_offset_min != plain.dst_offset_min ||
         zone.dst_begin != plain.dst_begin || zone.dst_end != plain.dst_end;
}

}  // namespace

TimeZone TimeZone::central_europe() { return TimeZone{}; }

TimeZone TimeZone::utc() {
  TimeZone zone;
  zone.standard_offset_min = 0;
  zone.dst_offset_min = 0;
  zone.dst_enabled = false;
  return zone;
}

UtcMicros TimeZone::dst_begin_utc(int year) const {
  return transition_utc(year, dst_begin, standard_offset_min);
}

UtcMicros TimeZone::dst_end_utc(int year) const {
  return transition_utc(year, dst_end, standard_offset_min + dst_offset_min);
}

bool TimeZone::dst_active(UtcMicros time) const {
  if (!dst_enabled) return false;
  const int year = std::clamp(civil_from_utc(time).year, -max_rule_year, max_rule_year);
  // The latest switch at or before `time` decides; a begin and an end at the same instant
  // leave DST off.
  bool found = false;
  bool active = false;
  UtcMicros latest = 0;
  for (int y = year - 1; y <= year + 1; ++y) {
    const UtcMicros begin = dst_begin_utc(y);
    const UtcMicros end = dst_end_utc(y);
    for (const auto& [instant, is_begin] : {std::pair{begin, true}, std::pair{end, false}}) {
      if (instant <= time && (!found || instant >= latest)) {
        found = true;
        latest = instant;
        active = is_begin;
      }
    }
  }
  return active;
}

int TimeZone::offset_min(UtcMicros time) const {
  return standard_offset_min + (dst_active(time) ? dst_offset_min : 0);
}

CivilTime TimeZone::to_local(UtcMicros time) const {
  return civil_from_utc(time + offset_min(time) * micros_per_minute);
}

Result<UtcMicros> TimeZone::from_local(const CivilTime& local, std::optional<bool> dst_hint) const {
  if (Status s = validate_civil_time(local); !s)
    return make_error("local time: " + s.error().message);
  const UtcMicros as_standard = utc_from_civil(local) - standard_offset_min * micros_per_minute;
  if (!dst_enabled) return as_standard;
  const UtcMicros as_dst = as_standard - dst_offset_min * micros_per_minute;
  const bool standard_fits = !dst_active(as_standard);
  const bool dst_fits = dst_active(as_dst);
  if (standard_fits && dst_fits) {
    if (dst_hint) return *dst_hint ? as_dst : as_standard;
    return std::min(as_standard, as_dst);
  }
  if (standard_fits) return as_standard;
  if (dst_fits) return as_dst;
  return make_error(fmt::format(
      "local time {:04}-{:02}-{:02} {:02}:{:02}:{:02} does not exist (skipped when daylight "
      "saving time begins)",
      local.year, local.month, local.day, local.hour, local.minute, local.second));
}

Status TimeZone::validate() const {
  if (Status s =
          check_range("standard_offset_min", standard_offset_min, -max_offset_min, max_offset_min);
      !s) {
    return s;
  }
  if (Status s = check_range("dst_offset_min", dst_offset_min, -max_offset_min, max_offset_min);
      !s) {
    return s;
  }
  if (Status s = check_range("daylight offset (standard + dst_offset_min)",
                             standard_offset_min + dst_offset_min, -max_offset_min, max_offset_min);
      !s) {
    return s;
  }
  if (Status s = validate_transition("dst_begin", dst_begin); !s) return s;
  return validate_transition("dst_end", dst_end);
}

std::string format_time_zone(const TimeZone& zone) {
  TimeZone as_written = zone;
  as_written.dst_enabled = has_dst_rule(zone);
  if (as_written == TimeZone::central_europe()) return "CET";
  if (as_written == TimeZone::utc()) return "UTC";
  // POSIX offsets count west of Greenwich.
  std::string text =
      offset_name(zone.standard_offset_min) + format_hours(-zone.standard_offset_min);
  if (!as_written.dst_enabled) return text;
  const int dst_total_min = zone.standard_offset_min + zone.dst_offset_min;
  text += offset_name(dst_total_min);
  if (zone.dst_offset_min != 60) text += format_hours(-dst_total_min);
  return text + "," + format_rule(zone.dst_begin) + "," + format_rule(zone.dst_end);
}

Result<TimeZone> parse_time_zone(std::string_view text) {
  if (text == "CET" || text == "Europe/Central") return TimeZone::central_europe();
  if (text == "UTC") return TimeZone::utc();
  if (text.empty()) return make_error("time zone is empty");
  return PosixTzParser(text).parse();
}

}  // namespace gridmeter
