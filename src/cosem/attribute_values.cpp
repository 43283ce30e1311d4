#include "cosem/attribute_values.hpp"

#include <algorithm>  // std::clamp
#include <cassert>    // assert
#include <cmath>      // std::isnan, std::llround, std::pow
#include <limits>     // std::numeric_limits

namespace gridmeter::cosem {
namespace {

template <typename T>
T saturate(std::int64_t value) {
  constexpr auto low = static_cast<std::int64_t>(std::numeric_limits<T>::min());
  if constexpr (std::numeric_limits<T>::max() >= std::numeric_limits<std::int64_t>::max()) {
    return static_cast<T>(std::max(value, low));
  } else {
    constexpr auto high = static_cast<std::int64_t>(std::numeric_limits<T>::max());
    return static_cast<T>(std::clamp(value, low, high));
  }
}

}  // namespace

dlms::Data scaler_unit_data(ScalerUnit scaler_unit) {
  return dlms::Data::structure(
      {dlms::Data::integer8(scaler_unit.scaler),
       dlms::Data::enumeration(static_cast<std::uint8_t>(scaler_unit.unit))});
}

dlms::Data integer_data(dlms::DataType type, std::int64_t value) {
  using dlms::Data;
  using dlms::DataType;
  switch (type) {
    case DataType::integer8:
      return Data::integer8(saturate<std::int8_t>(value));
    case DataType::integer16:
      return Data::integer16(saturate<std::int16_t>(value));
    case DataType::integer32:
      return Data::integer32(saturate<std::int32_t>(value));
    case DataType::integer64:
      return Data::integer64(value);
    case DataType::unsigned8:
      return Data::unsigned8(saturate<std::uint8_t>(value));
    case DataType::unsigned16:
      return Data::unsigned16(saturate<std::uint16_t>(value));
    case DataType::unsigned32:
      return Data::unsigned32(saturate<std::uint32_t>(value));
    case DataType::unsigned64:
      return Data::unsigned64(saturate<std::uint64_t>(value));
    case DataType::enumeration:
      return Data::enumeration(saturate<std::uint8_t>(value));
    default:
      break;
  }
  assert(false && "integer_data: not an integer type");
  return Data::null();
}

std::int64_t scaled_value(double value, int scaler) {
  if (std::isnan(value)) return 0;
  const double scaled = value * std::pow(10.0, -scaler);
  // 2^63 is exactly representable; anything at or beyond it would overflow llround.
  constexpr double limit = 9223372036854775808.0;
  if (scaled >= limit) return std::numeric_limits<std::int64_t>::max();
  if (scaled <= -limit) return std::numeric_limits<std::int64_t>::min();
  return std::llround(scaled);
}

double unscaled_value(std::int64_t raw, int scaler) {
  // Multiplying by 10 or dividing by a power of ten, never by 10^-n (inexact in binary).
  double factor = 1.0;
  for (int i = 0; i < (scaler < 0 ? -scaler : scaler); ++i)
    factor *= 10.0;
  return scaler < 0 ? static_cast<double>(raw) / factor : static_cast<double>(raw) * factor;
}

dlms::Data date_time_octets(const CosemDateTime& value) {
  const auto bytes = value.encode();
  return dlms::Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
}

CosemDateTime unspecified_date_time() { return CosemDateTime{}; }

}  // namespace gridmeter::cosem
