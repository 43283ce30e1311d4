#include "config/calendar_config.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <array>             // std::array
#include <cstddef>           // std::size_t
#include <cstdint>           // std::int64_t
#include <initializer_list>  // std::initializer_list
#include <optional>          // std::optional
#include <string>            // std::string
#include <string_view>       // std::string_view
#include <utility>           // std::move
#include <vector>            // std::vector

#include "core/civil_time.hpp"
#include "core/date_time.hpp"

namespace gridmeter::config {
namespace {

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
class CalendarReader : public TomlReader {
 public:
  explicit CalendarReader(std::string_view source_name) : TomlReader(source_name) {}

  Result<ActivityCalendar> read(const toml::table& root) {
    const toml::node* calendar_node = root.get("calendar");
    if (calendar_node == nullptr) {
      for (std::string_view key : {"tariffs", "passive"}) {
        if (const toml::node* orphan = root.get(key)) {
          return error_at(*orphan, key,
                          "belongs to a [calendar] table (without one the default calendar "
                          "applies as a whole)");
        }
      }
      return ActivityCalendar::default_calendar();
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
      return make_error(fmt::format("{}: {}", source_name(), s.error().message));
    }
    return calendar;
  }

 private:
  // An array (of tables, usually from [[path]]) with at most `count_max` elements; absent is
  // an empty array.
  Status optional_array(const toml::table& table, std::string_view path, std::string_view key,
                        std::size_t count_max, const toml::array*& array) const {
    array = nullptr;
    const toml::node* node = table.get(key);
    if (node == nullptr) return {};
    array = node->as_array();
    if (array == nullptr) return wrong_type(*node, member_path(path, key), "an array of tables");
    if (array->size() > count_max) {
      return error_at(*node, member_path(path, key),
                      fmt::format("{} entries, at most {}", array->size(), count_max));
    }
    return {};
  }

  Status required_node(const toml::table& table, std::string_view path, std::string_view key,
                       const toml::node*& node) const {
    node = table.get(key);
    if (node == nullptr) return error_at(table, member_path(path, key), "missing");
    return {};
  }

  Status required_string(const toml::table& table, std::string_view path, std::string_view key,
                         std::string& out) const {
    const toml::node* node = nullptr;
    if (Status s = required_node(table, path, key, node); !s) return s;
    return read_string(*node, member_path(path, key), out);
  }

  Status required_name(const toml::table& table, std::string_view path, std::string& out) const {
    if (Status s = required_string(table, path, "name", out); !s) return s;
    if (out.empty()) {
      return error_at(*table.get("name"), member_path(path, "name"), "must not be empty");
    }
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
    if (Status s = read_time_of_day(*time, member_path(path, "time"), out.time_of_day_s); !s) {
      return s;
    }
    const toml::node* tariff = nullptr;
    if (Status s = required_node(*table, path, "tariff", tariff); !s) return s;
    return read_tariff(*tariff, member_path(path, "tariff"), out.tariff);
  }

  Status read_day(const toml::node& node, std::string_view path, DayProfile& out,
                  std::vector<NamedDay>& names) {
    const toml::table* table = nullptr;
    if (Status s = expect_table(node, path, table); !s) return s;
    if (Status s = check_keys(*table, path, {"name", "switches"}); !s) return s;
    if (Status s = required_name(*table, path, out.name); !s) return s;
    if (find_named(names, out.name) != nullptr) {
      return error_at(*table->get("name"), member_path(path, "name"),
                      fmt::format("day profile \"{}\" is defined twice", out.name));
    }
    const toml::node* switches_node = nullptr;
    if (Status s = required_node(*table, path, "switches", switches_node); !s) return s;
    const std::string switches_path = member_path(path, "switches");
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
      return error_at(*table->get("name"), member_path(path, "name"),
                      fmt::format("week profile \"{}\" is defined twice", out.name));
    }
    for (std::size_t d = 0; d < weekday_keys.size(); ++d) {
      std::string day_name;
      if (Status s = required_string(*table, path, weekday_keys[d], day_name); !s) return s;
      const NamedDay* day = find_named(days, day_name);
      if (day == nullptr) {
        return error_at(*table->get(weekday_keys[d]), member_path(path, weekday_keys[d]),
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
        return error_at(*table->get("name"), member_path(path, "name"),
                        fmt::format("season \"{}\" is defined twice", out.name));
      }
    }
    const toml::node* start = nullptr;
    if (Status s = required_node(*table, path, "start", start); !s) return s;
    if (Status s = read_date(*start, member_path(path, "start"), out.start); !s) return s;
    if (Status s = required_string(*table, path, "week", out.week_name); !s) return s;
    if (profiles.find_week(out.week_name) == nullptr) {
      return error_at(*table->get("week"), member_path(path, "week"),
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
      if (Status s = read_string(*name, member_path(path, "name"), out.name); !s) return s;
    }
    const std::string day_path = member_path(path, "day");
    const toml::array* day_array = nullptr;
    if (Status s = optional_array(table, path, "day", day_profile_count_max, day_array); !s) {
      return s;
    }
    for (std::size_t i = 0; day_array != nullptr && i < day_array->size(); ++i) {
      DayProfile day;
      if (Status s = read_day((*day_array)[i], indexed(day_path, i), day, days); !s) return s;
      out.days.push_back(std::move(day));
    }
    const std::string week_path = member_path(path, "week");
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
    const std::string season_path = member_path(path, "season");
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
  // required, so the instant does not depend on [clock] or on the autumn overlap.
  Status read_activation(const toml::table& table, std::optional<UtcMicros>& out) const {
    const toml::node* node = table.get("activate");
    if (node == nullptr) return {};
    UtcMicros instant = 0;
    if (Status s = read_instant(*node, "passive.activate", instant); !s) return s;
    // format_calendar_config writes four-digit UTC years, as parse_iso8601 reads them.
    const int year = civil_from_utc(instant).year;
    if (year < 0 || year > 9999) {
      return error_at(*node, "passive.activate",
                      fmt::format("falls in the year {} UTC, outside 0000..9999", year));
    }
    out = instant;
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
      if (Status s = read_date(*date, member_path(entry_path, "date"), entry.date); !s) return s;
      std::string day_name;
      if (Status s = required_string(*table, entry_path, "day", day_name); !s) return s;
      const NamedDay* day = find_named(active_days, day_name);
      if (day == nullptr) {
        return error_at(*table->get("day"), member_path(entry_path, "day"),
                        fmt::format("day profile \"{}\" is not defined in [calendar] (day "
                                    "profiles: {})",
                                    day_name, name_list(active_days)));
      }
      // The table serves both calendars (class 11 is one object): the day must exist in both.
      if (!passive_days.empty() && find_named(passive_days, day_name) == nullptr) {
        return error_at(*table->get("day"), member_path(entry_path, "day"),
                        fmt::format("day profile \"{}\" is not defined in [passive], which the "
                                    "special days also serve",
                                    day_name));
      }
      entry.day_id = day->day_id;
      for (const SpecialDay& other : out.entries) {
        if (other.date.month == entry.date.month && other.date.day == entry.date.day &&
            (other.date.year == entry.date.year || other.date.recurring() ||
             entry.date.recurring())) {
          return error_at(*date, member_path(entry_path, "date"),
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
      const std::string path = member_path("tariffs", key.str());
      const std::string_view text = key.str();
      if (text.size() != 1 || text[0] < '1' || text[0] > '8') {
        return error_at(value, path, "unknown key (expected a tariff number 1..8)");
      }
      const auto slot = static_cast<std::size_t>(text[0] - '1');
      if (Status s = read_string(value, path, names[slot]); !s) return s;
    }
    return {};
  }

  DayIdRegistry day_ids_;
};

}  // namespace

Error TomlReader::error_at(const toml::node& node, std::string_view path,
                           std::string_view message) const {
  const toml::source_position& begin = node.source().begin;
  if (begin.line > 0) {
    return make_error(
        fmt::format("{}:{}:{}: {}: {}", source_name_, begin.line, begin.column, path, message));
  }
  return make_error(fmt::format("{}: {}: {}", source_name_, path, message));
}

Error TomlReader::wrong_type(const toml::node& node, std::string_view path,
                             std::string_view expected) const {
  return error_at(node, path,
                  fmt::format("expected {}, found {}", expected, type_name(node.type())));
}

Status TomlReader::check_keys(const toml::table& table, std::string_view path,
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
    return error_at(node, member_path(path, key.str()),
                    fmt::format("unknown key (expected one of: {})", expected));
  }
  return {};
}

Status TomlReader::expect_table(const toml::node& node, std::string_view path,
                                const toml::table*& table) const {
  table = node.as_table();
  if (table == nullptr) return wrong_type(node, path, "a table");
  return {};
}

Status TomlReader::read_string(const toml::node& node, std::string_view path,
                               std::string& out) const {
  const auto* value = node.as_string();
  if (value == nullptr) return wrong_type(node, path, "a string");
  out = value->get();
  return {};
}

Status TomlReader::read_bool(const toml::node& node, std::string_view path, bool& out) const {
  const auto* value = node.as_boolean();
  if (value == nullptr) return wrong_type(node, path, "true or false");
  out = value->get();
  return {};
}

Status TomlReader::read_integer(const toml::node& node, std::string_view path,
                                std::int64_t& out) const {
  const auto* value = node.as_integer();
  if (value == nullptr) return wrong_type(node, path, "an integer");
  out = value->get();
  return {};
}

std::string member_path(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return fmt::format("{}.{}", path, key);
}

Result<toml::table> parse_toml(std::string_view toml_text, std::string_view source_name) {
#if TOML_EXCEPTIONS
  try {
    return toml::parse(toml_text, source_name);
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
  return std::move(parsed).table();
#endif
}

Result<ActivityCalendar> read_calendar_config(const toml::table& root,
                                              std::string_view source_name) {
  return CalendarReader(source_name).read(root);
}

std::string toml_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        // TOML 1.0 basic strings: control characters other than tab must be escaped.
        if (byte < 0x20U || byte == 0x7FU) {
          out += fmt::format("\\u{:04X}", static_cast<unsigned>(byte));
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

namespace {

// "hh:mm", or "hh:mm:ss" when the seconds are not zero.
std::string switch_time(int time_of_day_s) {
  const std::string text = format_time_of_day(time_of_day_s);
  return time_of_day_s % 60 == 0 ? text.substr(0, 5) : text;
}

std::string_view day_name(const CalendarProfiles& profiles, int day_id) {
  const DayProfile* day = profiles.find_day(day_id);
  return day == nullptr ? std::string_view() : std::string_view(day->name);
}

// More switches than this go one per line.
constexpr std::size_t switches_per_line_max = 4;

void append_profiles(std::string& out, std::string_view table, const CalendarProfiles& profiles) {
  for (const SeasonProfile& season : profiles.seasons) {
    out += fmt::format("\n[[{}.season]]\nname = {}\nstart = {}\nweek = {}\n", table,
                       toml_string(season.name), toml_string(format_calendar_date(season.start)),
                       toml_string(season.week_name));
  }
  for (const WeekProfile& week : profiles.weeks) {
    out += fmt::format("\n[[{}.week]]\nname = {}\n", table, toml_string(week.name));
    for (std::size_t d = 0; d < weekday_keys.size(); ++d) {
      out += fmt::format("{} = {}\n", weekday_keys[d],
                         toml_string(day_name(profiles, week.day_ids[d])));
    }
  }
  for (const DayProfile& day : profiles.days) {
    out += fmt::format("\n[[{}.day]]\nname = {}\nswitches = [", table, toml_string(day.name));
    const bool one_line = day.switches.size() <= switches_per_line_max;
    for (std::size_t i = 0; i < day.switches.size(); ++i) {
      const TariffSwitch& action = day.switches[i];
      const std::string entry = fmt::format("{{ time = \"{}\", tariff = {} }}",
                                            switch_time(action.time_of_day_s), action.tariff);
      if (one_line) {
        out += fmt::format("{} {}", i == 0 ? "" : ",", entry);
      } else {
        out += fmt::format("\n  {},", entry);
      }
    }
    out += one_line ? " ]\n" : "\n]\n";
  }
}

}  // namespace

std::string format_calendar_config(const ActivityCalendar& calendar) {
  std::string out;
  bool named = false;
  for (const std::string& name : calendar.tariff_names)
    named = named || !name.empty();
  if (named) {
    out += "[tariffs]\n";
    for (std::size_t t = 0; t < calendar.tariff_names.size(); ++t) {
      if (calendar.tariff_names[t].empty()) continue;
      out += fmt::format("{} = {}\n", t + 1, toml_string(calendar.tariff_names[t]));
    }
    out += "\n";
  }
  out += "[calendar]\n";
  if (!calendar.active.name.empty()) out += "name = " + toml_string(calendar.active.name) + "\n";
  append_profiles(out, "calendar", calendar.active);
  for (const SpecialDay& entry : calendar.special_days.entries) {
    out += fmt::format("\n[[calendar.special_day]]\ndate = {}\nday = {}\n",
                       toml_string(format_calendar_date(entry.date)),
                       toml_string(day_name(calendar.active, entry.day_id)));
  }
  if (!calendar.passive.empty()) {
    out += "\n[passive]\n";
    if (!calendar.passive.name.empty()) {
      out += "name = " + toml_string(calendar.passive.name) + "\n";
    }
    if (calendar.activate_passive_utc_us) {
      out +=
          "activate = " + toml_string(format_utc_instant(*calendar.activate_passive_utc_us)) + "\n";
    }
    append_profiles(out, "passive", calendar.passive);
  }
  return out;
}

Status TomlReader::read_instant(const toml::node& node, std::string_view path,
                                UtcMicros& out) const {
  const std::string_view no_offset =
      "needs a UTC offset (Z or +hh:mm), so that it names one instant whatever the meter's "
      "time zone";
  if (const auto* date_time = node.as_date_time()) {
    const toml::date_time& value = date_time->get();
    if (!value.offset) return error_at(node, path, no_offset);
    const CivilTime civil{value.date.year,
                          value.date.month,
                          value.date.day,
                          value.time.hour,
                          value.time.minute,
                          value.time.second,
                          static_cast<int>(value.time.nanosecond / 1000U)};
    if (Status s = validate_civil_time(civil); !s) return error_at(node, path, s.error().message);
    out = utc_from_civil(civil) - value.offset->minutes * micros_per_minute;
    return {};
  }
  const auto* text = node.as_string();
  if (text == nullptr) return wrong_type(node, path, "an ISO 8601 date-time with offset");
  // Text without an offset would be read as local time of the zone passed in: two zones
  // that disagree reveal it.
  TimeZone shifted = TimeZone::utc();
  shifted.standard_offset_min = 60;
  auto as_utc = parse_iso8601(text->get(), TimeZone::utc());
  if (!as_utc) return error_at(node, path, as_utc.error().message);
  auto as_shifted = parse_iso8601(text->get(), shifted);
  if (!as_shifted || *as_shifted != *as_utc) return error_at(node, path, no_offset);
  out = *as_utc;
  return {};
}

// "2026-06-30T22:00:00Z", with a fraction (trailing zeros dropped) for sub-second instants.
std::string format_utc_instant(UtcMicros time) {
  const CivilTime c = civil_from_utc(time);
  std::string text = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", c.year, c.month, c.day,
                                 c.hour, c.minute, c.second);
  if (c.microsecond != 0) {
    std::string fraction = fmt::format("{:06}", c.microsecond);
    while (fraction.back() == '0')
      fraction.pop_back();
    text += "." + fraction;
  }
  return text + "Z";
}

}  // namespace gridmeter::config
