#include "config/supply_config.hpp"

#include <fmt/format.h>

#include <array>             // std::array
#include <cmath>             // std::llround, std::isfinite, std::fabs
#include <cstdint>           // std::int64_t, std::uint32_t
#include <initializer_list>  // std::initializer_list
#include <limits>            // std::numeric_limits
#include <optional>          // std::optional
#include <string_view>       // std::string_view

namespace gridmeter::config {
namespace {

constexpr std::array<std::string_view, 7> weekday_names{
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// Reads one supply section: every getter checks the type and names the key; ranges are
// MeterConfig::validate()'s.
class SectionReader {
 public:
  SectionReader(const TomlReader& reader, const toml::table* table, std::string_view name)
      : reader_(reader), table_(table), name_(name) {}

  [[nodiscard]] const toml::node* get(std::string_view key) const {
    return table_ == nullptr ? nullptr : table_->get(key);
  }
  [[nodiscard]] std::string path(std::string_view key) const { return member_path(name_, key); }

  Status boolean(std::string_view key, bool& out) const {
    const toml::node* node = get(key);
    return node == nullptr ? Status{} : reader_.read_bool(*node, path(key), out);
  }

  Status string(std::string_view key, std::string& out) const {
    const toml::node* node = get(key);
    return node == nullptr ? Status{} : reader_.read_string(*node, path(key), out);
  }

  // A whole number within [min, max]: the range is checked here because the field is narrower
  // than TOML's 64-bit integers.
  template <typename Int>
  Status integer(std::string_view key, std::int64_t min, std::int64_t max, Int& out) const {
    const toml::node* node = get(key);
    if (node == nullptr) return {};
    std::int64_t value = 0;
    if (Status s = reader_.read_integer(*node, path(key), value); !s) return s;
    if (value < min || value > max) {
      return reader_.error_at(*node, path(key),
                              fmt::format("{} is outside {}..{}", value, min, max));
    }
    out = static_cast<Int>(value);
    return {};
  }

  Status number(std::string_view key, double& out) const {
    const toml::node* node = get(key);
    if (node == nullptr) return {};
    return number_of(*node, path(key), out);
  }

  Status number_of(const toml::node& node, std::string_view at, double& out) const {
    if (const auto* integer = node.as_integer()) {
      out = static_cast<double>(integer->get());
      return {};
    }
    if (const auto* floating = node.as_floating_point()) {
      out = floating->get();
      if (!std::isfinite(out)) return reader_.error_at(node, at, "not a finite number");
      return {};
    }
    return reader_.wrong_type(node, at, "a number");
  }

  // kWh with a resolution of 1 Wh, as whole Wh.
  Status kilowatt_hours(std::string_view key, std::int64_t& out_wh) const {
    const toml::node* node = get(key);
    if (node == nullptr) return {};
    double kwh = 0.0;
    if (Status s = number_of(*node, path(key), kwh); !s) return s;
    const double wh = kwh * 1000.0;
    if (!(std::fabs(wh) < 1e15)) return reader_.error_at(*node, path(key), "out of range");
    const std::int64_t rounded = std::llround(wh);
    if (std::fabs(wh - static_cast<double>(rounded)) > 1e-6) {
      return reader_.error_at(*node, path(key),
                              fmt::format("{} kWh is finer than 1 Wh (0.001 kWh)", kwh));
    }
    out_wh = rounded;
    return {};
  }

  // An array of names, each one of `known`; `found(i)` takes the index into `known`.
  template <typename Found>
  Status names(std::string_view key, std::initializer_list<std::string_view> known,
               Found&& found) const {
    const toml::node* node = get(key);
    if (node == nullptr) return {};
    const toml::array* array = node->as_array();
    if (array == nullptr) return reader_.wrong_type(*node, path(key), "an array of names");
    for (std::size_t i = 0; i < array->size(); ++i) {
      const std::string at = fmt::format("{}[{}]", path(key), i);
      std::string name;
      if (Status s = reader_.read_string((*array)[i], at, name); !s) return s;
      std::size_t match = known.size();
      std::string list;
      std::size_t k = 0;
      for (std::string_view candidate : known) {
        if (candidate == name) match = k;
        list += (list.empty() ? "" : ", ") + std::string(candidate);
        ++k;
      }
      if (match == known.size()) {
        return reader_.error_at((*array)[i], at,
                                fmt::format("unknown name \"{}\" (one of: {})", name, list));
      }
      found(match);
    }
    return {};
  }

  [[nodiscard]] const TomlReader& reader() const { return reader_; }

 private:
  const TomlReader& reader_;
  const toml::table* table_;
  std::string_view name_;
};

Status open_section(const TomlReader& reader, const toml::table& root, std::string_view name,
                    std::initializer_list<std::string_view> keys, const toml::table*& table) {
  table = nullptr;
  const toml::node* node = root.get(name);
  if (node == nullptr) return {};
  if (Status s = reader.expect_table(*node, name, table); !s) return s;
  return reader.check_keys(*table, name, keys);
}

Status read_disconnector(const TomlReader& reader, const toml::table& root,
                         DisconnectorConfig& out) {
  const toml::table* table = nullptr;
  if (Status s = open_section(reader, root, "disconnector", {"mode", "open_load"}, table); !s) {
    return s;
  }
  const SectionReader section(reader, table, "disconnector");
  if (Status s = section.integer("mode", 0, control_mode_max, out.mode); !s) return s;
  std::string open_load;
  if (Status s = section.string("open_load", open_load); !s) return s;
  if (const toml::node* node = section.get("open_load")) {
    const std::optional<OpenLoad> parsed = parse_open_load(open_load);
    if (!parsed) {
      return reader.error_at(*node, "disconnector.open_load",
                             fmt::format("\"{}\" is not suppress or meter", open_load));
    }
    out.open_load = *parsed;
  }
  return {};
}

Status read_action(const SectionReader& section, std::string_view key, LimiterAction& out) {
  std::string name;
  if (Status s = section.string(key, name); !s) return s;
  const toml::node* node = section.get(key);
  if (node == nullptr) return {};
  const std::optional<LimiterAction> action = parse_limiter_action(name);
  if (!action) {
    return section.reader().error_at(
        *node, section.path(key),
        fmt::format("unknown action \"{}\" (none, disconnect, reconnect)", name));
  }
  out = *action;
  return {};
}

// emergency_profile = { id = 1, start = "2026-01-15T17:00:00+01:00", duration = 3600 }
Status read_emergency_profile(const SectionReader& section, EmergencyProfile& out) {
  const toml::node* node = section.get("emergency_profile");
  if (node == nullptr) return {};
  const TomlReader& reader = section.reader();
  const std::string path = section.path("emergency_profile");
  const toml::table* table = nullptr;
  if (Status s = reader.expect_table(*node, path, table); !s) return s;
  if (Status s = reader.check_keys(*table, path, {"id", "start", "duration"}); !s) return s;
  const SectionReader profile(reader, table, path);
  if (Status s = profile.integer("id", 0, 65535, out.id); !s) return s;
  if (Status s =
          profile.integer("duration", 0, std::numeric_limits<std::uint32_t>::max(), out.duration_s);
      !s) {
    return s;
  }
  if (const toml::node* start = table->get("start")) {
    UtcMicros instant = 0;
    if (Status s = reader.read_instant(*start, profile.path("start"), instant); !s) return s;
    out.activation = instant;
  }
  return {};
}

Status read_limiter(const TomlReader& reader, const toml::table& root, LimiterConfig& out) {
  const toml::table* table = nullptr;
  if (Status s = open_section(reader, root, "limiter",
                              {"enabled", "value", "normal", "emergency", "min_over", "min_under",
                               "over", "under", "emergency_profile", "emergency_groups"},
                              table);
      !s) {
    return s;
  }
  if (table == nullptr) return {};
  const SectionReader section(reader, table, "limiter");
  out.enabled = true;
  if (Status s = section.boolean("enabled", out.enabled); !s) return s;
  if (Status s = section.string("value", out.value); !s) return s;
  if (out.enabled && section.get("normal") == nullptr) {
    return reader.error_at(*root.get("limiter"), "limiter",
                           "needs normal, the threshold (e.g. normal = 5000 for 5 kW)");
  }
  if (Status s = section.number("normal", out.threshold_normal); !s) return s;
  out.threshold_emergency = out.threshold_normal;
  if (Status s = section.number("emergency", out.threshold_emergency); !s) return s;
  const auto max_s = std::int64_t{limiter_duration_max_s};
  if (Status s = section.integer("min_over", 0, max_s, out.min_over_s); !s) return s;
  if (Status s = section.integer("min_under", 0, max_s, out.min_under_s); !s) return s;
  if (Status s = read_action(section, "over", out.over); !s) return s;
  if (Status s = read_action(section, "under", out.under); !s) return s;
  if (Status s = read_emergency_profile(section, out.emergency); !s) return s;
  if (const toml::node* node = section.get("emergency_groups")) {
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      return reader.wrong_type(*node, "limiter.emergency_groups", "an array of group ids");
    }
    out.emergency_groups.clear();
    for (std::size_t i = 0; i < array->size(); ++i) {
      std::int64_t id = 0;
      const std::string at = fmt::format("limiter.emergency_groups[{}]", i);
      if (Status s = reader.read_integer((*array)[i], at, id); !s) return s;
      if (id < 0 || id > 65535) {
        return reader.error_at((*array)[i], at, fmt::format("{} is outside 0..65535", id));
      }
      out.emergency_groups.push_back(static_cast<std::uint16_t>(id));
    }
  }
  return {};
}

Status read_prepayment(const TomlReader& reader, const toml::table& root, PrepaymentConfig& out) {
  const toml::table* table = nullptr;
  if (Status s = open_section(reader, root, "prepayment",
                              {"enabled", "low_credit", "emergency_credit", "friendly_hours",
                               "friendly_days", "friendly_special_days"},
                              table);
      !s) {
    return s;
  }
  if (table == nullptr) return {};
  const SectionReader section(reader, table, "prepayment");
  out.enabled = true;
  if (Status s = section.boolean("enabled", out.enabled); !s) return s;
  if (Status s = section.kilowatt_hours("low_credit", out.low_credit_wh); !s) return s;
  if (Status s = section.kilowatt_hours("emergency_credit", out.emergency_credit_wh); !s) {
    return s;
  }
  if (const toml::node* node = section.get("friendly_hours")) {
    const toml::array* array = node->as_array();
    if (array == nullptr || (array->size() != 0 && array->size() != 2)) {
      return reader.wrong_type(*node, "prepayment.friendly_hours",
                               "[from, to], two hours of the day, or [] for none");
    }
    std::array<int, 2> hours{0, 0};
    for (std::size_t i = 0; i < array->size(); ++i) {
      std::int64_t hour = 0;
      const std::string at = fmt::format("prepayment.friendly_hours[{}]", i);
      if (Status s = reader.read_integer((*array)[i], at, hour); !s) return s;
      if (hour < 0 || hour > 23) {
        return reader.error_at((*array)[i], at, fmt::format("hour {} is outside 0..23", hour));
      }
      hours[i] = static_cast<int>(hour);
    }
    out.friendly_from_hour = hours[0];
    out.friendly_to_hour = hours[1];
  }
  if (section.get("friendly_days") != nullptr) {
    out.friendly_weekdays = {};
    if (Status s = section.names(
            "friendly_days",
            {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"},
            [&](std::size_t day) { out.friendly_weekdays[day] = true; });
        !s) {
      return s;
    }
  }
  return section.boolean("friendly_special_days", out.friendly_special_days);
}

Status read_tamper(const TomlReader& reader, const toml::table& root, TamperConfig& out) {
  const toml::table* table = nullptr;
  if (Status s = open_section(reader, root, "tamper", {"disconnect"}, table); !s) return s;
  if (table == nullptr || table->get("disconnect") == nullptr) return {};
  const SectionReader section(reader, table, "tamper");
  out.disconnect = {};
  return section.names("disconnect", {"terminal_cover", "meter_cover", "magnetic_field"},
                       [&](std::size_t input) { out.disconnect[input] = true; });
}

Status read_fraud(const TomlReader& reader, const toml::table& root, FraudConfig& out) {
  const toml::table* table = nullptr;
  if (Status s = open_section(
          reader, root, "fraud",
          {"current_reversal", "current_without_voltage", "neutral_imbalance", "min_duration"},
          table);
      !s) {
    return s;
  }
  const SectionReader section(reader, table, "fraud");
  for (std::size_t i = 0; i < fraud_sign_count; ++i) {
    bool enabled = out.enabled[i];
    if (Status s = section.boolean(to_string(static_cast<FraudSign>(i)), enabled); !s) return s;
    out.enabled[i] = enabled;
  }
  return section.integer("min_duration", 0, fraud_duration_max_s, out.min_duration_s);
}

Status read_pulse_output(const TomlReader& reader, const toml::table& root,
                         PulseOutputConfig& out) {
  const toml::table* table = nullptr;
  if (Status s = open_section(reader, root, "pulse_output",
                              {"enabled", "register", "constant", "width", "gap"}, table);
      !s) {
    return s;
  }
  const SectionReader section(reader, table, "pulse_output");
  if (Status s = section.boolean("enabled", out.enabled); !s) return s;
  std::string register_text;
  if (Status s = section.string("register", register_text); !s) return s;
  if (const toml::node* node = section.get("register")) {
    const std::optional<EnergyKind> energy = pulse_register_of(register_text);
    if (!energy) {
      return reader.error_at(*node, "pulse_output.register",
                             fmt::format("\"{}\" is not one of the totals 1-0:1.8.0, 2.8.0, 3.8.0, "
                                         "4.8.0, 9.8.0, 10.8.0",
                                         register_text));
    }
    out.energy = *energy;
  }
  const auto max = std::int64_t{std::numeric_limits<std::uint32_t>::max()};
  if (Status s = section.integer("constant", 0, max, out.constant); !s) return s;
  if (Status s = section.integer("width", 0, max, out.width_ms); !s) return s;
  return section.integer("gap", 0, max, out.gap_ms);
}

// A threshold in shortest round-trip form (TOML reads "5000" as an integer, which converts
// back exactly; -0 would read back as 0).
std::string number_text(double value) { return fmt::format("{}", value == 0.0 ? 0.0 : value); }

std::string kwh_text(std::int64_t wh) {
  const std::int64_t magnitude = wh < 0 ? -wh : wh;
  return fmt::format("{}{}.{:03}", wh < 0 ? "-" : "", magnitude / 1000, magnitude % 1000);
}

template <std::size_t N, typename Name>
std::string name_list(const std::array<bool, N>& flags, Name&& name) {
  std::string list;
  for (std::size_t i = 0; i < N; ++i) {
    if (!flags[i]) continue;
    if (!list.empty()) list += ", ";
    list += toml_string(name(i));
  }
  return list;
}

}  // namespace

Status read_supply_config(const TomlReader& reader, const toml::table& root, MeterConfig& out) {
  if (Status s = read_disconnector(reader, root, out.disconnector); !s) return s;
  if (Status s = read_limiter(reader, root, out.limiter); !s) return s;
  if (Status s = read_prepayment(reader, root, out.prepayment); !s) return s;
  if (Status s = read_tamper(reader, root, out.tamper); !s) return s;
  if (Status s = read_fraud(reader, root, out.fraud); !s) return s;
  return read_pulse_output(reader, root, out.pulse_output);
}

std::string format_supply_config(const MeterConfig& config) {
  const DisconnectorConfig& disconnector = config.disconnector;
  const LimiterConfig& limiter = config.limiter;
  const PrepaymentConfig& prepayment = config.prepayment;
  const FraudConfig& fraud = config.fraud;
  const PulseOutputConfig& pulses = config.pulse_output;
  std::string groups;
  for (const std::uint16_t id : limiter.emergency_groups)
    groups += (groups.empty() ? "" : ", ") + std::to_string(id);
  const EmergencyProfile& emergency = limiter.emergency;
  const std::string start =
      emergency.activation
          ? fmt::format("start = {}, ", toml_string(format_utc_instant(*emergency.activation)))
          : std::string();
  const std::string friendly_hours =
      prepayment.friendly_from_hour == prepayment.friendly_to_hour
          ? std::string("[]")
          : fmt::format("[{}, {}]", prepayment.friendly_from_hour, prepayment.friendly_to_hour);
  std::string text = fmt::format(
      "[disconnector]\nmode = {}\nopen_load = {}\n\n"
      "[limiter]\nenabled = {}\nvalue = {}\nnormal = {}\nemergency = {}\nmin_over = {}\n"
      "min_under = {}\nover = {}\nunder = {}\n"
      "emergency_profile = {{ id = {}, {}duration = {} }}\nemergency_groups = [{}]\n\n",
      disconnector.mode, toml_string(to_string(disconnector.open_load)), limiter.enabled,
      toml_string(limiter.value), number_text(limiter.threshold_normal),
      number_text(limiter.threshold_emergency), limiter.min_over_s, limiter.min_under_s,
      toml_string(to_string(limiter.over)), toml_string(to_string(limiter.under)), emergency.id,
      start, emergency.duration_s, groups);
  text += fmt::format(
      "[prepayment]\nenabled = {}\nlow_credit = {}\nemergency_credit = {}\nfriendly_hours = {}\n"
      "friendly_days = [{}]\nfriendly_special_days = {}\n\n",
      prepayment.enabled, kwh_text(prepayment.low_credit_wh),
      kwh_text(prepayment.emergency_credit_wh), friendly_hours,
      name_list(prepayment.friendly_weekdays, [](std::size_t i) { return weekday_names[i]; }),
      prepayment.friendly_special_days);
  text += fmt::format("[tamper]\ndisconnect = [{}]\n\n",
                      name_list(config.tamper.disconnect, [](std::size_t i) {
                        return to_string(static_cast<TamperInput>(i));
                      }));
  text += fmt::format(
      "[fraud]\ncurrent_reversal = {}\ncurrent_without_voltage = {}\nneutral_imbalance = {}\n"
      "min_duration = {}\n\n",
      fraud.enabled[0], fraud.enabled[1], fraud.enabled[2], fraud.min_duration_s);
  text += fmt::format(
      "[pulse_output]\nenabled = {}\nregister = {}\nconstant = {}\nwidth = {}\ngap = {}\n\n",
      pulses.enabled, toml_string(to_string(pulse_register_obis(pulses.energy))), pulses.constant,
      pulses.width_ms, pulses.gap_ms);
  return text;
}

}  // namespace gridmeter::config
