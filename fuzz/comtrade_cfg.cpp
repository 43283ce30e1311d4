// libFuzzer target: parse_comtrade_config on arbitrary text. An accepted configuration must
// format to text that parses again and formats to the same text; it is then opened with an
// empty .dat (channel inference, rate checks) and read once.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "metrology/input/comtrade.hpp"

namespace {

using gridmeter::metrology::ComtradeConfig;

void check_round_trip(const ComtradeConfig& config) {
  const std::string text = gridmeter::metrology::format_comtrade_config(config);
  auto again = gridmeter::metrology::parse_comtrade_config(text, "formatted.cfg");
  if (!again) std::abort();
  if (gridmeter::metrology::format_comtrade_config(*again) != text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = gridmeter::metrology::parse_comtrade_config(text, "fuzz.cfg");
  if (!config) {
    if (config.error().message.rfind("fuzz.cfg", 0) != 0) std::abort();  // names the file
    return 0;
  }
  check_round_trip(*config);
  auto reader = gridmeter::metrology::open_comtrade_memory(text, {}, "fuzz");
  if (!reader) return 0;
  gridmeter::metrology::SampleBuffer buffer(16);
  (void)(*reader)->read(buffer);
  return 0;
}
