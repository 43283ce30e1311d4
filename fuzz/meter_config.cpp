// libFuzzer target: parse_meter_config on arbitrary text. It must never crash; an accepted
// config must pass validate(), format_meter_config must write it as text that parses back to an
// equal config (and formats the same again), its calendar must give a tariff 1..8 everywhere,
// and next_switch_after must move forward with the tariff constant up to the instant it
// reports, in the config's own time zone as well as in CET and UTC.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>

#include "config/meter_config_file.hpp"
#include "core/civil_time.hpp"
#include "core/time_zone.hpp"

namespace {

using gridmeter::ActivityCalendar;
using gridmeter::MeterConfig;
using gridmeter::TimeZone;
using gridmeter::UtcMicros;

void check_walk(const ActivityCalendar& calendar, const TimeZone& zone, UtcMicros start) {
  UtcMicros time = start;
  for (int step = 0; step < 12; ++step) {
    const int tariff = calendar.tariff_at_utc(time, zone);
    if (tariff < gridmeter::tariff_min || tariff > gridmeter::tariff_max) std::abort();
    const UtcMicros next = calendar.next_switch_after(time, zone);
    if (next <= time || next > time + 3 * gridmeter::micros_per_day) std::abort();
    // Without a pending activation the tariff holds until `next`.
    if (!calendar.activate_passive_utc_us && calendar.tariff_at_utc(next - 1, zone) != tariff) {
      std::abort();
    }
    time = next;
  }
}

void check_round_trip(const MeterConfig& config) {
  const std::string text = gridmeter::config::format_meter_config(config);
  auto back = gridmeter::config::parse_meter_config(text, "formatted.toml");
  if (!back || !(*back == config)) std::abort();
  if (gridmeter::config::format_meter_config(*back) != text) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = gridmeter::config::parse_meter_config(text, "fuzz.toml");
  if (!parsed) {
    if (parsed.error().message.empty()) std::abort();
    return 0;
  }
  MeterConfig config = std::move(*parsed);
  if (!config.validate()) std::abort();
  check_round_trip(config);
  ActivityCalendar& calendar = config.calendar;
  // Around both DST changes of 2026 and a leap day.
  for (const UtcMicros start : {gridmeter::utc_from_civil({2026, 3, 28, 22, 0, 0, 0}),
                                gridmeter::utc_from_civil({2026, 10, 24, 21, 30, 0, 0}),
                                gridmeter::utc_from_civil({2028, 2, 28, 12, 0, 0, 0})}) {
    check_walk(calendar, config.zone, start);
    check_walk(calendar, TimeZone::central_europe(), start);
    check_walk(calendar, TimeZone::utc(), start);
  }
  if (calendar.activate_passive_utc_us) {
    calendar.on_time(*calendar.activate_passive_utc_us);
    if (!calendar.validate()) std::abort();
    check_walk(calendar, config.zone, gridmeter::utc_from_civil({2026, 6, 1, 0, 0, 0, 0}));
  }
  return 0;
}
