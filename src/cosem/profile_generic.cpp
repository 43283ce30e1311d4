#include "cosem/profile_generic.hpp"

#include <algorithm>  // std::min
#include <limits>     // std::numeric_limits
#include <numeric>    // std::iota
#include <utility>    // std::move
#include <variant>    // std::get_if

#include "core/date_time.hpp"
#include "core/time.hpp"
#include "meter/prepayment.hpp"  // credit_obis, last_token_obis

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;
using dlms::DataType;

// Attribute numbers of class 7 (IEC 62056-6-2 clause 4.3.6).
constexpr int attribute_buffer = 2;
constexpr int attribute_capture_objects = 3;
constexpr int attribute_capture_period = 4;
constexpr int attribute_sort_method = 5;
constexpr int attribute_sort_object = 6;
constexpr int attribute_entries_in_use = 7;
constexpr int attribute_profile_entries = 8;

// sort_method (clause 4.3.6): 1 fifo, 2 lifo, 3 largest, 4 smallest, 5 nearest_to_zero,
// 6 farest_from_zero. The meter's Profile is a ring that overwrites its oldest entry.
constexpr std::uint8_t sort_method_fifo = 1;

bool is_energy(Unit unit) {
  return unit == Unit::watt_hour || unit == Unit::var_hour || unit == Unit::volt_ampere_hour;
}

bool is_unsigned(DataType type) {
  return type == DataType::unsigned8 || type == DataType::unsigned16 ||
         type == DataType::unsigned32 || type == DataType::unsigned64;
}

template <typename T>
bool fits(std::int64_t value) {
  // Every T used here is narrower than 64 bits, so its bounds are exact as std::int64_t.
  static_assert(sizeof(T) < sizeof(std::int64_t));
  return value >= std::int64_t{std::numeric_limits<T>::min()} &&
         value <= std::int64_t{std::numeric_limits<T>::max()};
}

// `value` as `type` when it fits; otherwise the 64-bit type of the same signedness (an unsigned
// column holding a negative value, which the meter never captures, becomes long64): a reading
// is never cut to fit.
Data integer_value(DataType type, std::int64_t value) {
  switch (type) {
    case DataType::unsigned8:
      if (fits<std::uint8_t>(value)) return Data::unsigned8(static_cast<std::uint8_t>(value));
      break;
    case DataType::unsigned16:
      if (fits<std::uint16_t>(value)) return Data::unsigned16(static_cast<std::uint16_t>(value));
      break;
    case DataType::unsigned32:
      if (fits<std::uint32_t>(value)) return Data::unsigned32(static_cast<std::uint32_t>(value));
      break;
    case DataType::integer32:
      if (fits<std::int32_t>(value)) return Data::integer32(static_cast<std::int32_t>(value));
      break;
    default:
      break;
  }
  if (is_unsigned(type) && value >= 0) return Data::unsigned64(static_cast<std::uint64_t>(value));
  return Data::integer64(value);
}

Data octet_string(const CosemDateTime& value) {
  const auto bytes = value.encode();
  return Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
}

Data double_long_unsigned(std::uint64_t value) {
  return Data::unsigned32(static_cast<std::uint32_t>(
      std::min<std::uint64_t>(value, std::numeric_limits<std::uint32_t>::max())));
}

// The only restricting object a range_descriptor may name: the clock's time (0-0:1.0.0.255,
// class 8, attribute 2), which every entry carries as its stamp.
dlms::CaptureObjectDefinition clock_definition() { return capture_object(clock_column()); }

// The capture objects in buffer order: the clock, then the profile's columns.
std::vector<dlms::CaptureObjectDefinition> capture_objects_of(const Profile& profile) {
  std::vector<dlms::CaptureObjectDefinition> definitions{clock_definition()};
  for (const CaptureColumn& column : profile.columns())
    definitions.push_back(capture_object(column));
  return definitions;
}

std::vector<std::size_t> all_positions(const Profile& profile) {
  std::vector<std::size_t> positions(profile.width() + 1);
  std::iota(positions.begin(), positions.end(), std::size_t{0});
  return positions;
}

}  // namespace

dlms::DataType column_type(const CaptureColumn& column) {
  if (column.kind == ColumnKind::date_time) return DataType::octet_string;
  // The token log's columns take their objects' types: the credit may be owed (negative), a
  // token identifier has up to 18 digits.
  if (column.obis == credit_obis) return DataType::integer32;
  if (column.obis == last_token_obis) return DataType::unsigned64;
  // Cumulative energy never decreases and is not negative (IDIS: double-long-unsigned).
  if (is_energy(column.unit)) return DataType::unsigned32;
  // IDIS AMR profile status (0-0:96.10.x.255): an 8-bit word.
  if (column.obis.c == 96 && column.obis.d == 10) return DataType::unsigned8;
  // IDIS event codes (0-0:96.11.x.255): long-unsigned, since vendor codes pass 255.
  if (column.obis.c == 96 && column.obis.d == 11) return DataType::unsigned16;
  // Billing period counter (0-b:0.1.0.255): counts up for the meter's life.
  if (column.obis.c == 0 && column.obis.d == 1) return DataType::unsigned32;
  // Demand in W, voltages, currents, powers, power factors: signed, scaled values.
  return DataType::integer32;
}

dlms::Data column_value(const CaptureColumn& column, std::int64_t value, const TimeZone& zone) {
  if (value == null_value) return Data::null();
  if (column.kind == ColumnKind::date_time) return octet_string(to_cosem(value, zone));
  return integer_value(column_type(column), value);
}

dlms::Data entry_clock(const EntryStamp& stamp) {
  // The stamp keeps the offset in force when the entry was captured: a zone fixed at that
  // offset gives the local fields the meter clock showed, and deviation -utc_offset_min.
  const TimeZone fixed{
      .standard_offset_min = stamp.utc_offset_min, .dst_offset_min = 0, .dst_enabled = false};
  CosemDateTime value = to_cosem(stamp.time_utc_us, fixed);
  // to_cosem marks a year it cannot carry as invalid; keep that, add the stamp's own bits.
  value.clock_status = static_cast<std::uint8_t>(value.clock_status | stamp.clock_status);
  return octet_string(value);
}

dlms::CaptureObjectDefinition capture_object(const CaptureColumn& column) {
  return dlms::CaptureObjectDefinition{.class_id = column.class_id,
                                       .logical_name = column.obis,
                                       .attribute_index = column.attribute,
                                       .data_index = 0};
}

ProfileGeneric::ProfileGeneric(Obis logical_name, ProfileGetter profile, ZoneGetter zone)
    : CosemObject(class_id_profile_generic, class_version, logical_name),
      profile_(std::move(profile)),
      zone_(std::move(zone)) {}

dlms::GetDataResult ProfileGeneric::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& selection) const {
  const Profile* profile = profile_();
  if (profile == nullptr) return DataAccessResult::object_unavailable;
  switch (attribute) {
    case attribute_buffer:
      return buffer(*profile, selection);
    case attribute_capture_objects: {
      std::vector<Data> definitions;
      for (const dlms::CaptureObjectDefinition& definition : capture_objects_of(*profile))
        definitions.push_back(definition.to_data());
      return Data::array(std::move(definitions));
    }
    case attribute_capture_period:
      return double_long_unsigned(
          static_cast<std::uint64_t>(std::max<std::int64_t>(profile->capture_period_s(), 0)));
    case attribute_sort_method:
      return Data::enumeration(sort_method_fifo);
    case attribute_sort_object:
      // Clause 4.3.6: with sort_method fifo the entries are kept in the order captured and the
      // sort object plays no part, so it is left undefined (class 0, all-zero logical name).
      // Naming the clock would claim an order the buffer does not keep: after the clock is set
      // back, an event log's newer entries carry earlier times.
      return dlms::CaptureObjectDefinition{.class_id = 0,
                                           .logical_name = Obis{0, 0, 0, 0, 0, 0},
                                           .attribute_index = 0,
                                           .data_index = 0}
          .to_data();
    case attribute_entries_in_use:
      return double_long_unsigned(profile->size());
    case attribute_profile_entries:
      return double_long_unsigned(profile->capacity());
    default:
      return DataAccessResult::object_undefined;
  }
}

dlms::ActionOutcome ProfileGeneric::invoke(int /*method*/,
                                           const std::optional<dlms::Data>& /*parameters*/) {
  // Method 1 reset and 2 capture (clause 4.3.6) would change the meter's logs, and the meter
  // core has no API yet to clear or capture a profile on request (Profile::clear() is the
  // store's, not a head-end's, and would skip the "load profile cleared" event). Refused until
  // the meter offers one.
  return dlms::ActionOutcome{dlms::ActionResult::read_write_denied, std::nullopt};
}

dlms::GetDataResult ProfileGeneric::buffer(
    const Profile& profile, const std::optional<dlms::AccessSelection>& selection) const {
  if (!selection) {
    return buffer_by_entry(profile, dlms::EntryDescriptor{});
  }
  Result<dlms::ProfileSelection> parsed = dlms::parse_profile_selection(*selection);
  // An unknown selector or malformed parameters: the request cannot be served as asked.
  if (!parsed) return DataAccessResult::other_reason;
  if (const auto* range = std::get_if<dlms::RangeDescriptor>(&*parsed)) {
    return buffer_by_range(profile, *range);
  }
  return buffer_by_entry(profile, std::get<dlms::EntryDescriptor>(*parsed));
}

dlms::GetDataResult ProfileGeneric::buffer_by_range(const Profile& profile,
                                                    const dlms::RangeDescriptor& range) const {
  // Clause 4.3.6 lets a range restrict by any capture object; the meter's entries are ordered
  // and stamped by the clock alone, so only the clock is supported. Another restricting object
  // is refused with other_reason rather than answered with an empty buffer, which a client
  // would take for "no entries in that range".
  if (range.restricting_object != clock_definition()) return DataAccessResult::other_reason;
  Result<CosemDateTime> from_value = range.from_value.as_date_time();
  Result<CosemDateTime> to_value = range.to_value.as_date_time();
  if (!from_value || !to_value) return DataAccessResult::type_unmatched;
  // Bounds name instants: wildcards (a recurring "any day at 10:00") are refused. A bound
  // without a deviation is local time in the meter's zone.
  const TimeZone& zone = zone_();
  Result<UtcMicros> from = from_cosem(*from_value, zone);
  Result<UtcMicros> to = from_cosem(*to_value, zone);
  if (!from || !to) return DataAccessResult::other_reason;

  // selected_values: the listed capture objects in the order listed; empty means all. An object
  // the profile does not capture cannot be answered.
  std::vector<std::size_t> positions;
  if (range.selected_values.empty()) {
    positions = all_positions(profile);
  } else {
    const std::vector<dlms::CaptureObjectDefinition> definitions = capture_objects_of(profile);
    for (const dlms::CaptureObjectDefinition& wanted : range.selected_values) {
      const auto found = std::find(definitions.begin(), definitions.end(), wanted);
      if (found == definitions.end()) return DataAccessResult::other_reason;
      positions.push_back(static_cast<std::size_t>(found - definitions.begin()));
    }
  }

  // Every entry is tested, not a bisected span: after the clock is set back an event log's
  // times are not monotonic. from <= time <= to, both included (clause 4.3.6).
  std::vector<Data> rows;
  for (std::size_t i = 0; i < profile.size(); ++i) {
    const UtcMicros time = profile.entry(i).stamp.time_utc_us;
    if (*from <= time && time <= *to) rows.push_back(row(profile, i, positions));
  }
  return Data::array(std::move(rows));
}

dlms::GetDataResult ProfileGeneric::buffer_by_entry(const Profile& profile,
                                                    const dlms::EntryDescriptor& entries) const {
  // Columns count the clock as 1 (clause 4.3.6: selected values are capture objects). The
  // columns are fixed by the profile, so a first column beyond them is a client error and is
  // refused; a last column beyond them means "to the last", as 0 does.
  const std::size_t column_count = profile.width() + 1;
  const std::size_t first_column = entries.from_selected_value;
  if (first_column < 1 || first_column > column_count) return DataAccessResult::other_reason;
  const std::size_t last_column =
      entries.to_selected_value == 0
          ? column_count
          : std::min<std::size_t>(entries.to_selected_value, column_count);
  std::vector<std::size_t> positions;
  for (std::size_t c = first_column; c <= last_column; ++c)
    positions.push_back(c - 1);

  // Entries come and go (the ring overwrites its oldest), so entries beyond those in use give
  // an empty array, not an error; to_entry 0 or beyond the end means the newest.
  const std::size_t entry_count = profile.size();
  const std::size_t first_entry = entries.from_entry;
  const std::size_t last_entry =
      entries.to_entry == 0 ? entry_count : std::min<std::size_t>(entries.to_entry, entry_count);
  std::vector<Data> rows;
  for (std::size_t e = std::max<std::size_t>(first_entry, 1); e <= last_entry; ++e)
    rows.push_back(row(profile, e - 1, positions));
  return Data::array(std::move(rows));
}

dlms::Data ProfileGeneric::row(const Profile& profile, std::size_t index,
                               const std::vector<std::size_t>& positions) const {
  const ProfileEntry entry = profile.entry(index);
  const std::vector<CaptureColumn>& columns = profile.columns();
  std::vector<Data> values;
  values.reserve(positions.size());
  for (const std::size_t position : positions) {
    if (position == 0) {
      values.push_back(entry_clock(entry.stamp));
    } else {
      values.push_back(column_value(columns[position - 1], entry.values[position - 1], zone_()));
    }
  }
  return Data::structure(std::move(values));
}

}  // namespace gridmeter::cosem
