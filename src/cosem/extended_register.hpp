// Extended register (interface class 4, version 0; IEC 62056-6-2 clause 4.3.3): a Register that
// also says when its value was captured. Attributes 2 `value`, 3 `scaler_unit`, 4 `status`,
// 5 `capture_time` (octet-string of 12, a COSEM date-time); method 1 `reset`.
//
//   ExtendedRegister max_demand(Obis{1, 0, 1, 6, 0, 255}, DataType::unsigned32,
//                               {0, Unit::watt}, [&] { return ...W...; },
//                               [&] { return ...CosemDateTime of the capture...; });
//   max_demand.get(5, std::nullopt);   // octet-string 07EA0107030A1E0000FFC400
//
// gridmeter uses it for maximum demand (1-0:1.6.e.255, 2.6.e.255), whose capture time is the
// end of the integration period that set the maximum; before any maximum the capture time has
// every field "not specified". `status` carries no status bits (unsigned 0): the meter keeps
// none for a maximum, and the Blue Book leaves the status type to the object. Reset is refused:
// maxima return to zero only at the end of a billing period.
#pragma once

#include <cstdint>     // std::int64_t
#include <functional>  // std::function
#include <optional>    // std::optional

#include "core/date_time.hpp"
#include "cosem/attribute_values.hpp"
#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

class ExtendedRegister final : public CosemObject {
 public:
  using ValueGetter = std::function<std::int64_t()>;
  using CaptureTimeGetter = std::function<CosemDateTime()>;

  static constexpr std::uint16_t class_id_value = 4;

  ExtendedRegister(Obis logical_name, dlms::DataType value_type, ScalerUnit scaler_unit,
                   ValueGetter value, CaptureTimeGetter capture_time);

  [[nodiscard]] int attribute_count() const override { return 5; }
  [[nodiscard]] int method_count() const override { return 1; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;

 private:
  dlms::DataType value_type_;
  ScalerUnit scaler_unit_;
  ValueGetter value_;
  CaptureTimeGetter capture_time_;
};

}  // namespace gridmeter::cosem
