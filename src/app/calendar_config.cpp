#include "app/calendar_config.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <array>             // std::array
#include <cerrno>            // errno
#include <cstdint>           // std::int64_t
#include <cstring>           // std::strerror
#include <fstream>           // std::ifstream
#include <initializer_list>  // std::initializer_list
#include <optional>          // std::optional
#include <string>            // std::string
#include <string_view>       // std::string_view
#include <utility>           // std::move
#include <vector>            // std::vector

#include "core/civil_time.hpp"
#include "core/date_time.hpp"

namespace gridmeter::app {
namespace {

constexpr std::size_t config_size_max_bytes = 1U << 20U;

constexpr std::array<std::string_view, 7> weekday_keys{
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

std::string_view type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::none:
      return "nothing";
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a floating-point number";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
  }
  return "an unknown value";
}

std::string indexed(std::string_view path, std::size_t index) {
  return fmt::format("{}[{}]", path, index);
}

std::string member(std::string_view path, std::string_view key) {
  return fmt::format("{}.{}", path, key);
}

// Day profile names of one calendar with the ids they were given.
struct NamedDay {
  std::string name;
  int day_id = 0;
};

// Day ids come from names, shared by both calendars, so a special day means the same day
// profile whichever calendar is active.
class DayIdRegistry {
 public:
  int id_for(const std::string& name) {
    for (std::size_t i = 0; i < names_.size(); ++i) {
      if (names_[i] == name) return static_cast<int>(i) + 1;
    }
    names_.push_back(name);
    return static_cast<int>(names_.size());
  }

 private:
  std::vector<std::string> names_;
};

const NamedDay* find_named(const std::vector<NamedDay>& days, std::string_view name) {
  for (const NamedDay& day : days) {
    if (day.name == name) return &day;
  }
  return nullptr;
}

std::string name_list(const std::vector<NamedDay>& days) {
  std::string list;
  for (const NamedDay& day : days) {
    if (!list.empty()) list += ", ";
    list += day.name;
  }
  return list.empty() ? std::string("none") : list;
}

// Walks the parsed document; every error carries file, line and column (when toml++ has
// them) and the key path.
class CalendarReader {
 public:
  explicit CalendarReader(std::string_view source_name) : source_name_(source_name) {}

  Result<ActivityCalendar> read(const toml::table& root) {
    if (Status s = check_keys(root, "", {"calendar", "passive", "tariffs"}); !s) return s.error();
    const toml::node* calendar_node = root.get("calendar");
    if (calendar_node == nullptr) {
      return make_error(fmt::format("{}: calendar: the [calendar] table is missing", source_name_));
    }
    const toml::table* calendar_table = nullptr;
    if (Status s = expect_table(*calendar_node, "calendar", calendar_table); !s) return s.error();

    ActivityCalendar calendar;
    std::vector<NamedDay> active_days;
    if (Status s = read_profiles(*calendar_table, "calendar", calendar.active, active_days); !s) {
      return s.error();
    }
    std::vector<NamedDay> passive_days;
    if (const toml::node* passive_node = root.get("passive")) {
      const toml::table* passive_table = nullptr;
      if (Status s = expect_table(*passive_node, "passive", passive_table); !s) return s.error();
      if (Status s = read_profiles(*passive_table, "passive", calendar.passive, passive_days); !s) {
        return s.error();
      }
      if (Status s = read_activation(*passive_table, calendar.activate_passive_utc_us); !s) {
        return s.error();
      }
    }
    if (Status s =
            read_special_days(*calendar_table, active_days, passive_days, calendar.special_days);
        !s) {
      return s.error();
    }
    if (const toml::node* tariffs_node = root.get("tariffs")) {
      if (Status s = read_tariff_names(*tariffs_node, calendar.tariff_names); !s) {
        return s.error();
      }
    }
    if (Status s = calendar.validate(); !s) {
      return make_error(fmt::format("{}: {}", source_name_, s.error().message));
    }
    return calendar;
  }

 private:
  Error error_at(const toml::node& node, std::string_view path, std::string_view message) const {
    const toml::source_position& begin = node.source().begin;
    if (begin.line > 0) {
      return make_error(
          fmt::format("{}:{}:{}: {}: {}", source_name_, begin.line, begin.column, path, message));
    }
    return make_error(fmt::format("{}: {}: {}", source_name_, path, message));
  }

  Error wrong_type(const toml::node& node, std::string_view path, std::string_view expected) const {
    return error_at(node, path,
                    fmt::format("expected {}, found {}", expected, type_name(node.type())));
  }

  Status check_keys(const toml::table& table, std::string_view path,
                    std::initializer_list<std::string_view> allowed) const {
    for (auto&& [key, node] : table) {
      bool known = false;
      for (std::string_view name : allowed)
        known = known || key.str() == name;
      if (known) continue;
      std::string expected;
      for (std::string_view name : allowed) {
        if (!expected.empty()) expected += ", ";
        expected += name;
      }
      const std::string key_path = path.empty() ? std::string(key.str()) : member(path, key.str());
      return error_at(node, key_path, fmt::format("unknown key (expected one of: {})", expected));
    }
    return {};
  }

  Status expect_table(const toml::node& node, std::string_view path,
                      const toml::table*& table) const {
    table = node.as_table();
    if (table == nullptr) return wrong_type(node, path, "a table");
    return {};
  }

  // An array (of tables, usually from [[path]]) with at most `count_max` elements; absent is
  // an empty array.
  Status optional_array(const toml::table& table, std::string_view path, std::string_view key,
                        std::size_t count_max, const toml::array*& array) const {
    array = nullptr;
    const toml::node* node = table.get(key);
    if (node == nullptr) return {};
    array = node->as_array();
    if (array == nullptr) return wrong_type(*node, member(path, key), "an array of tables");
    if (array->size() > count_max) {
      return error_at(*node, member(path, key),
                      fmt::format("{} entries, at most {}", array->size(), count_max));
    }
    return {};
  }

  Status required_node(const toml::table& table, std::string_view path, std::string_view key,
                       const toml::node*& node) const {
    node = table.get(key);
    if (node == nullptr) return error_at(table, member(path, key), "missing");
    return {};
  }

  Status read_string(const toml::node& node, std::string_view path, std::string& out) const {
    const auto* value = node.as_string();
    if (value == nullptr) return wrong_type(node, path, "a string");
    out = value->get();
    return {};
  }

  Status required_string(const toml::table& table, std::string_view path, std::string_view key,
                         std::string& out) const {
    const toml::node* node = nullptr;
    if (Status s = required_node(table, path, key, node); !s) return s;
    return read_string(*node, member(path, key), out);
  }

  Status required_name(const toml::table& table, std::string_view path, std::string& out) const {
    if (Status s = required_string(table, path, "name", out); !s) return s;
    if (out.empty()) return error_at(*table.get("name"), member(path, "name"), "must not be empty");
    return {};
  }

  // A date: "MM-DD" (every year), "YYYY-MM-DD", or a TOML local date (one day).
  Status read_date(const toml::node& node, std::string_view path, CalendarDate& out) const {
    if (const auto* date = node.as_date()) {
      const toml::date& value = date->get();
      out = CalendarDate{value.year, value.month, value.day};
      if (Status s = validate_calendar_date(out); !s) {
        return error_at(node, path, s.error().message);
      }
      return {};
    }
    const auto* text = node.as_string();
    if (text == nullptr) return wrong_type(node, path, "a date string \"MM-DD\" or \"YYYY-MM-DD\"");
    auto parsed = parse_calendar_date(text->get());
    if (!parsed) return error_at(node, path, parsed.error().message);
    out = *parsed;
    return {};
  }

  // A time of day: "hh:mm", "hh:mm:ss", or a TOML local time (whole seconds).
  Status read_time_of_day(const toml::node& node, std::string_view path, int& out_s) const {
    if (const auto* time = node.as_time()) {
      const toml::time& value = time->get();
      if (value.nanosecond != 0) {
        return error_at(node, path, "switch times have whole seconds");
      }
      out_s = value.hour * 3600 + value.minute * 60 + value.second;
      return {};
    }
    const auto* text = node.as_string();
    if (text == nullptr) return wrong_type(node, path, "a time string \"hh:mm\" or \"hh:mm:ss\"");
    auto parsed = parse_time_of_day_s(text->get());
    if (!parsed) return error_at(node, path, parsed.error().message);
    out_s = *parsed;
    return {};
  }

  Status read_tariff(const toml::node& node, std::string_view path, int& out) const {
    const auto* value = node.as_integer();
    if (value == nullptr) return wrong_type(node, path, "an integer tariff 1..8");
    const std::int64_t tariff = value->get();
    if (tariff < tariff_min || tariff > tariff_max) {
      return error_at(node, path,
                      fmt::format("tariff {} is outside {}..{}", tariff, tariff_min, tariff_max));
    }
    out = static_cast<int>(tariff);
    return {};
  }

  Status read_switch(const toml::node& node, std::string_view path, TariffSwitch& out) const {
    const toml::table* table = nullptr;
    if (Status s = expect_table(node, path, table); !s) return s;
    if (Status s = check_keys(*table, path, {"time", "tariff"}); !s) return s;
    const toml::node* time = nullptr;
    if (Status s = required_node(*table, path, "time", time); !s) return s;
    if (Status s = read_time_of_day(*time, member(path, "time"), out.time_of_day_s); !s) return s;
    const toml::node* tariff = nullptr;
    if (Status s = required_node(*table, path, "tariff", tariff); !s) return s;
    return read_tariff(*tariff, member(path, "tariff"), out.tariff);
  }

  Status read_day(const toml::node& node, std::string_view path, DayProfile& out,
                  std::vector<NamedDay>& names) {
    const toml::table* table = nullptr;
    if (Status s = expect_table(node, path, table); !s) return s;
    if (Status s = check_keys(*table, path, {"name", "switches"}); !s) return s;
    if (Status s = required_name(*table, path, out.name); !s) return s;
    if (find_named(names, out.name) != nullptr) {
      return error_at(*table->get("name"), member(path, "name"),
                      fmt::format("day profile \"{}\" is defined twice", out.name));
    }
    const toml::node* switches_node = nullptr;
    if (Status s = required_node(*table, path, "switches", switches_node); !s) return s;
    const std::string switches_path = member(path, "switches");
    const toml::array* switches = switches_node->as_array();
    if (switches == nullptr) return wrong_type(*switches_node, switches_path, "an array");
    if (switches->size() > switch_count_max) {
      return error_at(*switches_node, switches_path,
                      fmt::format("{} switches, at most {}", switches->size(), switch_count_max));
    }
    for (std::size_t i = 0; i < switches->size(); ++i) {
      TariffSwitch action;
      if (Status s = read_switch((*switches)[i], indexed(switches_path, i), action); !s) return s;
      out.switches.push_back(action);
    }
    out.day_id = day_ids_.id_for(out.name);
    names.push_back(NamedDay{out.name, out.day_id});
    // Empty, duplicate and unsorted switch times, reported at the day's table.
    if (Status s = validate_day_profile(out); !s) return error_at(node, path, s.error().message);
    return {};
  }

  Status read_week(const toml::node& node, std::string_view path, WeekProfile& out,
                   const CalendarProfiles& profiles, const std::vector<NamedDay>& days) const {
    const toml::table* table = nullptr;
    if (Status s = expect_table(node, path, table); !s) return s;
    if (Status s = check_keys(
            *table, path,
            {"name", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"});
        !s) {
      return s;
    }
    if (Status s = required_name(*table, path, out.name); !s) return s;
    if (profiles.find_week(out.name) != nullptr) {
      return error_at(*table->get("name"), member(path, "name"),
                      fmt::format("week profile \"{}\" is defined twice", out.name));
    }
    for (std::size_t d = 0; d < weekday_keys.size(); ++d) {
      std::string day_name;
      if (Status s = required_string(*table, path, weekday_keys[d], day_name); !s) return s;
      const NamedDay* day = find_named(days, day_name);
      if (day == nullptr) {
        return error_at(*table->get(weekday_keys[d]), member(path, weekday_keys[d]),
                        fmt::format("day profile \"{}\" is not defined (day profiles: {})",
                                    day_name, name_list(days)));
      }
      out.day_ids[d] = day->day_id;
    }
    return {};
  }

  Status read_season(const toml::node& node, std::string_view path, SeasonProfile& out,
                     const CalendarProfiles& profiles) const {
    const toml::table* table = nullptr;
    if (Status s = expect_table(node, path, table); !s) return s;
    if (Status s = check_keys(*table, path, {"name", "start", "week"}); !s) return s;
    if (Status s = required_name(*table, path, out.name); !s) return s;
    for (const SeasonProfile& other : profiles.seasons) {
      if (other.name == out.name) {
        return error_at(*table->get("name"), member(path, "name"),
                        fmt::format("season \"{}\" is defined twice", out.name));
      }
    }
    const toml::node* start = nullptr;
    if (Status s = required_node(*table, path, "start", start); !s) return s;
    if (Status s = read_date(*start, member(path, "start"), out.start); !s) return s;
    if (Status s = required_string(*table, path, "week", out.week_name); !s) return s;
    if (profiles.find_week(out.week_name) == nullptr) {
      return error_at(*table->get("week"), member(path, "week"),
                      fmt::format("week profile \"{}\" is not defined", out.week_name));
    }
    return {};
  }

  // Days first: weeks refer to them by name, as seasons refer to weeks.
  Status read_profiles(const toml::table& table, std::string_view path, CalendarProfiles& out,
                       std::vector<NamedDay>& days) {
    const bool passive = path == "passive";
    if (Status s = passive
                       ? check_keys(table, path, {"name", "season", "week", "day", "activate"})
                       : check_keys(table, path, {"name", "season", "week", "day", "special_day"});
        !s) {
      return s;
    }
    if (const toml::node* name = table.get("name")) {
      if (Status s = read_string(*name, member(path, "name"), out.name); !s) return s;
    }
    const std::string day_path = member(path, "day");
    const toml::array* day_array = nullptr;
    if (Status s = optional_array(table, path, "day", day_profile_count_max, day_array); !s) {
      return s;
    }
    for (std::size_t i = 0; day_array != nullptr && i < day_array->size(); ++i) {
      DayProfile day;
      if (Status s = read_day((*day_array)[i], indexed(day_path, i), day, days); !s) return s;
      out.days.push_back(std::move(day));
    }
    const std::string week_path = member(path, "week");
    const toml::array* week_array = nullptr;
    if (Status s = optional_array(table, path, "week", week_profile_count_max, week_array); !s) {
      return s;
    }
    for (std::size_t i = 0; week_array != nullptr && i < week_array->size(); ++i) {
      WeekProfile week;
      if (Status s = read_week((*week_array)[i], indexed(week_path, i), week, out, days); !s) {
        return s;
      }
      out.weeks.push_back(std::move(week));
    }
    const std::string season_path = member(path, "season");
    const toml::array* season_array = nullptr;
    if (Status s = optional_array(table, path, "season", season_count_max, season_array); !s) {
      return s;
    }
    for (std::size_t i = 0; season_array != nullptr && i < season_array->size(); ++i) {
      SeasonProfile season;
      if (Status s = read_season((*season_array)[i], indexed(season_path, i), season, out); !s) {
        return s;
      }
      out.seasons.push_back(std::move(season));
    }
    if (out.empty()) {
      return error_at(table, path,
                      "no [[" + std::string(path) + ".day]], [[" + std::string(path) +
                          ".week]] or [[" + std::string(path) + ".season]]: the calendar is empty");
    }
    return {};
  }

  // activate = "2026-07-01T00:00:00+02:00" (or a TOML offset date-time). The offset is
  // required: the calendar file does not know the meter's time zone.
  Status read_activation(const toml::table& table, std::optional<UtcMicros>& out) const {
    const toml::node* node = table.get("activate");
    if (node == nullptr) return {};
    const std::string path = "passive.activate";
    const std::string_view no_offset =
        "needs a UTC offset (Z or +hh:mm): the calendar file does not know the meter's time zone";
    if (const auto* date_time = node->as_date_time()) {
      const toml::date_time& value = date_time->get();
      if (!value.offset) return error_at(*node, path, no_offset);
      const CivilTime civil{value.date.year,
                            value.date.month,
                            value.date.day,
                            value.time.hour,
                            value.time.minute,
                            value.time.second,
                            static_cast<int>(value.time.nanosecond / 1000U)};
      if (Status s = validate_civil_time(civil); !s)
        return error_at(*node, path, s.error().message);
      out = utc_from_civil(civil) - value.offset->minutes * micros_per_minute;
      return {};
    }
    const auto* text = node->as_string();
    if (text == nullptr) return wrong_type(*node, path, "an ISO 8601 date-time with offset");
    // Text without an offset would be read as local time of the zone passed in: two zones
    // that disagree reveal it.
    TimeZone shifted = TimeZone::utc();
    shifted.standard_offset_min = 60;
    auto as_utc = parse_iso8601(text->get(), TimeZone::utc());
    if (!as_utc) return error_at(*node, path, as_utc.error().message);
    auto as_shifted = parse_iso8601(text->get(), shifted);
    if (!as_shifted || *as_shifted != *as_utc) return error_at(*node, path, no_offset);
    out = *as_utc;
    return {};
  }

  Status read_special_days(const toml::table& calendar_table,
                           const std::vector<NamedDay>& active_days,
                           const std::vector<NamedDay>& passive_days, SpecialDaysTable& out) const {
    const std::string path = "calendar.special_day";
    const toml::array* array = nullptr;
    if (Status s =
            optional_array(calendar_table, "calendar", "special_day", special_day_count_max, array);
        !s) {
      return s;
    }
    for (std::size_t i = 0; array != nullptr && i < array->size(); ++i) {
      const std::string entry_path = indexed(path, i);
      const toml::node& node = (*array)[i];
      const toml::table* table = nullptr;
      if (Status s = expect_table(node, entry_path, table); !s) return s;
      if (Status s = check_keys(*table, entry_path, {"date", "day"}); !s) return s;
      SpecialDay entry;
      entry.index = static_cast<int>(i) + 1;
      const toml::node* date = nullptr;
      if (Status s = required_node(*table, entry_path, "date", date); !s) return s;
      if (Status s = read_date(*date, member(entry_path, "date"), entry.date); !s) return s;
      std::string day_name;
      if (Status s = required_string(*table, entry_path, "day", day_name); !s) return s;
      const NamedDay* day = find_named(active_days, day_name);
      if (day == nullptr) {
        return error_at(*table->get("day"), member(entry_path, "day"),
                        fmt::format("day profile \"{}\" is not defined in [calendar] (day "
                                    "profiles: {})",
                                    day_name, name_list(active_days)));
      }
      // The table serves both calendars (class 11 is one object): the day must exist in both.
      if (!passive_days.empty() && find_named(passive_days, day_name) == nullptr) {
        return error_at(*table->get("day"), member(entry_path, "day"),
                        fmt::format("day profile \"{}\" is not defined in [passive], which the "
                                    "special days also serve",
                                    day_name));
      }
      entry.day_id = day->day_id;
      for (const SpecialDay& other : out.entries) {
        if (other.date.month == entry.date.month && other.date.day == entry.date.day &&
            (other.date.year == entry.date.year || other.date.recurring() ||
             entry.date.recurring())) {
          return error_at(*date, member(entry_path, "date"),
                          fmt::format("{} falls on the same day as special day {} ({})",
                                      format_calendar_date(entry.date), other.index,
                                      format_calendar_date(other.date)));
        }
      }
      out.entries.push_back(entry);
    }
    return {};
  }

  // [tariffs] 1 = "day": display names.
  Status read_tariff_names(const toml::node& node,
                           std::array<std::string, tariff_count>& names) const {
    const toml::table* table = nullptr;
    if (Status s = expect_table(node, "tariffs", table); !s) return s;
    for (auto&& [key, value] : *table) {
      const std::string path = member("tariffs", key.str());
      const std::string_view text = key.str();
      if (text.size() != 1 || text[0] < '1' || text[0] > '8') {
        return error_at(value, path, "unknown key (expected a tariff number 1..8)");
      }
      const auto slot = static_cast<std::size_t>(text[0] - '1');
      if (Status s = read_string(value, path, names[slot]); !s) return s;
    }
    return {};
  }

  std::string_view source_name_;
  DayIdRegistry day_ids_;
};

}  // namespace

Result<ActivityCalendar> parse_calendar_config(std::string_view toml_text,
                                               std::string_view source_name) {
#if TOML_EXCEPTIONS
  toml::table root;
  try {
    root = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& error) {
    const toml::source_position& begin = error.source().begin;
    return make_error(fmt::format("{}:{}:{}: TOML syntax error: {}", source_name, begin.line,
                                  begin.column, error.description()));
  }
#else
  toml::parse_result parsed = toml::parse(toml_text, source_name);
  if (!parsed) {
    const toml::source_position& begin = parsed.error().source().begin;
    return make_error(fmt::format("{}:{}:{}: TOML syntax error: {}", source_name, begin.line,
                                  begin.column, parsed.error().description()));
  }
  toml::table root = std::move(parsed).table();
#endif
  return CalendarReader(source_name).read(root);
}

Result<ActivityCalendar> load_calendar_config(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return make_error(
        fmt::format("cannot open calendar config {}: {}", path, std::strerror(errno)));
  }
  std::string text;
  std::array<char, 4096> buffer{};
  while (file.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) ||
         file.gcount() > 0) {
    text.append(buffer.data(), static_cast<std::size_t>(file.gcount()));
    if (text.size() > config_size_max_bytes) {
      return make_error(
          fmt::format("calendar config {} is larger than {} bytes", path, config_size_max_bytes));
    }
  }
  if (file.bad()) return make_error(fmt::format("cannot read calendar config {}", path));
  return parse_calendar_config(text, path);
}

}  // namespace gridmeter::app
