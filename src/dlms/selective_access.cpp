#include "dlms/selective_access.hpp"

#include <fmt/format.h>

#include <cstdint>      // INT8_MIN, INT8_MAX, UINT16_MAX, UINT32_MAX
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::move

namespace gridmeter::dlms {
namespace {

// The members of a structure of exactly `members` elements.
Result<std::span<const Data>> structure_of(const Data& value, std::size_t members,
                                           std::string_view what) {
  if (value.type() != DataType::structure) {
    return make_error(
        fmt::format("{}: expected a structure, found {}", what, type_name(value.type())));
  }
  if (value.elements().size() != members) {
    return make_error(fmt::format("{}: expected a structure of {} elements, found {}", what,
                                  members, value.elements().size()));
  }
  return value.elements();
}

// Any integer type whose value lies in minimum..maximum.
Result<std::int64_t> integer_in(const Data& value, std::int64_t minimum, std::int64_t maximum,
                                std::string_view what) {
  if (auto number = value.as_int64(); number && *number >= minimum && *number <= maximum) {
    return *number;
  }
  if (auto big = value.as_uint64()) {
    return make_error(fmt::format("{}: {} is outside {}..{}", what, *big, minimum, maximum));
  }
  if (auto number = value.as_int64()) {
    return make_error(fmt::format("{}: {} is outside {}..{}", what, *number, minimum, maximum));
  }
  return make_error(
      fmt::format("{}: expected an integer, found {}", what, type_name(value.type())));
}

bool is_container(const Data& value) {
  return value.type() == DataType::array || value.type() == DataType::structure ||
         value.type() == DataType::compact_array;
}

Error within(std::string_view what, const Error& inner) {
  return make_error(fmt::format("{}: {}", what, inner.message));
}

Data definition_list(const std::vector<CaptureObjectDefinition>& definitions) {
  std::vector<Data> elements;
  elements.reserve(definitions.size());
  for (const CaptureObjectDefinition& definition : definitions)
    elements.push_back(definition.to_data());
  return Data::array(std::move(elements));
}

}  // namespace

Data CaptureObjectDefinition::to_data() const {
  return Data::structure({Data::unsigned16(class_id), Data::octets(logical_name.bytes()),
                          Data::integer8(attribute_index), Data::unsigned16(data_index)});
}

Result<CaptureObjectDefinition> CaptureObjectDefinition::from_data(const Data& value) {
  constexpr std::string_view what = "capture_object_definition";
  auto members = structure_of(value, 4, what);
  if (!members) return members.error();
  CaptureObjectDefinition definition;
  auto class_id = integer_in((*members)[0], 0, UINT16_MAX, "class_id");
  if (!class_id) return within(what, class_id.error());
  definition.class_id = static_cast<std::uint16_t>(*class_id);
  auto name = (*members)[1].as_obis();
  if (!name) {
    return make_error(
        fmt::format("{}: logical_name: expected an octet-string of 6 octets, found {}", what,
                    to_text((*members)[1])));
  }
  definition.logical_name = *name;
  auto attribute = integer_in((*members)[2], INT8_MIN, INT8_MAX, "attribute_index");
  if (!attribute) return within(what, attribute.error());
  definition.attribute_index = static_cast<std::int8_t>(*attribute);
  auto data_index = integer_in((*members)[3], 0, UINT16_MAX, "data_index");
  if (!data_index) return within(what, data_index.error());
  definition.data_index = static_cast<std::uint16_t>(*data_index);
  return definition;
}

Data RangeDescriptor::to_data() const {
  return Data::structure(
      {restricting_object.to_data(), from_value, to_value, definition_list(selected_values)});
}

Result<RangeDescriptor> RangeDescriptor::from_data(const Data& value) {
  constexpr std::string_view what = "range_descriptor";
  auto members = structure_of(value, 4, what);
  if (!members) return members.error();
  RangeDescriptor range;
  auto restricting = CaptureObjectDefinition::from_data((*members)[0]);
  if (!restricting) return within("range_descriptor: restricting_object", restricting.error());
  range.restricting_object = *restricting;
  if (is_container((*members)[1]) || is_container((*members)[2])) {
    return make_error(
        fmt::format("{}: from_value and to_value must be simple values, found {} "
                    "and {}",
                    what, type_name((*members)[1].type()), type_name((*members)[2].type())));
  }
  range.from_value = (*members)[1];
  range.to_value = (*members)[2];
  const Data& selected = (*members)[3];
  if (selected.type() != DataType::array) {
    return make_error(fmt::format("{}: selected_values: expected an array, found {}", what,
                                  type_name(selected.type())));
  }
  range.selected_values.reserve(selected.elements().size());
  for (std::size_t i = 0; i < selected.elements().size(); ++i) {
    auto definition = CaptureObjectDefinition::from_data(selected.elements()[i]);
    if (!definition) {
      return within(fmt::format("{}: selected_values element {}", what, i), definition.error());
    }
    range.selected_values.push_back(*definition);
  }
  return range;
}

Data EntryDescriptor::to_data() const {
  return Data::structure({Data::unsigned32(from_entry), Data::unsigned32(to_entry),
                          Data::unsigned16(from_selected_value),
                          Data::unsigned16(to_selected_value)});
}

Result<EntryDescriptor> EntryDescriptor::from_data(const Data& value) {
  constexpr std::string_view what = "entry_descriptor";
  auto members = structure_of(value, 4, what);
  if (!members) return members.error();
  const std::string_view names[] = {"from_entry", "to_entry", "from_selected_value",
                                    "to_selected_value"};
  const std::int64_t maxima[] = {UINT32_MAX, UINT32_MAX, UINT16_MAX, UINT16_MAX};
  std::int64_t fields[4] = {};
  for (std::size_t i = 0; i < 4; ++i) {
    auto field = integer_in((*members)[i], 0, maxima[i], names[i]);
    if (!field) return within(what, field.error());
    fields[i] = *field;
  }
  // Entries and columns are numbered from 1; 0 is only meaningful as "to the last".
  for (std::size_t i = 0; i < 4; i += 2) {
    if (fields[i] == 0) {
      return make_error(fmt::format("{}: {} is 0; the first is 1", what, names[i]));
    }
    if (fields[i + 1] != 0 && fields[i + 1] < fields[i]) {
      return make_error(fmt::format("{}: {} {} is below {} {}", what, names[i + 1], fields[i + 1],
                                    names[i], fields[i]));
    }
  }
  return EntryDescriptor{
      static_cast<std::uint32_t>(fields[0]), static_cast<std::uint32_t>(fields[1]),
      static_cast<std::uint16_t>(fields[2]), static_cast<std::uint16_t>(fields[3])};
}

AccessSelection to_access_selection(const ProfileSelection& selection) {
  if (const auto* range = std::get_if<RangeDescriptor>(&selection)) {
    return AccessSelection{range_descriptor_selector, range->to_data()};
  }
  return AccessSelection{entry_descriptor_selector, std::get<EntryDescriptor>(selection).to_data()};
}

Result<ProfileSelection> parse_profile_selection(const AccessSelection& access) {
  if (access.selector == range_descriptor_selector) {
    auto range = RangeDescriptor::from_data(access.parameters);
    if (!range) return range.error();
    return ProfileSelection{std::move(*range)};
  }
  if (access.selector == entry_descriptor_selector) {
    auto entry = EntryDescriptor::from_data(access.parameters);
    if (!entry) return entry.error();
    return ProfileSelection{*entry};
  }
  return make_error(
      fmt::format("access selector {} is neither range_descriptor (1) nor "
                  "entry_descriptor (2)",
                  access.selector));
}

}  // namespace gridmeter::dlms
