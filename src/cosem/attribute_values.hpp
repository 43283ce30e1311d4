// Attribute values that several interface classes share: scaler_unit (IEC 62056-6-2 clause
// 4.3.2), integers of a chosen DLMS type, and date-times carried as octet-strings of 12
// (clause 4.1.6.1).
//
//   scaler_unit_data({-1, Unit::volt});                 // structure { integer -1, enum 35 }
//   integer_data(DataType::unsigned16, 70000);          // long-unsigned 65535 (saturated)
//   scaled_value(230.04, -1);                           // 2300
//   date_time_octets(to_cosem(t, zone));                // octet-string of 12
#pragma once

#include <cstdint>  // std::int8_t, std::int64_t

#include "core/date_time.hpp"
#include "dlms/data.hpp"
#include "meter/units.hpp"

namespace gridmeter::cosem {

// A Register's scaler_unit: the value means value × 10^scaler in `unit`.
struct ScalerUnit {
  std::int8_t scaler = 0;
  Unit unit = Unit::count;
  friend constexpr bool operator==(const ScalerUnit&, const ScalerUnit&) = default;
};

// structure { integer scaler, enum unit }.
dlms::Data scaler_unit_data(ScalerUnit scaler_unit);

// `value` as a Data of `type`, one of integer8..integer64, unsigned8..unsigned64 or enum
// (asserted). A value outside the type's range saturates at its nearest bound: a register that
// outgrows its type reads as full, never as a small number after a silent wrap.
dlms::Data integer_data(dlms::DataType type, std::int64_t value);

// round(value × 10^-scaler), the integer a register with that scaler carries; NaN gives 0 and
// values beyond the int64 range saturate.
std::int64_t scaled_value(double value, int scaler);

// The inverse of scaled_value for a written integer: raw × 10^scaler, as exactly as a double
// holds it (2530 with scaler -1 is 253.0, not 253.00000000000003).
double unscaled_value(std::int64_t raw, int scaler);

// A date-time as COSEM attributes carry it: an octet-string of the 12 octets.
dlms::Data date_time_octets(const CosemDateTime& value);

// Every field "not specified" (deviation 0x8000, clock status 0xFF): a capture time that has
// not happened yet.
CosemDateTime unspecified_date_time();

}  // namespace gridmeter::cosem
