// libFuzzer target: decode_voltage_quality, the store's voltage-quality blob, on arbitrary
// octets (a damaged store). It must never crash; what it accepts must encode back to the same
// state (to the very words it was given, in the current layout), and a meter restored with it must
// go on measuring (dips, swells and aggregation included) without an assert.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "core/civil_time.hpp"
#include "meter/meter.hpp"
#include "store/vq_codec.hpp"

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
  gridmeter::Meter fresh(gridmeter::Connection::three_phase_4w,
                         gridmeter::utc_from_civil({2026, 1, 1, 0, 0, 0, 0}));
  gridmeter::MeterState state = fresh.state();
  if (!gridmeter::store::decode_voltage_quality(words, state.voltage_quality)) {
    require(state == fresh.state());
    return 0;
  }
  // What it accepts encodes back to the same state; in the current layout to the very words
  // (a blob of the layout before the harmonics is shorter and comes back in the current one).
  const std::vector<std::uint64_t> again =
      gridmeter::store::encode_voltage_quality(state.voltage_quality);
  if (again.size() == words.size()) require(again == words);
  gridmeter::VoltageQualityState back;
  require(static_cast<bool>(gridmeter::store::decode_voltage_quality(again, back)));
  require(back == state.voltage_quality);
  gridmeter::Meter restored(state);
  gridmeter::Measurement m;
  m.start_utc_us = restored.state().time_utc_us;
  m.duration_us = 200'000;
  m.connection = gridmeter::Connection::three_phase_4w;
  m.frequency_hz = 50.0;
  m.half_cycle_count = 20;
  // Normal, a dip of L2, an interruption, normal again.
  const double levels[] = {230.0, 150.0, 0.0, 230.0, 230.0};
  for (const double level : levels) {
    for (std::size_t p = 0; p < 3; ++p) {
      const double volts = p == 1 || level == 0.0 ? level : 230.0;
      m.phases[p].voltage_v = volts;
      for (std::size_t k = 0; k < 20; ++k)
        m.half_cycle_voltage_v[p][k] = static_cast<float>(volts);
    }
    restored.advance(m);
    m.start_utc_us += m.duration_us;
  }
  return 0;
}
