#include "cosem/special_days_table.hpp"

#include <cstddef>   // std::size_t, std::ptrdiff_t
#include <cstdint>   // std::int64_t, std::uint8_t, std::uint16_t
#include <optional>  // std::optional
#include <utility>   // std::move
#include <vector>    // std::vector

#include "cosem/calendar_values.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;
using dlms::DataType;

Data entry_data(const SpecialDay& entry) {
  return Data::structure({Data::unsigned16(static_cast<std::uint16_t>(entry.index)),
                          octet_string(cosem_date(entry.date).encode()),
                          Data::unsigned8(static_cast<std::uint8_t>(entry.day_id))});
}

// spec_day_entry ::= structure { long-unsigned, octet-string (SIZE(5)), unsigned }.
DataAccessResult read_entry(const Data& value, SpecialDay& out) {
  const Data* fields = structure_fields(value, 3);
  std::int64_t index = 0;
  std::int64_t day_id = 0;
  if (fields == nullptr || !read_integer(fields[0], DataType::unsigned16, index) ||
      !read_integer(fields[2], DataType::unsigned8, day_id)) {
    return DataAccessResult::type_unmatched;
  }
  SpecialDay entry{static_cast<int>(index), CalendarDate{}, static_cast<int>(day_id)};
  if (DataAccessResult r = read_calendar_date(fields[1], entry.date);
      r != DataAccessResult::success) {
    return r;
  }
  out = entry;
  return DataAccessResult::success;
}

ActionResult action_result(DataAccessResult result) {
  switch (result) {
    case DataAccessResult::success:
      return ActionResult::success;
    case DataAccessResult::type_unmatched:
      return ActionResult::type_unmatched;
    default:
      return ActionResult::other_reason;
  }
}

}  // namespace

SpecialDaysTableObject::SpecialDaysTableObject(MeterAccess& access, Obis logical_name)
    : CosemObject(class_id_value, 0, logical_name), access_(access) {}

AttributeAccess SpecialDaysTableObject::attribute_access(int attribute) const {
  if (attribute == 2) return AttributeAccess::read_write;
  return CosemObject::attribute_access(attribute);
}

dlms::GetDataResult SpecialDaysTableObject::get_attribute(
    int /*attribute*/, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  // Attribute 2, entries, in the table's order.
  const SpecialDaysTable& table = access_.meter().config().calendar.special_days;
  std::vector<Data> entries;
  entries.reserve(table.entries.size());
  for (const SpecialDay& entry : table.entries)
    entries.push_back(entry_data(entry));
  return Data::array(std::move(entries));
}

dlms::DataAccessResult SpecialDaysTableObject::set_attribute(int /*attribute*/, const Data& value) {
  // Attribute 2, the whole table.
  if (value.type() != DataType::array) return DataAccessResult::type_unmatched;
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  if (value.elements().size() > special_day_count_max) return DataAccessResult::other_reason;
  std::vector<SpecialDay>& entries = config.calendar.special_days.entries;
  entries.clear();
  for (const Data& element : value.elements()) {
    SpecialDay entry;
    if (DataAccessResult r = read_entry(element, entry); r != DataAccessResult::success) return r;
    entries.push_back(entry);
  }
  return reprogram(meter, config);
}

dlms::ActionOutcome SpecialDaysTableObject::invoke(int method,
                                                   const std::optional<Data>& parameters) {
  const DataAccessResult result = method == 1 ? insert(parameters) : erase(parameters);
  return dlms::ActionOutcome{action_result(result), std::nullopt};
}

dlms::DataAccessResult SpecialDaysTableObject::insert(const std::optional<Data>& parameters) {
  SpecialDay entry;
  if (!parameters) return DataAccessResult::type_unmatched;
  if (DataAccessResult r = read_entry(*parameters, entry); r != DataAccessResult::success) {
    return r;
  }
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  std::vector<SpecialDay>& entries = config.calendar.special_days.entries;
  // The new entry takes the place of the first one it replaces (same index or same date);
  // every other one it replaces goes.
  std::optional<std::size_t> position;
  std::vector<SpecialDay> kept;
  kept.reserve(entries.size() + 1);
  for (const SpecialDay& existing : entries) {
    if (existing.index == entry.index || existing.date == entry.date) {
      if (!position) position = kept.size();
      continue;
    }
    kept.push_back(existing);
  }
  kept.insert(kept.begin() + static_cast<std::ptrdiff_t>(position.value_or(kept.size())), entry);
  entries = std::move(kept);
  return reprogram(meter, config);
}

dlms::DataAccessResult SpecialDaysTableObject::erase(const std::optional<Data>& parameters) {
  std::int64_t index = 0;
  if (!parameters || !read_integer(*parameters, DataType::unsigned16, index)) {
    return DataAccessResult::type_unmatched;
  }
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  std::vector<SpecialDay>& entries = config.calendar.special_days.entries;
  for (auto it = entries.begin(); it != entries.end(); ++it) {
    if (it->index != index) continue;
    entries.erase(it);
    return reprogram(meter, config);
  }
  // Nothing to delete: the client learns that the table did not change.
  return DataAccessResult::other_reason;
}

}  // namespace gridmeter::cosem
