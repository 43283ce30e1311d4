#include "app/read_profile.hpp"

#include <fmt/format.h>

#include <algorithm>  // std::max
#include <charconv>   // std::from_chars

#include "app/value_text.hpp"
#include "dlms/selective_access.hpp"
#include "dlms/unit_names.hpp"

namespace gridmeter::app {
namespace {

using dlms::Data;

constexpr std::uint16_t clock_class_id = 8;
const Obis clock_obis{0, 0, 1, 0, 0, 255};
// Open bounds of a range: far enough to hold any profile a meter keeps.
constexpr std::string_view earliest = "2000-01-01T00:00:00";
constexpr std::string_view latest = "2099-12-31T23:59:59";

Result<Data> value_or_error(const Result<dlms::GetDataResult>& read, std::string_view what) {
  if (!read) return read.error();
  if (const auto* refused = std::get_if<dlms::DataAccessResult>(&*read)) {
    return make_error(fmt::format("{}: {}", what, dlms::to_string(*refused)));
  }
  return std::get<Data>(*read);
}

std::optional<std::uint32_t> counter(RemoteMeter& meter, const Obis& obis, int attribute) {
  auto read = meter.get(obis, 7, attribute);
  if (!read) return std::nullopt;
  const auto* value = std::get_if<Data>(&*read);
  if (value == nullptr) return std::nullopt;
  const auto number = value->as_uint64();
  if (!number || *number > 0xFFFF'FFFFU) return std::nullopt;
  return static_cast<std::uint32_t>(*number);
}

// The range bounds as the meter's clock writes date-times: at its current deviation.
Result<dlms::AccessSelection> range_selection(RemoteMeter& meter, const ProfileQuery& query) {
  auto clock = value_or_error(meter.get(clock_obis, clock_class_id, 2), "the meter's clock");
  if (!clock) return clock.error();
  auto from = parse_value_like(query.from ? *query.from : earliest, *clock);
  if (!from) return make_error(fmt::format("--from: {}", from.error().message));
  auto to = parse_value_like(query.to ? *query.to : latest, *clock);
  if (!to) return make_error(fmt::format("--to: {}", to.error().message));
  dlms::RangeDescriptor range;
  range.restricting_object = {clock_class_id, clock_obis, 2, 0};
  range.from_value = std::move(*from);
  range.to_value = std::move(*to);
  return dlms::to_access_selection(range);
}

std::string column_header(const RemoteColumn& column) {
  std::string header = attribute_name(column.obis, column.attribute);
  if (column.scaler_unit.known) {
    const std::string unit = dlms::unit_symbol(column.scaler_unit.unit);
    if (!unit.empty()) header += fmt::format(" [{}]", unit);
  }
  return header;
}

std::string cell_text(const Data& value, const RemoteColumn& column) {
  if (value.type() == dlms::DataType::null_data) return {};
  return display_value(value, column.scaler_unit.scaler);
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (const char c : text) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

}  // namespace

Result<std::pair<std::uint32_t, std::uint32_t>> parse_entry_range(std::string_view text) {
  const std::size_t colon = text.find(':');
  auto number = [](std::string_view part) -> std::optional<std::uint32_t> {
    std::uint32_t value = 0;
    const auto [end, error] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (part.empty() || error != std::errc{} || end != part.data() + part.size()) {
      return std::nullopt;
    }
    return value;
  };
  const auto from = number(text.substr(0, colon));
  const auto to = colon == std::string_view::npos ? from : number(text.substr(colon + 1));
  if (!from || !to || *from == 0 || (*to != 0 && *to < *from)) {
    return make_error(
        fmt::format("--entries \"{}\": expected A:B with 1 <= A <= B (B 0 for the newest)", text));
  }
  return std::pair{*from, *to};
}

Result<RemoteProfile> read_remote_profile(RemoteMeter& meter, const ProfileQuery& query) {
  RemoteProfile profile;
  profile.obis = query.obis;
  const std::string name = to_string(query.obis);
  auto captured = value_or_error(meter.get(query.obis, 7, 3), name + " capture_objects");
  if (!captured) return captured.error();
  for (const Data& element : captured->elements()) {
    auto definition = dlms::CaptureObjectDefinition::from_data(element);
    if (!definition)
      return make_error(fmt::format("{} capture_objects: {}", name, definition.error().message));
    RemoteColumn column;
    column.class_id = definition->class_id;
    column.obis = definition->logical_name;
    column.attribute = definition->attribute_index;
    column.scaler_unit = meter.scaler_unit_of(column.obis, column.class_id, column.attribute);
    profile.columns.push_back(column);
  }
  profile.capture_period_s = counter(meter, query.obis, 4);
  profile.entries_in_use = counter(meter, query.obis, 7);
  profile.profile_entries = counter(meter, query.obis, 8);

  std::optional<dlms::AccessSelection> access;
  if (query.entries) {
    dlms::EntryDescriptor entries;
    entries.from_entry = query.entries->first;
    entries.to_entry = query.entries->second;
    access = dlms::to_access_selection(entries);
  } else if (query.from || query.to) {
    auto range = range_selection(meter, query);
    if (!range) return range.error();
    access = std::move(*range);
  }
  auto buffer = value_or_error(meter.get(query.obis, 7, 2, access), name + " buffer");
  if (!buffer) return buffer.error();
  for (const Data& entry : buffer->elements()) {
    const auto values = entry.elements();
    if (values.size() != profile.columns.size()) {
      return make_error(fmt::format("{} buffer: an entry of {} values for {} columns", name,
                                    values.size(), profile.columns.size()));
    }
    profile.entries.emplace_back(values.begin(), values.end());
  }
  return profile;
}

std::string format_remote_profile_csv(const RemoteProfile& profile) {
  std::string text;
  for (std::size_t i = 0; i < profile.columns.size(); ++i)
    text += (i == 0 ? "" : ",") + csv_field(column_header(profile.columns[i]));
  text += '\n';
  for (const auto& entry : profile.entries) {
    for (std::size_t i = 0; i < entry.size(); ++i)
      text += (i == 0 ? "" : ",") + csv_field(cell_text(entry[i], profile.columns[i]));
    text += '\n';
  }
  return text;
}

std::string format_remote_profile_table(const RemoteProfile& profile) {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> header;
  for (const RemoteColumn& column : profile.columns)
    header.push_back(column_header(column));
  rows.push_back(std::move(header));
  for (const auto& entry : profile.entries) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < entry.size(); ++i)
      row.push_back(cell_text(entry[i], profile.columns[i]));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> widths(profile.columns.size(), 0);
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i)
      widths[i] = std::max(widths[i], row[i].size());
  }
  std::string text;
  for (const auto& row : rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      text += fmt::format("{}{:>{}}", i == 0 ? "" : "  ", row[i], widths[i]);
    }
    text += '\n';
  }
  return text;
}

nlohmann::ordered_json remote_profile_json(const RemoteProfile& profile) {
  nlohmann::ordered_json json;
  json["obis"] = to_string(profile.obis);
  auto optional_number = [](const std::optional<std::uint32_t>& value) {
    return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
  };
  json["capture_period_s"] = optional_number(profile.capture_period_s);
  json["entries_in_use"] = optional_number(profile.entries_in_use);
  json["profile_entries"] = optional_number(profile.profile_entries);
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  for (const RemoteColumn& column : profile.columns) {
    nlohmann::ordered_json entry;
    entry["obis"] = to_string(column.obis);
    entry["attribute"] = column.attribute;
    entry["class_id"] = column.class_id;
    if (column.scaler_unit.known) {
      entry["unit"] = dlms::unit_symbol(column.scaler_unit.unit);
      entry["scaler"] = column.scaler_unit.scaler;
    }
    columns.push_back(std::move(entry));
  }
  json["columns"] = std::move(columns);
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const auto& row : profile.entries) {
    nlohmann::ordered_json values = nlohmann::ordered_json::array();
    for (std::size_t i = 0; i < row.size(); ++i) {
      values.push_back(json_value(row[i], profile.columns[i].scaler_unit.scaler));
    }
    entries.push_back(std::move(values));
  }
  json["entries"] = std::move(entries);
  return json;
}

}  // namespace gridmeter::app
