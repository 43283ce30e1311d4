// Fuzzes OBIS text parsing: any text either parses, and then prints and reparses to the same
// code, or is refused with a message.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/obis.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto code = gridmeter::parse_obis(text);
  if (!code) {
    if (code.error().message.empty()) std::abort();
    return 0;
  }
  auto again = gridmeter::parse_obis(gridmeter::to_string(*code));
  if (!again || !(*again == *code)) std::abort();
  return 0;
}
