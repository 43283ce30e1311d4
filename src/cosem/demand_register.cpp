#include "cosem/demand_register.hpp"

#include <cassert>  // assert
#include <utility>  // std::move

namespace gridmeter::cosem {

DemandRegister::DemandRegister(Obis logical_name, dlms::DataType value_type, ScalerUnit scaler_unit,
                               Getter readout)
    : CosemObject(class_id_value, 0, logical_name),
      value_type_(value_type),
      scaler_unit_(scaler_unit),
      readout_(std::move(readout)) {
  assert(readout_);
}

dlms::GetDataResult DemandRegister::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  if (attribute == 4) return scaler_unit_data(scaler_unit_);
  if (attribute == 5) return dlms::Data::unsigned8(0);  // no status bits kept
  const DemandReadout readout = readout_();
  switch (attribute) {
    case 2:
      return integer_data(value_type_, readout.current_average);
    case 3:
      return integer_data(value_type_, readout.last_average);
    case 6:
      return date_time_octets(readout.capture_time);
    case 7:
      return date_time_octets(readout.start_time_current);
    case 8:
      return dlms::Data::unsigned32(readout.period_s);
    default:  // 9: the base class refused the rest
      return dlms::Data::unsigned16(readout.number_of_periods);
  }
}

}  // namespace gridmeter::cosem
