#include "app/profile_export.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <cerrno>   // errno
#include <cstdio>   // std::fopen
#include <cstdlib>  // std::strtod
#include <cstring>  // std::strerror

#include "core/date_time.hpp"

namespace gridmeter::app {
namespace {

bool ends_with_ignoring_case(std::string_view text, std::string_view suffix) {
  if (text.size() < suffix.size()) return false;
  const std::string_view tail = text.substr(text.size() - suffix.size());
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    const char c = tail[i];
    const char lower = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != suffix[i]) return false;
  }
  return true;
}

std::string column_header(const CaptureColumn& column) {
  std::string header = fmt::format("{}:{}", to_string(column.obis), column.attribute);
  const std::string_view unit = unit_symbol(column.unit);
  if (column.kind == ColumnKind::integer && !unit.empty()) header += fmt::format(" [{}]", unit);
  return header;
}

// The clock of an entry with the offset it was captured with.
std::string format_stamp(const EntryStamp& stamp) {
  TimeZone fixed = TimeZone::utc();
  fixed.standard_offset_min = stamp.utc_offset_min;
  return format_iso8601(stamp.time_utc_us, fixed);
}

std::string format_value(const CaptureColumn& column, std::int64_t value, const TimeZone& zone) {
  if (value == null_value) return {};
  if (column.kind == ColumnKind::date_time) return format_iso8601(value, zone);
  return format_scaled(value, column.scaler);
}

nlohmann::ordered_json json_value(const CaptureColumn& column, std::int64_t value,
                                  const TimeZone& zone) {
  if (value == null_value) return nullptr;
  if (column.kind == ColumnKind::date_time) return format_iso8601(value, zone);
  if (column.scaler == 0) return value;
  // The exact decimal text read back as a double: 235.12, not 235.11999999.
  return std::strtod(format_scaled(value, column.scaler).c_str(), nullptr);
}

}  // namespace

std::string format_scaled(std::int64_t value, int scaler) {
  if (scaler >= 0) {
    std::string text = std::to_string(value);
    if (value != 0) text.append(static_cast<std::size_t>(scaler), '0');
    return text;
  }
  const bool negative = value < 0;
  // Magnitude as unsigned, so the most negative value has one too.
  const std::uint64_t magnitude =
      negative ? 0U - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  std::string digits = std::to_string(magnitude);
  const auto decimals = static_cast<std::size_t>(-scaler);
  if (digits.size() <= decimals) digits.insert(0, decimals - digits.size() + 1, '0');
  const std::string whole = digits.substr(0, digits.size() - decimals);
  const std::string fraction = digits.substr(digits.size() - decimals);
  return (negative ? "-" : "") + whole + "." + fraction;
}

Result<ExportFormat> export_format_for(std::string_view path) {
  if (ends_with_ignoring_case(path, ".csv")) return ExportFormat::csv;
  if (ends_with_ignoring_case(path, ".json")) return ExportFormat::json;
  return make_error(
      fmt::format("'{}': the export format comes from the extension, .csv or .json", path));
}

std::string format_profile_csv(const Profile& profile, const TimeZone& zone) {
  std::string text = column_header(clock_column());
  for (const CaptureColumn& column : profile.columns())
    text += "," + column_header(column);
  text += "\n";
  for (std::size_t i = 0; i < profile.size(); ++i) {
    const ProfileEntry entry = profile.entry(i);
    text += format_stamp(entry.stamp);
    for (std::size_t c = 0; c < profile.width(); ++c) {
      text += ",";
      text += format_value(profile.columns()[c], entry.values[c], zone);
    }
    text += "\n";
  }
  return text;
}

std::string format_profile_json(const Profile& profile, const TimeZone& zone) {
  nlohmann::ordered_json document;
  document["obis"] = to_string(profile.obis());
  document["capture_period_s"] = profile.capture_period_s();
  document["entries_in_use"] = profile.size();
  document["profile_entries"] = profile.capacity();
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  const CaptureColumn clock = clock_column();
  auto describe = [](const CaptureColumn& column) {
    nlohmann::ordered_json item;
    item["obis"] = to_string(column.obis);
    item["attribute"] = column.attribute;
    item["class_id"] = column.class_id;
    item["name"] = column.name;
    if (column.kind == ColumnKind::date_time) {
      item["type"] = "date-time";
    } else {
      item["unit"] = std::string(unit_symbol(column.unit));
      item["scaler"] = column.scaler;
    }
    return item;
  };
  columns.push_back(describe(clock));
  for (const CaptureColumn& column : profile.columns())
    columns.push_back(describe(column));
  document["columns"] = std::move(columns);
  // One entry a line: readable, and a 90-day profile stays a few hundred kilobytes.
  std::string text = document.dump(1);
  text.resize(text.size() - 2);  // "\n}": the closing brace
  text += ",\n \"entries\": [";
  for (std::size_t i = 0; i < profile.size(); ++i) {
    const ProfileEntry entry = profile.entry(i);
    nlohmann::ordered_json row = nlohmann::ordered_json::array();
    row.push_back(format_stamp(entry.stamp));
    for (std::size_t c = 0; c < profile.width(); ++c)
      row.push_back(json_value(profile.columns()[c], entry.values[c], zone));
    text += (i == 0 ? "\n  " : ",\n  ") + row.dump();
  }
  text += profile.empty() ? "]\n}\n" : "\n ]\n}\n";
  return text;
}

Status export_profile(const Profile& profile, const std::string& path, const TimeZone& zone) {
  auto format = export_format_for(path);
  if (!format) return format.error();
  const std::string text = *format == ExportFormat::csv ? format_profile_csv(profile, zone)
                                                        : format_profile_json(profile, zone);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return make_error(fmt::format("cannot write '{}': {}", path, std::strerror(errno)));
  }
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed) return make_error(fmt::format("cannot write '{}'", path));
  return {};
}

Result<ExportRequest> parse_export_request(std::string_view text) {
  const std::size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    return make_error(
        fmt::format("--export '{}': expected OBIS=FILE, e.g. 1-0:99.1.0.255=lp.csv", text));
  }
  auto obis = parse_obis(text.substr(0, equals));
  if (!obis) return make_error(fmt::format("--export '{}': {}", text, obis.error().message));
  const std::string_view path = text.substr(equals + 1);
  if (path.empty()) return make_error(fmt::format("--export '{}': no file name", text));
  if (path.find('\0') != std::string_view::npos) {
    return make_error(fmt::format("--export: the file name holds a NUL byte"));
  }
  if (auto format = export_format_for(path); !format) {
    return make_error(fmt::format("--export: {}", format.error().message));
  }
  return ExportRequest{*obis, std::string(path)};
}

}  // namespace gridmeter::app
