#include "cosem/sap_assignment.hpp"

#include <utility>  // std::move

#include "cosem/calendar_values.hpp"

namespace gridmeter::cosem {

SapAssignment::SapAssignment(std::string logical_device_name, Obis logical_name)
    : CosemObject(class_id_value, 0, logical_name),
      logical_device_name_(std::move(logical_device_name)) {}

dlms::GetDataResult SapAssignment::get_attribute(
    int /*attribute*/, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  // Attribute 2, SAP_assignment_list.
  return dlms::Data::array({dlms::Data::structure(
      {dlms::Data::unsigned16(management_logical_device_sap), text_octets(logical_device_name_)})});
}

dlms::ActionOutcome SapAssignment::invoke(int /*method*/,
                                          const std::optional<dlms::Data>& parameters) {
  // Method 1, connect_logical_device (asslist_element).
  const dlms::Data* fields = parameters ? structure_fields(*parameters, 2) : nullptr;
  if (fields == nullptr || fields[0].type() != dlms::DataType::unsigned16 ||
      !fields[1].as_octets()) {
    return dlms::ActionOutcome{dlms::ActionResult::type_unmatched, std::nullopt};
  }
  return dlms::ActionOutcome{dlms::ActionResult::other_reason, std::nullopt};
}

}  // namespace gridmeter::cosem
