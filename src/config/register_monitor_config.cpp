#include "config/register_monitor_config.hpp"

#include <fmt/format.h>

#include <cstddef>      // std::size_t
#include <optional>     // std::optional
#include <string_view>  // std::string_view
#include <utility>      // std::move

namespace gridmeter::config {
namespace {

constexpr std::string_view section_name = "register_monitor";

// An array of `count` script names at `key`, or all "none" when the key is absent.
Status read_scripts(const TomlReader& reader, const toml::table& table, std::string_view path,
                    std::string_view key, std::vector<MonitorThreshold>& thresholds, bool up) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return {};
  const std::string key_path = member_path(path, key);
  const toml::array* array = node->as_array();
  if (array == nullptr) return reader.wrong_type(*node, key_path, "an array of script names");
  if (array->size() != thresholds.size()) {
    return reader.error_at(*node, key_path,
                           fmt::format("{} scripts for {} thresholds (one per threshold)",
                                       array->size(), thresholds.size()));
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string element_path = fmt::format("{}[{}]", key_path, i);
    std::string name;
    if (Status s = reader.read_string((*array)[i], element_path, name); !s) return s;
    const std::optional<MonitorScript> script = parse_monitor_script(name);
    if (!script) {
      return reader.error_at((*array)[i], element_path,
                             fmt::format("unknown script \"{}\" (none, end_of_billing, "
                                         "disconnect, reconnect)",
                                         name));
    }
    (up ? thresholds[i].up : thresholds[i].down) = *script;
  }
  return {};
}

Status read_monitor(const TomlReader& reader, const toml::node& node, std::string_view path,
                    RegisterMonitorConfig& out) {
  const toml::table* table = nullptr;
  if (Status s = reader.expect_table(node, path, table); !s) return s;
  if (Status s = reader.check_keys(*table, path, {"value", "thresholds", "up", "down"}); !s) {
    return s;
  }
  const toml::node* value = table->get("value");
  if (value == nullptr) return reader.error_at(node, path, "needs a value (e.g. value = \"u_l1\")");
  if (Status s = reader.read_string(*value, member_path(path, "value"), out.value); !s) return s;

  const std::string thresholds_path = member_path(path, "thresholds");
  const toml::node* thresholds = table->get("thresholds");
  if (thresholds == nullptr) {
    return reader.error_at(node, path, "needs thresholds (e.g. thresholds = [253.0])");
  }
  const toml::array* array = thresholds->as_array();
  if (array == nullptr)
    return reader.wrong_type(*thresholds, thresholds_path, "an array of numbers");
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = (*array)[i];
    MonitorThreshold threshold;
    if (const auto* integer = element.as_integer()) {
      threshold.value = static_cast<double>(integer->get());
    } else if (const auto* floating = element.as_floating_point()) {
      threshold.value = floating->get();
    } else {
      return reader.wrong_type(element, fmt::format("{}[{}]", thresholds_path, i), "a number");
    }
    out.thresholds.push_back(threshold);
  }
  if (Status s = read_scripts(reader, *table, path, "up", out.thresholds, true); !s) return s;
  return read_scripts(reader, *table, path, "down", out.thresholds, false);
}

std::string script_list(const std::vector<MonitorThreshold>& thresholds, bool up) {
  std::string list;
  for (const MonitorThreshold& threshold : thresholds) {
    if (!list.empty()) list += ", ";
    list += toml_string(to_string(up ? threshold.up : threshold.down));
  }
  return list;
}

}  // namespace

Status read_register_monitors(const TomlReader& reader, const toml::table& root,
                              std::vector<RegisterMonitorConfig>& out) {
  const toml::node* node = root.get(section_name);
  if (node == nullptr) return {};
  const toml::array* array = node->as_array();
  if (array == nullptr) {
    return reader.wrong_type(*node, section_name, "an array of tables ([[register_monitor]])");
  }
  std::vector<RegisterMonitorConfig> monitors(array->size());
  for (std::size_t m = 0; m < array->size(); ++m) {
    const std::string path = fmt::format("{}[{}]", section_name, m);
    if (Status s = read_monitor(reader, (*array)[m], path, monitors[m]); !s) return s;
  }
  out = std::move(monitors);
  return {};
}

std::string format_register_monitors(const std::vector<RegisterMonitorConfig>& monitors) {
  std::string text;
  for (const RegisterMonitorConfig& monitor : monitors) {
    std::string values;
    for (const MonitorThreshold& threshold : monitor.thresholds) {
      if (!values.empty()) values += ", ";
      // Shortest text that reads back as the same double; TOML reads "5000" as an integer,
      // which converts back exactly.
      // -0 would read back as the integer 0 and then be written differently.
      values += fmt::format("{}", threshold.value == 0.0 ? 0.0 : threshold.value);
    }
    text += fmt::format(
        "[[register_monitor]]\nvalue = {}\nthresholds = [{}]\nup = [{}]\ndown = [{}]\n\n",
        toml_string(monitor.value), values, script_list(monitor.thresholds, true),
        script_list(monitor.thresholds, false));
  }
  return text;
}

}  // namespace gridmeter::config
