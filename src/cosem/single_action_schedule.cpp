#include "cosem/single_action_schedule.hpp"

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint8_t, std::uint16_t

#include "cosem/calendar_values.hpp"
#include "cosem/script_table.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

constexpr std::uint8_t wildcard = CosemDateTime::not_specified;
constexpr std::uint16_t billing_script = 1;

}  // namespace

SingleActionSchedule::SingleActionSchedule(MeterAccess& access, Obis logical_name)
    : CosemObject(class_id_value, 0, logical_name), access_(access) {}

AttributeAccess SingleActionSchedule::attribute_access(int attribute) const {
  if (attribute == 4) return AttributeAccess::read_write;
  return CosemObject::attribute_access(attribute);
}

dlms::GetDataResult SingleActionSchedule::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  switch (attribute) {
    case 2:
      return Data::structure({octet_string(end_of_billing_script_table_obis.bytes()),
                              Data::unsigned16(billing_script)});
    case 3:
      return Data::enumeration(type_single_time_wildcard_date);
    default: {  // 4: the base class refused the rest
      const BillingConfig& billing = access_.meter().config().billing;
      const dlms::CosemTime time{static_cast<std::uint8_t>(billing.hour), 0, 0, 0};
      dlms::CosemDate date;  // year, month and weekday not specified
      date.day = static_cast<std::uint8_t>(billing.day);
      return Data::array(
          {Data::structure({octet_string(time.encode()), octet_string(date.encode())})});
    }
  }
}

dlms::DataAccessResult SingleActionSchedule::set_attribute(int /*attribute*/, const Data& value) {
  // Attribute 4, execution_time: array of structure { time, date }.
  if (value.type() != dlms::DataType::array) return DataAccessResult::type_unmatched;
  for (const Data& element : value.elements()) {
    const Data* fields = structure_fields(element, 2);
    if (fields == nullptr) return DataAccessResult::type_unmatched;
    for (std::size_t i = 0; i < 2; ++i) {
      const auto octets = fields[i].as_octets();
      const std::size_t size =
          i == 0 ? dlms::CosemTime::encoded_size : dlms::CosemDate::encoded_size;
      if (!octets || octets->size() != size) return DataAccessResult::type_unmatched;
    }
  }
  // Type 1 holds one execution time; the meter bills once a month.
  if (value.elements().size() != 1) return DataAccessResult::other_reason;
  const Data* fields = value.elements()[0].elements().data();
  const Result<dlms::CosemTime> time = dlms::CosemTime::decode(*fields[0].as_octets());
  const Result<dlms::CosemDate> date = dlms::CosemDate::decode(*fields[1].as_octets());
  if (!time || !date) return DataAccessResult::other_reason;
  const bool whole_hour = time->hour != wildcard && time->minute == 0 && time->second == 0 &&
                          (time->hundredths == 0 || time->hundredths == wildcard);
  const bool monthly = date->year == CosemDateTime::year_not_specified && date->month == wildcard &&
                       date->weekday == wildcard;
  if (!whole_hour || !monthly || date->day == wildcard) return DataAccessResult::other_reason;
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  config.billing.day = date->day;  // day_second_last, day_last: refused by validate() (> 28)
  config.billing.hour = time->hour;
  return reprogram(meter, config);
}

}  // namespace gridmeter::cosem
