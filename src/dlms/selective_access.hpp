// Selective access to Profile generic's buffer (IEC 62056-6-2, interface class 7, attribute 2):
// the parameters of access selector 1 (range_descriptor) and 2 (entry_descriptor), read from
// and built into the Data that travels in an AccessSelection.
//
//   EntryDescriptor last_ten{.from_entry = 1, .to_entry = 10};   // entries 1..10, all columns
//   AccessSelection access = to_access_selection(last_ten);
//       // selector 2, parameters 02 04 06 00000001 06 0000000A 12 0001 12 0000
//
//   Result<ProfileSelection> wanted = parse_profile_selection(*request.access);
//   if (!wanted) { ... answer DataAccessResult::other_reason ... }
//   if (auto* range = std::get_if<RangeDescriptor>(&*wanted)) {
//     range->restricting_object.logical_name == Obis{0, 0, 1, 0, 0, 255};   // by clock time
//   }
//
// Parsing checks the shape (a structure of the right members, a 6-octet logical name, arrays
// where arrays belong) and the ranges the Blue Book gives: entries and columns count from 1, and
// 0 as the upper bound means "to the last". Integers are accepted in any integer type whose
// value fits, since clients disagree on widths; building always uses the Blue Book's types.
#pragma once

#include <cstdint>  // std::uint8_t, std::uint16_t, std::uint32_t, std::int8_t
#include <variant>  // std::variant
#include <vector>   // std::vector

#include "core/obis.hpp"
#include "core/result.hpp"
#include "dlms/data.hpp"
#include "dlms/xdlms_common.hpp"

namespace gridmeter::dlms {

inline constexpr std::uint8_t range_descriptor_selector = 1;
inline constexpr std::uint8_t entry_descriptor_selector = 2;

// capture_object_definition: one column of a profile, as in attribute 3 (capture_objects).
//   structure { class_id long-unsigned, logical_name octet-string[6], attribute_index integer,
//               data_index long-unsigned }
struct CaptureObjectDefinition {
  std::uint16_t class_id = 0;
  Obis logical_name;
  std::int8_t attribute_index = 0;
  std::uint16_t data_index = 0;  // 0: the whole attribute; n: its n-th element

  [[nodiscard]] Data to_data() const;
  static Result<CaptureObjectDefinition> from_data(const Data& value);

  friend constexpr bool operator==(const CaptureObjectDefinition&,
                                   const CaptureObjectDefinition&) = default;
};

// range_descriptor (selector 1): the entries whose restricting object (usually the clock,
// class 8 0-0:1.0.0.255 attribute 2) lies from from_value to to_value, both included, and of
// those the columns in selected_values (all of them when empty).
struct RangeDescriptor {
  CaptureObjectDefinition restricting_object;
  Data from_value;  // a simple value of the restricting object's type (a date-time octet-string)
  Data to_value;
  std::vector<CaptureObjectDefinition> selected_values;

  [[nodiscard]] Data to_data() const;
  // from_value and to_value must be simple values: not arrays, structures or compact-arrays.
  static Result<RangeDescriptor> from_data(const Data& value);

  friend bool operator==(const RangeDescriptor&, const RangeDescriptor&) = default;
};

// entry_descriptor (selector 2): entries from_entry..to_entry (1 is the oldest; to_entry 0 the
// newest) and columns from_selected_value..to_selected_value (1 the first; 0 the last).
struct EntryDescriptor {
  std::uint32_t from_entry = 1;
  std::uint32_t to_entry = 0;
  std::uint16_t from_selected_value = 1;
  std::uint16_t to_selected_value = 0;

  [[nodiscard]] Data to_data() const;
  // Refuses from_entry or from_selected_value 0, and an upper bound (other than 0) below its
  // lower bound.
  static Result<EntryDescriptor> from_data(const Data& value);

  friend constexpr bool operator==(const EntryDescriptor&, const EntryDescriptor&) = default;
};

using ProfileSelection = std::variant<RangeDescriptor, EntryDescriptor>;

AccessSelection to_access_selection(const ProfileSelection& selection);
// Selector 1 or 2 with valid parameters; any other selector is an error.
Result<ProfileSelection> parse_profile_selection(const AccessSelection& access);

}  // namespace gridmeter::dlms
