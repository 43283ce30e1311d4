// Demand register (interface class 5, version 0; IEC 62056-6-2 clause 4.3.4): the mean power of
// a sliding (or block) demand window. Attributes 2 `current_average_value`, 3
// `last_average_value`, 4 `scaler_unit`, 5 `status`, 6 `capture_time` (of the last average),
// 7 `start_time_current`, 8 `period` (s, double-long-unsigned), 9 `number_of_periods`
// (long-unsigned); methods 1 `reset`, 2 `next_period`.
//
//   DemandRegister a_plus(Obis{1, 0, 1, 4, 0, 255}, DataType::unsigned32, {0, Unit::watt},
//                         [&access] { return DemandReadout{...from DemandState...}; });
//   a_plus.get(3, std::nullopt);          // double-long-unsigned 2000: the last full window
//   a_plus.get(8, std::nullopt);          // double-long-unsigned 900: one sub-period
//
// As in IDIS, one object 1-0:C.4.0.255 carries both the running average (attribute 2) and the
// last completed one (attribute 3). `period` is the sub-period, the interval between two updates
// of last_average_value, and `number_of_periods` the sub-periods in the window (1: block
// demand), so the integration period is period × number_of_periods. Both methods are refused:
// the demand window follows the meter clock's boundaries, and neither a reset nor an early
// next period may cut it (a maximum demand taken over a short window would be wrong).
#pragma once

#include <cstdint>     // std::int64_t, std::uint16_t, std::uint32_t
#include <functional>  // std::function
#include <optional>    // std::optional

#include "core/date_time.hpp"
#include "cosem/attribute_values.hpp"
#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

// Everything a Demand register shows, read at once from the meter.
struct DemandReadout {
  std::int64_t current_average = 0;  // scaled, like a Register value
  std::int64_t last_average = 0;
  CosemDateTime capture_time;        // of last_average; not specified before the first
  CosemDateTime start_time_current;  // start of the window current_average covers
  std::uint32_t period_s = 0;
  std::uint16_t number_of_periods = 1;
};

class DemandRegister final : public CosemObject {
 public:
  using Getter = std::function<DemandReadout()>;

  static constexpr std::uint16_t class_id_value = 5;

  DemandRegister(Obis logical_name, dlms::DataType value_type, ScalerUnit scaler_unit,
                 Getter readout);

  [[nodiscard]] int attribute_count() const override { return 9; }
  [[nodiscard]] int method_count() const override { return 2; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;

 private:
  dlms::DataType value_type_;
  ScalerUnit scaler_unit_;
  Getter readout_;
};

}  // namespace gridmeter::cosem
