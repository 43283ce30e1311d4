// libFuzzer target: parse_iso8601 and parse_time_zone on arbitrary text. An accepted ISO 8601
// text must format and reparse to the same instant (at the formatter's millisecond
// resolution); an accepted time zone must validate and convert local time both ways.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/date_time.hpp"

namespace {

using gridmeter::TimeZone;
using gridmeter::UtcMicros;

UtcMicros floor_to_millis(UtcMicros time) {
  const UtcMicros rest = time % gridmeter::micros_per_millisecond;
  return time - (rest < 0 ? rest + gridmeter::micros_per_millisecond : rest);
}

// Formatted text with a year outside 0000..9999 is expanded form, which the parser rejects.
void check_reparse(const std::string& text, UtcMicros expected, const TimeZone& zone) {
  if (text.empty() || text[0] == '+' || text[0] == '-') return;
  auto back = gridmeter::parse_iso8601(text, zone);
  if (!back || *back != expected) std::abort();
}

void check_iso8601(std::string_view text, const TimeZone& zone) {
  auto parsed = gridmeter::parse_iso8601(text, zone);
  if (!parsed) return;
  const UtcMicros expected = floor_to_millis(*parsed);
  check_reparse(gridmeter::format_iso8601(*parsed, zone), expected, zone);
  check_reparse(gridmeter::format_iso8601_utc(*parsed), expected, zone);
}

void check_time_zone(std::string_view text) {
  auto zone = gridmeter::parse_time_zone(text);
  if (!zone) return;
  if (!zone->validate()) std::abort();
  // Sample instants around 2026; each must survive UTC -> local -> UTC with its DST flag.
  const UtcMicros start = gridmeter::utc_from_civil(gridmeter::CivilTime{2025, 12, 31, 0, 0, 0, 0});
  for (int step = 0; step < 400; ++step) {
    const UtcMicros time = start + step * 23 * gridmeter::micros_per_hour;
    auto back = zone->from_local(zone->to_local(time), zone->dst_active(time));
    if (!back || *back != time) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  check_iso8601(text, TimeZone::central_europe());
  check_iso8601(text, TimeZone::utc());
  check_time_zone(text);
  return 0;
}
