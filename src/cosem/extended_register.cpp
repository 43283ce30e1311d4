#include "cosem/extended_register.hpp"

#include <cassert>  // assert
#include <utility>  // std::move

namespace gridmeter::cosem {

ExtendedRegister::ExtendedRegister(Obis logical_name, dlms::DataType value_type,
                                   ScalerUnit scaler_unit, ValueGetter value,
                                   CaptureTimeGetter capture_time)
    : CosemObject(class_id_value, 0, logical_name),
      value_type_(value_type),
      scaler_unit_(scaler_unit),
      value_(std::move(value)),
      capture_time_(std::move(capture_time)) {
  assert(value_);
  assert(capture_time_);
}

dlms::GetDataResult ExtendedRegister::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  switch (attribute) {
    case 2:
      return integer_data(value_type_, value_());
    case 3:
      return scaler_unit_data(scaler_unit_);
    case 4:
      return dlms::Data::unsigned8(0);
    default:  // 5: the base class refused the rest
      return date_time_octets(capture_time_());
  }
}

}  // namespace gridmeter::cosem
