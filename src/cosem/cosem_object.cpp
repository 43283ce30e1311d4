#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

AttributeAccess CosemObject::attribute_access(int attribute) const {
  return attribute >= 1 && attribute <= attribute_count() ? AttributeAccess::read
                                                          : AttributeAccess::none;
}

dlms::GetDataResult CosemObject::get(int attribute,
                                     const std::optional<dlms::AccessSelection>& selection) const {
  if (attribute < 1 || attribute > attribute_count()) {
    return dlms::DataAccessResult::object_undefined;
  }
  if (selection && !selective_access(attribute)) return dlms::DataAccessResult::other_reason;
  if (attribute == 1) {
    const auto bytes = logical_name_.bytes();
    return dlms::Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
  }
  return get_attribute(attribute, selection);
}

dlms::DataAccessResult CosemObject::set(int attribute, const dlms::Data& value) {
  if (attribute < 1 || attribute > attribute_count()) {
    return dlms::DataAccessResult::object_undefined;
  }
  const AttributeAccess access = attribute_access(attribute);
  if (access != AttributeAccess::write && access != AttributeAccess::read_write) {
    return dlms::DataAccessResult::read_write_denied;
  }
  return set_attribute(attribute, value);
}

dlms::ActionOutcome CosemObject::action(int method, const std::optional<dlms::Data>& parameters) {
  if (method < 1 || method > method_count()) {
    return dlms::ActionOutcome{dlms::ActionResult::object_undefined, std::nullopt};
  }
  return invoke(method, parameters);
}

dlms::DataAccessResult CosemObject::set_attribute(int /*attribute*/, const dlms::Data& /*value*/) {
  return dlms::DataAccessResult::read_write_denied;
}

dlms::ActionOutcome CosemObject::invoke(int /*method*/,
                                        const std::optional<dlms::Data>& /*parameters*/) {
  return dlms::ActionOutcome{dlms::ActionResult::read_write_denied, std::nullopt};
}

}  // namespace gridmeter::cosem
