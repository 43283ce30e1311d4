#include "config/meter_config_file.hpp"

#include <fmt/format.h>

#include <toml++/toml.h>

#include <cstddef>           // std::size_t
#include <cstdint>           // std::int64_t
#include <initializer_list>  // std::initializer_list
#include <limits>            // std::numeric_limits
#include <span>              // std::span
#include <string>            // std::string
#include <string_view>       // std::string_view
#include <utility>           // std::move
#include <vector>            // std::vector

#include "config/calendar_config.hpp"
#include "config/register_monitor_config.hpp"
#include "config/supply_config.hpp"
#include "config/text_file.hpp"
#include "config/vq_config_file.hpp"
#include "core/time_zone.hpp"
#include "meter/analysis_log.hpp"

namespace gridmeter::config {
namespace {

constexpr std::size_t config_size_max_bytes = 1U << 20U;

// Reads the sections of MeterConfig; the calendar's come from read_calendar_config. Ranges
// are MeterConfig::validate()'s to check, so the file and a config made in code obey the same
// rules; its errors are placed at the key they name.
class MeterConfigReader : public TomlReader {
 public:
  explicit MeterConfigReader(std::string_view source_name) : TomlReader(source_name) {}

  Result<MeterConfig> read(const toml::table& root) const {
    if (Status s =
            check_keys(root, "",
                       {"clock", "demand", "billing", "load_profile", "analysis_log", "tariffs",
                        "calendar", "passive", "register_monitor", "disconnector", "limiter",
                        "prepayment", "tamper", "fraud", "pulse_output", "voltage_quality"});
        !s) {
      return s.error();
    }
    MeterConfig config;
    if (Status s = read_clock(root, config.zone); !s) return s.error();
    if (Status s = read_demand(root, config.demand); !s) return s.error();
    if (Status s = read_billing(root, config.billing); !s) return s.error();
    if (Status s = read_load_profile(root, config.load_profile); !s) return s.error();
    if (Status s = read_analysis_log(root, config.analysis_log); !s) return s.error();
    if (Status s = read_register_monitors(*this, root, config.register_monitors); !s) {
      return s.error();
    }
    if (Status s = read_supply_config(*this, root, config); !s) return s.error();
    if (Status s = read_voltage_quality_config(*this, root, config.voltage_quality); !s) {
      return s.error();
    }
    Result<ActivityCalendar> calendar = read_calendar_config(root, source_name());
    if (!calendar) return calendar.error();
    config.calendar = std::move(*calendar);
    if (Status s = config.validate(); !s) return located(root, s.error().message);
    return config;
  }

 private:
  // A validate() message "demand.period: 7 minutes ..." at the key it names, when the file
  // has that key.
  Error located(const toml::table& root, const std::string& message) const {
    const std::size_t colon = message.find(": ");
    if (colon != std::string::npos) {
      const std::string_view setting = std::string_view(message).substr(0, colon);
      if (setting.find(' ') == std::string_view::npos) {
        if (const toml::node* node = toml::at_path(root, setting).node()) {
          return error_at(*node, setting, std::string_view(message).substr(colon + 2));
        }
      }
    }
    return make_error(fmt::format("{}: {}", source_name(), message));
  }

  // A section: nullptr when absent (its defaults stay), else a table with only `keys`.
  Status section(const toml::table& root, std::string_view name,
                 std::initializer_list<std::string_view> keys, const toml::table*& table) const {
    table = nullptr;
    const toml::node* node = root.get(name);
    if (node == nullptr) return {};
    if (Status s = expect_table(*node, name, table); !s) return s;
    return check_keys(*table, name, keys);
  }

  Status optional_int(const toml::table* table, std::string_view name, std::string_view key,
                      int& out) const {
    const toml::node* node = table == nullptr ? nullptr : table->get(key);
    if (node == nullptr) return {};
    const std::string path = member_path(name, key);
    std::int64_t value = 0;
    if (Status s = read_integer(*node, path, value); !s) return s;
    if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
      return error_at(*node, path, fmt::format("{} is out of range", value));
    }
    out = static_cast<int>(value);
    return {};
  }

  Status optional_count(const toml::table* table, std::string_view name, std::string_view key,
                        std::size_t& out) const {
    const toml::node* node = table == nullptr ? nullptr : table->get(key);
    if (node == nullptr) return {};
    const std::string path = member_path(name, key);
    std::int64_t value = 0;
    if (Status s = read_integer(*node, path, value); !s) return s;
    if (value < 0) return error_at(*node, path, fmt::format("{} is negative", value));
    out = static_cast<std::size_t>(value);
    return {};
  }

  Status optional_bool(const toml::table* table, std::string_view name, std::string_view key,
                       bool& out) const {
    const toml::node* node = table == nullptr ? nullptr : table->get(key);
    if (node == nullptr) return {};
    return read_bool(*node, member_path(name, key), out);
  }

  // time_zone = "CET" | "UTC" | POSIX TZ; dst = false switches its daylight-saving rule off.
  Status read_clock(const toml::table& root, TimeZone& zone) const {
    const toml::table* table = nullptr;
    if (Status s = section(root, "clock", {"time_zone", "dst"}, table); !s) return s;
    if (table == nullptr) return {};
    if (const toml::node* node = table->get("time_zone")) {
      std::string text;
      if (Status s = read_string(*node, "clock.time_zone", text); !s) return s;
      Result<TimeZone> parsed = parse_time_zone(text);
      if (!parsed) return error_at(*node, "clock.time_zone", parsed.error().message);
      zone = *parsed;
    }
    if (const toml::node* node = table->get("dst")) {
      bool dst = false;
      if (Status s = read_bool(*node, "clock.dst", dst); !s) return s;
      // parse_time_zone enables DST exactly when the text has a rule.
      if (dst && !zone.dst_enabled) {
        return error_at(*node, "clock.dst",
                        "true, but time_zone has no daylight-saving rule (POSIX TZ "
                        "\"STDoffsetDST,start,end\", e.g. \"CET-1CEST,M3.5.0,M10.5.0/3\")");
      }
      zone.dst_enabled = dst;
    }
    return {};
  }

  Status read_demand(const toml::table& root, DemandConfig& out) const {
    const toml::table* table = nullptr;
    if (Status s = section(root, "demand", {"period", "sub_periods"}, table); !s) return s;
    if (Status s = optional_int(table, "demand", "period", out.period_min); !s) return s;
    return optional_int(table, "demand", "sub_periods", out.sub_periods);
  }

  Status read_billing(const toml::table& root, BillingConfig& out) const {
    const toml::table* table = nullptr;
    if (Status s = section(root, "billing", {"day", "hour", "depth"}, table); !s) return s;
    if (Status s = optional_int(table, "billing", "day", out.day); !s) return s;
    if (Status s = optional_int(table, "billing", "hour", out.hour); !s) return s;
    return optional_count(table, "billing", "depth", out.depth);
  }

  Status read_load_profile(const toml::table& root, LoadProfileConfig& out) const {
    const toml::table* table = nullptr;
    if (Status s = section(root, "load_profile", {"period", "depth", "per_phase"}, table); !s) {
      return s;
    }
    if (Status s = optional_int(table, "load_profile", "period", out.period_min); !s) return s;
    if (Status s = optional_count(table, "load_profile", "depth", out.depth); !s) return s;
    return optional_bool(table, "load_profile", "per_phase", out.per_phase);
  }

  // values = ["u_l1_avg", ...]: each id is checked on its own here, so an unknown one is
  // reported at its element; duplicates are validate()'s.
  Status read_analysis_log(const toml::table& root, AnalysisLogConfig& out) const {
    const toml::table* table = nullptr;
    if (Status s = section(root, "analysis_log", {"period", "depth", "values"}, table); !s) {
      return s;
    }
    if (Status s = optional_int(table, "analysis_log", "period", out.period_min); !s) return s;
    if (Status s = optional_count(table, "analysis_log", "depth", out.depth); !s) return s;
    const toml::node* node = table == nullptr ? nullptr : table->get("values");
    if (node == nullptr) return {};
    const std::string path = "analysis_log.values";
    const toml::array* array = node->as_array();
    if (array == nullptr) return wrong_type(*node, path, "an array of strings");
    if (array->size() > analysis_value_count_max) {
      return error_at(
          *node, path,
          fmt::format("{} values, at most {}", array->size(), analysis_value_count_max));
    }
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string element_path = fmt::format("{}[{}]", path, i);
      std::string id;
      if (Status s = read_string((*array)[i], element_path, id); !s) return s;
      if (auto resolved = resolve_analysis_values(std::span<const std::string>(&id, 1));
          !resolved) {
        std::string_view message = resolved.error().message;
        constexpr std::string_view log_prefix = "analysis log: ";
        if (message.starts_with(log_prefix)) message.remove_prefix(log_prefix.size());
        return error_at((*array)[i], element_path, message);
      }
      out.values.push_back(std::move(id));
    }
    return {};
  }
};

std::string value_list(const std::vector<std::string>& values) {
  std::string list;
  for (const std::string& value : values) {
    if (!list.empty()) list += ", ";
    list += toml_string(value);
  }
  return list;
}

}  // namespace

Result<MeterConfig> parse_meter_config(std::string_view toml_text, std::string_view source_name) {
  Result<toml::table> root = parse_toml(toml_text, source_name);
  if (!root) return root.error();
  return MeterConfigReader(source_name).read(*root);
}

Result<MeterConfig> load_meter_config(const std::string& path) {
  auto text = read_text_file(path, config_size_max_bytes, "meter config");
  if (!text) return text.error();
  return parse_meter_config(*text, path);
}

std::string format_meter_config(const MeterConfig& config) {
  const TimeZone& zone = config.zone;
  const DemandConfig& demand = config.demand;
  const BillingConfig& billing = config.billing;
  const LoadProfileConfig& load_profile = config.load_profile;
  const AnalysisLogConfig& analysis_log = config.analysis_log;
  // A root key must come before the first table; no monitors is not the default monitor.
  const std::string_view no_monitors =
      config.register_monitors.empty() ? "register_monitor = []\n\n" : "";
  return fmt::format(
             "# gridmeter meter configuration (docs/config.md)\n\n"
             "{}[clock]\ntime_zone = {}\ndst = {}\n\n"
             "[demand]\nperiod = {}\nsub_periods = {}\n\n"
             "[billing]\nday = {}\nhour = {}\ndepth = {}\n\n"
             "[load_profile]\nperiod = {}\ndepth = {}\nper_phase = {}\n\n"
             "[analysis_log]\nperiod = {}\ndepth = {}\nvalues = [{}]\n\n",
             no_monitors, toml_string(format_time_zone(zone)), zone.dst_enabled, demand.period_min,
             demand.sub_periods, billing.day, billing.hour, billing.depth, load_profile.period_min,
             load_profile.depth, load_profile.per_phase, analysis_log.period_min,
             analysis_log.depth, value_list(analysis_log.values)) +
         format_register_monitors(config.register_monitors) + format_supply_config(config) +
         format_voltage_quality_config(config.voltage_quality) +
         format_calendar_config(config.calendar);
}

}  // namespace gridmeter::config
