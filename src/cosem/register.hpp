// Register (interface class 3, version 0; IEC 62056-6-2 clause 4.3.2): a value with a scaler and
// a unit. Attribute 2 `value` (an integer of the register's type), attribute 3 `scaler_unit`
// (structure { integer scaler, enum unit }); method 1 `reset`.
//
//   Register a_plus(Obis{1, 0, 1, 8, 0, 255}, DataType::unsigned32, {0, Unit::watt_hour},
//                   [&access] { return ...A+ in whole Wh...; });
//   a_plus.get(2, std::nullopt);                  // double-long-unsigned 1500
//   a_plus.get(3, std::nullopt);                  // structure { integer 0, enum 30 }
//   a_plus.action(1, Data::integer8(0));          // read_write_denied
//
//   Register threshold(Obis{1, 0, 12, 31, 0, 255}, DataType::unsigned16, {-1, Unit::volt},
//                      getter, [&](std::int64_t decivolts) -> DataAccessResult { ... });
//   threshold.set(2, Data::unsigned16(2070));    // the setter validates and applies 207.0 V
//
// The getter returns the value already scaled (value × 10^-scaler, e.g. 2300 for 230.0 V with
// scaler -1); the register only gives it its DLMS type, saturating at the type's bounds. A
// setter, when given, makes `value` read-write (as the class defines it): the register refuses
// a value of another type (type_unmatched) and hands the setter the scaled integer, which it
// checks (other_reason) and applies.
// Reset is refused for every register gridmeter exposes: a meter never clears its energy on
// request, and instantaneous values and cumulative maxima have nothing a reset could mean (the
// cumulative maxima change only at a billing reset).
#pragma once

#include <cstdint>     // std::int64_t
#include <functional>  // std::function
#include <optional>    // std::optional

#include "cosem/attribute_values.hpp"
#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

class Register final : public CosemObject {
 public:
  using ValueGetter = std::function<std::int64_t()>;
  using ValueSetter = std::function<dlms::DataAccessResult(std::int64_t)>;

  static constexpr std::uint16_t class_id_value = 3;

  // `value_type` is an integer type (integer_data); `value` must be callable; `setter` may be
  // empty (a read-only value).
  Register(Obis logical_name, dlms::DataType value_type, ScalerUnit scaler_unit, ValueGetter value,
           ValueSetter setter = {});

  [[nodiscard]] int attribute_count() const override { return 3; }
  [[nodiscard]] int method_count() const override { return 1; }
  [[nodiscard]] dlms::DataType value_type() const { return value_type_; }
  [[nodiscard]] ScalerUnit scaler_unit() const { return scaler_unit_; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;
  // Method 1 (reset): refused, read_write_denied (the base class default).

 private:
  dlms::DataType value_type_;
  ScalerUnit scaler_unit_;
  ValueGetter value_;
  ValueSetter setter_;
};

}  // namespace gridmeter::cosem
