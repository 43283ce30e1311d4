#include "cosem/vq_objects.hpp"

#include <algorithm>   // std::min
#include <cstdint>     // std::int64_t, std::uint8_t
#include <functional>  // std::function
#include <memory>      // std::make_unique

#include "cosem/attribute_values.hpp"
#include "cosem/calendar_values.hpp"
#include "cosem/data_object.hpp"
#include "cosem/extended_register.hpp"
#include "cosem/register.hpp"
#include "meter/meter.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::DataType;

std::int64_t saturated(std::uint64_t count) {
  return static_cast<std::int64_t>(std::min<std::uint64_t>(count, INT64_MAX));
}

// The newest entry of the voltage quality log, column `column`; 0 when the log is empty.
std::int64_t last_entry(const MeterState& s, std::size_t column) {
  return s.voltage_quality_log.empty() ? 0 : s.voltage_quality_log.newest().values[column];
}

class Builder {
 public:
  Builder(ObjectList& list, MeterAccess& access) : list_(list), access_(access) {}

  void count(Obis obis, DataType type, std::function<std::int64_t(const MeterState&)> f) {
    list_.add(std::make_unique<DataObject>(obis, [&access = access_, type, f = std::move(f)] {
      return integer_data(type, f(access.meter().state()));
    }));
  }
  void value(Obis obis, DataType type, ScalerUnit scaler_unit,
             std::function<std::int64_t(const Meter&)> f) {
    list_.add(std::make_unique<Register>(
        obis, type, scaler_unit,
        [&access = access_, f = std::move(f)] { return f(access.meter()); }));
  }
  // A threshold the management client may write: `change` puts the written (scaled) value into
  // the voltage-quality programming, which is validated as a config file would be and applied
  // (logged as "parameters changed", persisted with the programming). A value the programming
  // refuses changes nothing (other_reason).
  void setting(Obis obis, DataType type, ScalerUnit scaler_unit,
               std::function<std::int64_t(const Meter&)> f,
               std::function<void(const Meter&, VoltageQualityConfig&, std::int64_t)> change) {
    list_.add(std::make_unique<Register>(
        obis, type, scaler_unit,
        [&access = access_, f = std::move(f)] { return f(access.meter()); },
        [&access = access_, change = std::move(change)](std::int64_t written) {
          Meter& meter = access.meter();
          MeterConfig config = meter.config();
          change(meter, config.voltage_quality, written);
          return reprogram(meter, config);
        }));
  }
  // A voltage threshold in 0.1 V: read from and written into a percentage of Udin as the
  // connection sees it.
  void voltage_threshold(Obis obis, double VoltageQualityConfig::*percent) {
    setting(
        obis, DataType::unsigned16, ScalerUnit{-1, Unit::volt},
        [percent](const Meter& m) {
          const VoltageQualityConfig& c = m.config().voltage_quality;
          return scaled_value(vq_reference_voltage(c, m.connection()) * (c.*percent) / 100.0, -1);
        },
        [percent](const Meter& m, VoltageQualityConfig& c, std::int64_t decivolts) {
          c.*percent = 100.0 * (static_cast<double>(decivolts) / 10.0) /
                       vq_reference_voltage(c, m.connection());
        });
  }

  void build() {
    const Connection connection = access_.meter().connection();
    const std::uint8_t slots = vq_phase_mask(connection);
    constexpr ScalerUnit milliseconds{-3, Unit::second};
    for (std::size_t p = 0; p < phase_count_max; ++p) {
      if ((slots & (1U << p)) == 0) continue;
      // Value group C of a phase's voltage: 32, 52, 72 (the 3-wire slots U12, U32 as L1, L3).
      const auto c = static_cast<std::uint8_t>(32 + 20 * p);
      count(Obis{1, 0, c, 32, 0, 255}, DataType::unsigned32,
            [p](const MeterState& s) { return saturated(s.voltage_quality.counters.dips[p]); });
      value(Obis{1, 0, c, 33, 0, 255}, DataType::unsigned32, milliseconds,
            [p](const Meter& m) { return m.state().voltage_quality.counters.dip_duration_ms[p]; });
      count(Obis{1, 0, c, 36, 0, 255}, DataType::unsigned32,
            [p](const MeterState& s) { return saturated(s.voltage_quality.counters.swells[p]); });
      value(Obis{1, 0, c, 37, 0, 255}, DataType::unsigned32, milliseconds, [p](const Meter& m) {
        return m.state().voltage_quality.counters.swell_duration_ms[p];
      });
      // Supply interruptions of the phase (dropouts): short, long, and their total duration.
      count(Obis{1, 0, c, 40, 0, 255}, DataType::unsigned32, [p](const MeterState& s) {
        return saturated(s.voltage_quality.counters.short_interruptions[p]);
      });
      count(Obis{1, 0, c, 40, 128, 255}, DataType::unsigned32, [p](const MeterState& s) {
        return saturated(s.voltage_quality.counters.long_interruptions[p]);
      });
      value(Obis{1, 0, c, 41, 0, 255}, DataType::unsigned32, milliseconds, [p](const Meter& m) {
        return m.state().voltage_quality.counters.interruption_duration_ms[p];
      });
      count(Obis{1, 0, c, 32, 128, 255}, DataType::unsigned32,
            [p](const MeterState& s) { return saturated(s.voltage_quality.counters.rvcs[p]); });
      // Power failures of the phase, with the time the last one began.
      list_.add(std::make_unique<ExtendedRegister>(
          Obis{0, 0, 96, 7, static_cast<std::uint8_t>(p + 1), 255}, DataType::unsigned32,
          ScalerUnit{0, Unit::count},
          [&access = access_, p] {
            const VqCounters& counters = access.meter().state().voltage_quality.counters;
            return saturated(counters.short_interruptions[p] + counters.long_interruptions[p]);
          },
          [&access = access_, p] {
            const Meter& meter = access.meter();
            const UtcMicros last = meter.state().voltage_quality.counters.last_failure_utc_us[p];
            return last == 0 ? unspecified_date_time() : to_cosem(last, meter.config().zone);
          }));
    }
    // Any phase (C = 12): sags, swells, short and long interruptions of all phases, RVCs.
    count(Obis{1, 0, 12, 32, 0, 255}, DataType::unsigned32,
          [](const MeterState& s) { return saturated(s.voltage_quality.counters.dips_total); });
    count(Obis{1, 0, 12, 36, 0, 255}, DataType::unsigned32,
          [](const MeterState& s) { return saturated(s.voltage_quality.counters.swells_total); });
    count(Obis{1, 0, 12, 40, 0, 255}, DataType::unsigned32, [](const MeterState& s) {
      return saturated(s.voltage_quality.counters.short_interruptions_total);
    });
    count(Obis{1, 0, 12, 40, 128, 255}, DataType::unsigned32, [](const MeterState& s) {
      return saturated(s.voltage_quality.counters.long_interruptions_total);
    });
    count(Obis{1, 0, 12, 32, 128, 255}, DataType::unsigned32,
          [](const MeterState& s) { return saturated(s.voltage_quality.counters.rvcs_total); });
    count(Obis{0, 0, 96, 7, 9, 255}, DataType::unsigned16, [](const MeterState& s) {
      return saturated(s.voltage_quality.counters.long_power_failures);
    });
    setting(
        Obis{0, 0, 96, 7, 20, 255}, DataType::unsigned32, ScalerUnit{0, Unit::second},
        [](const Meter& m) { return m.config().voltage_quality.long_interruption_s; },
        [](const Meter&, VoltageQualityConfig& c, std::int64_t seconds) {
          // Past the config's range (1..86400 s) either way: validate() refuses it.
          c.long_interruption_s = static_cast<int>(std::min<std::int64_t>(seconds, 86'401));
        });
    // Under-limit (dip), over-limit (swell) and missing-voltage (interruption) thresholds of
    // IEC 62056-6-1 value group D 31, 35, 39.
    voltage_threshold(Obis{1, 0, 12, 31, 0, 255}, &VoltageQualityConfig::dip_threshold_percent);
    voltage_threshold(Obis{1, 0, 12, 35, 0, 255}, &VoltageQualityConfig::swell_threshold_percent);
    voltage_threshold(Obis{1, 0, 12, 39, 0, 255},
                      &VoltageQualityConfig::interruption_threshold_percent);
    // The last event's columns of the log (its capture objects).
    count(power_quality_event_code_obis, DataType::unsigned16,
          [](const MeterState& s) { return last_entry(s, 0); });
    count(vq_last_phases_obis, DataType::unsigned8,
          [](const MeterState& s) { return last_entry(s, 1); });
    list_.add(std::make_unique<DataObject>(vq_last_end_obis, [&access = access_] {
      const Meter& meter = access.meter();
      const std::int64_t end = last_entry(meter.state(), 2);
      return date_time_octets(end == 0 ? unspecified_date_time()
                                       : to_cosem(end, meter.config().zone));
    }));
    value(vq_last_duration_obis, DataType::unsigned32, milliseconds,
          [](const Meter& m) { return last_entry(m.state(), 3); });
    value(vq_last_extreme_obis, DataType::unsigned32, ScalerUnit{-2, Unit::volt},
          [](const Meter& m) { return last_entry(m.state(), 4); });
    value(vq_last_delta_ss_obis, DataType::unsigned32, ScalerUnit{-2, Unit::volt},
          [](const Meter& m) { return last_entry(m.state(), 5); });
  }

 private:
  ObjectList& list_;
  MeterAccess& access_;
};

}  // namespace

void add_voltage_quality_objects(ObjectList& list, MeterAccess& access) {
  Builder(list, access).build();
}

}  // namespace gridmeter::cosem
