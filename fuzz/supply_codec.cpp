// libFuzzer target: decode_supply, the store's supply-control blob, on arbitrary octets (a
// damaged store). It must never crash; what it accepts must encode back to the very words it
// was given (nothing is silently dropped or normalised), and a meter restored with it must go
// on metering (and answer its breaker's requests) without an assert.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/civil_time.hpp"
#include "meter/meter.hpp"
#include "store/supply_codec.hpp"

namespace {

void require(bool condition) {
  if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint64_t> words(size / 8);
  for (std::size_t i = 0; i < words.size(); ++i) {
    for (std::size_t b = 0; b < 8; ++b)
      words[i] |= std::uint64_t{data[i * 8 + b]} << (8 * b);
  }
  gridmeter::MeterConfig config;
  config.prepayment.enabled = true;
  config.limiter.enabled = true;
  config.limiter.threshold_normal = 2000.0;
  gridmeter::Meter fresh(gridmeter::Connection::single_phase_2w,
                         gridmeter::utc_from_civil({2026, 1, 1, 0, 0, 0, 0}), config);
  gridmeter::MeterState state = fresh.state();
  if (!gridmeter::store::decode_supply(words, config, state.supply)) {
    require(state == fresh.state());
    return 0;
  }
  require(gridmeter::store::encode_supply(state.supply) == words);
  gridmeter::Meter restored(state);
  (void)restored.press_button();
  (void)restored.top_up(7, 100);
  gridmeter::Measurement m;
  m.start_utc_us = restored.state().time_utc_us;
  m.duration_us = 200'000;
  m.connection = gridmeter::Connection::single_phase_2w;
  m.phases[0].voltage_v = 230.0;
  m.phases[0].current_a = 10.0;
  m.phases[0].active_power_w = 2300.0;
  m.phases[0].apparent_power_va = 2300.0;
  m.neutral_current_a = 10.0;
  for (int i = 0; i < 3; ++i) {
    restored.advance(m);
    m.start_utc_us += m.duration_us;
  }
  return 0;
}
