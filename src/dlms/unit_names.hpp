// The physical units of a scaler_unit (IEC 62056-6-2 clause 4.3.2, the "unit" enumeration of
// Register): the symbol a client prints beside a value. The meter core's own subset is
// meter/units.hpp; this is the whole table, for reading any vendor's meter.
//
//   unit_symbol(30) == "Wh";  unit_symbol(255) == "";  unit_symbol(200) == "unit 200"
#pragma once

#include <cstdint>  // std::uint8_t
#include <string>   // std::string

namespace gridmeter::dlms {

// The symbol of unit `code`: "" for 255 (count, no unit), "unit N" for a code the table does
// not define.
std::string unit_symbol(std::uint8_t code);

}  // namespace gridmeter::dlms
