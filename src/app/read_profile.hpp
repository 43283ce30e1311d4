// `gridmeter read --profile OBIS`: a Profile generic read with selective access
// (IEC 62056-6-2 clause 4.3.6: range_descriptor by the clock column, entry_descriptor by entry
// numbers), printed with a header naming each column by OBIS code, attribute and unit, as
// `gridmeter sim --export` writes the meter's own profiles.
//
//   ProfileQuery query{obis, ProfileSelection::entries(1, 96)};
//   auto table = read_remote_profile(meter, query);    // columns, entries
//   fmt::print("{}", format_remote_profile_csv(*table));
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>   // std::uint32_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "app/remote_meter.hpp"
#include "core/obis.hpp"
#include "core/result.hpp"

namespace gridmeter::app {

struct ProfileQuery {
  Obis obis;
  // --entries A:B (1-based, B 0 = to the last), or --from/--to (ISO 8601; a missing bound is
  // open), or nothing: the whole buffer.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> entries;
  std::optional<std::string> from;
  std::optional<std::string> to;
};

// "A:B" of --entries: A ≥ 1, B ≥ A or 0.
Result<std::pair<std::uint32_t, std::uint32_t>> parse_entry_range(std::string_view text);

struct RemoteColumn {
  std::uint16_t class_id = 0;
  Obis obis;
  int attribute = 0;
  ScalerUnit scaler_unit;
};

struct RemoteProfile {
  Obis obis;
  std::optional<std::uint32_t> capture_period_s;
  std::optional<std::uint32_t> entries_in_use;
  std::optional<std::uint32_t> profile_entries;
  std::vector<RemoteColumn> columns;
  std::vector<std::vector<dlms::Data>> entries;
};

Result<RemoteProfile> read_remote_profile(RemoteMeter& meter, const ProfileQuery& query);

std::string format_remote_profile_csv(const RemoteProfile& profile);
// Aligned columns for a terminal.
std::string format_remote_profile_table(const RemoteProfile& profile);
nlohmann::ordered_json remote_profile_json(const RemoteProfile& profile);

}  // namespace gridmeter::app
