#include "cosem/register.hpp"

#include <cassert>  // assert
#include <utility>  // std::move

#include "cosem/calendar_values.hpp"

namespace gridmeter::cosem {

Register::Register(Obis logical_name, dlms::DataType value_type, ScalerUnit scaler_unit,
                   ValueGetter value, ValueSetter setter)
    : CosemObject(class_id_value, 0, logical_name),
      value_type_(value_type),
      scaler_unit_(scaler_unit),
      value_(std::move(value)),
      setter_(std::move(setter)) {
  assert(value_);
}

AttributeAccess Register::attribute_access(int attribute) const {
  if (attribute == 2 && setter_) return AttributeAccess::read_write;
  return CosemObject::attribute_access(attribute);
}

dlms::DataAccessResult Register::set_attribute(int /*attribute*/, const dlms::Data& value) {
  // Reached only for attribute 2 with a setter: nothing else is writable.
  std::int64_t number = 0;
  if (!read_integer(value, value_type_, number)) return dlms::DataAccessResult::type_unmatched;
  return setter_(number);
}

dlms::GetDataResult Register::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  if (attribute == 2) return integer_data(value_type_, value_());
  return scaler_unit_data(scaler_unit_);  // attribute 3: the base class refused the rest
}

}  // namespace gridmeter::cosem
