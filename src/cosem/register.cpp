#include "cosem/register.hpp"

#include <cassert>  // assert
#include <utility>  // std::move

namespace gridmeter::cosem {

Register::Register(Obis logical_name, dlms::DataType value_type, ScalerUnit scaler_unit,
                   ValueGetter value)
    : CosemObject(class_id_value, 0, logical_name),
      value_type_(value_type),
      scaler_unit_(scaler_unit),
      value_(std::move(value)) {
  assert(value_);
}

dlms::GetDataResult Register::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  if (attribute == 2) return integer_data(value_type_, value_());
  return scaler_unit_data(scaler_unit_);  // attribute 3: the base class refused the rest
}

}  // namespace gridmeter::cosem
