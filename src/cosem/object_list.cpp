#include "cosem/object_list.hpp"

#include <algorithm>   // std::min
#include <cassert>     // assert
#include <cstddef>     // std::size_t
#include <cstdint>     // std::int64_t, std::uint8_t, std::uint32_t
#include <functional>  // std::function
#include <memory>      // std::make_unique
#include <optional>    // std::optional
#include <span>        // std::span
#include <utility>     // std::move, std::as_const
#include <vector>      // std::vector

#include "core/date_time.hpp"
#include "cosem/activity_calendar_object.hpp"
#include "cosem/attribute_values.hpp"
#include "cosem/calendar_values.hpp"
#include "cosem/clock_object.hpp"
#include "cosem/data_object.hpp"
#include "cosem/demand_register.hpp"
#include "cosem/extended_register.hpp"
#include "cosem/ipv4_setup.hpp"
#include "cosem/profile_generic.hpp"
#include "cosem/register.hpp"
#include "cosem/register_monitor_object.hpp"
#include "cosem/sap_assignment.hpp"
#include "cosem/script_table.hpp"
#include "cosem/single_action_schedule.hpp"
#include "cosem/special_days_table.hpp"
#include "cosem/tcp_udp_setup.hpp"
#include "cosem/vq_objects.hpp"
#include "meter/demand.hpp"
#include "meter/energy_registers.hpp"
#include "meter/tariff_registers.hpp"

namespace gridmeter::cosem {

// ---- ObjectList ----

CosemObject& ObjectList::add(std::unique_ptr<CosemObject> object) {
  assert(object);
  assert(find(object->logical_name()) == nullptr && "logical names are unique");
  objects_.push_back(std::move(object));
  return *objects_.back();
}

const CosemObject* ObjectList::find(std::uint16_t class_id, const Obis& logical_name) const {
  for (const auto& object : objects_) {
    if (object->class_id() == class_id && object->logical_name() == logical_name) {
      return object.get();
    }
  }
  return nullptr;
}

CosemObject* ObjectList::find(std::uint16_t class_id, const Obis& logical_name) {
  return const_cast<CosemObject*>(std::as_const(*this).find(class_id, logical_name));
}

const CosemObject* ObjectList::find(const Obis& logical_name) const {
  for (const auto& object : objects_) {
    if (object->logical_name() == logical_name) return object.get();
  }
  return nullptr;
}

CosemObject* ObjectList::find(const Obis& logical_name) {
  return const_cast<CosemObject*>(std::as_const(*this).find(logical_name));
}

std::string logical_device_name(const DeviceIdentity& identity) {
  constexpr std::size_t name_octets_max = 16;
  std::string name = identity.manufacturer_flag + identity.serial_number;
  if (name.size() > name_octets_max) name.resize(name_octets_max);
  return name;
}

// ---- build_meter_objects ----

namespace {

using dlms::Data;
using dlms::DataType;

// A COSEM date-time of a meter-clock instant, "not specified" for 0 (nothing captured yet: the
// meter's own convention for an empty capture time).
CosemDateTime capture_time(UtcMicros time, const TimeZone& zone) {
  return time == 0 ? unspecified_date_time() : to_cosem(time, zone);
}

// One energy register of EnergyRegisters by its value group C (1..16 total, +20 per phase),
// exactly as read_energy_registers computes it with scaler 0, without building the whole list.
std::int64_t energy_value(const EnergyRegisters& energy, std::uint8_t c) {
  constexpr std::uint8_t c_absolute_active = 15;
  constexpr std::uint8_t c_net_active = 16;
  const std::size_t point = static_cast<std::size_t>(c - 1) / 20;
  const auto c_total = static_cast<std::uint8_t>(c - 20 * point);
  const EnergySet& set = point == 0 ? energy.total : energy.phases[point - 1];
  if (c_total == c_absolute_active) {
    return static_cast<std::int64_t>(
        (set[EnergyKind::active_import] + set[EnergyKind::active_export]).in_units(0));
  }
  if (c_total == c_net_active) return net_active_energy(set, 0);
  assert(c_total >= 1 && c_total <= energy_kind_count);
  return static_cast<std::int64_t>(set[static_cast<EnergyKind>(c_total - 1)].in_units(0));
}

// Binds the groups of objects to the meter. Every getter captures `access` by reference and
// reads the meter when called.
class Builder {
 public:
  Builder(ObjectList& list, MeterAccess& access) : list_(list), access_(access) {}

  void data(Obis obis, DataObject::Getter getter) {
    list_.add(std::make_unique<DataObject>(obis, std::move(getter)));
  }
  void state_integer(Obis obis, DataType type, std::function<std::int64_t(const MeterState&)> f) {
    data(obis, [&access = access_, type, f = std::move(f)] {
      return integer_data(type, f(access.meter().state()));
    });
  }

  void management(const DeviceIdentity& identity) {
    const Data name = text_octets(logical_device_name(identity));
    data(Obis{0, 0, 42, 0, 0, 255}, [name] { return name; });
    const Data serial = text_octets(identity.serial_number);
    data(Obis{0, 0, 96, 1, 0, 255}, [serial] { return serial; });
    const Data firmware = text_octets(identity.firmware_version);
    data(Obis{1, 0, 0, 2, 0, 255}, [firmware] { return firmware; });
    list_.add(std::make_unique<SapAssignment>(logical_device_name(identity)));
    list_.add(std::make_unique<ClockObject>(access_));
    state_integer(Obis{0, 0, 96, 14, 0, 255}, DataType::unsigned8,
                  [](const MeterState& s) { return s.active_tariff; });
    // double-long-unsigned, the type the billing profile's capture of it carries.
    state_integer(Obis{0, 0, 0, 1, 0, 255}, DataType::unsigned32, [](const MeterState& s) {
      return static_cast<std::int64_t>(std::min<std::uint64_t>(s.billing_count, INT64_MAX));
    });
    // Power failures in any phase: the meter's own (all phases out) and a phase's dropouts,
    // as the voltage-quality registration counts them (voltage_quality.hpp).
    state_integer(Obis{0, 0, 96, 7, 21, 255}, DataType::unsigned16, [](const MeterState& s) {
      return static_cast<std::int64_t>(
          std::min<std::uint64_t>(s.voltage_quality.counters.power_failures, INT64_MAX));
    });
    state_integer(Obis{0, 0, 96, 10, 1, 255}, DataType::unsigned8,
                  [](const MeterState& s) { return s.load_profile_pending_status; });
    // long-unsigned: vendor event codes pass 255 (and the event log's column has that type).
    state_integer(Obis{0, 0, 96, 11, 0, 255}, DataType::unsigned16, [](const MeterState& s) {
      return s.standard_events.empty() ? 0 : s.standard_events.newest().values[0];
    });
    state_integer(Obis{0, 0, 96, 11, 1, 255}, DataType::unsigned16, [](const MeterState& s) {
      return s.fraud_events.empty() ? 0 : s.fraud_events.newest().values[0];
    });
    state_integer(Obis{0, 0, 96, 11, 2, 255}, DataType::unsigned16, [](const MeterState& s) {
      return s.disconnector_events.empty() ? 0 : s.disconnector_events.newest().values[0];
    });
  }

  // Time- and event-bound control (clause 4.5): the scripts, then the calendar and the
  // schedule that run them.
  void time_control() {
    list_.add(tariffication_script_table());
    list_.add(end_of_billing_script_table(access_));
    list_.add(disconnector_script_table(access_));
    list_.add(std::make_unique<SpecialDaysTableObject>(access_));
    list_.add(std::make_unique<ActivityCalendarObject>(access_));
    list_.add(std::make_unique<SingleActionSchedule>(access_));
  }

  void energy() {
    const MeterState& state = access_.meter().state();
    for (const RegisterReading& reading :
         read_energy_registers(state.energy, state.connection, 0)) {
      const std::uint8_t c = reading.obis.c;
      // Net active energy (C = 16, 36, 56, 76) is signed; the others never go below zero.
      const DataType type = c % 20 == 16 ? DataType::integer32 : DataType::unsigned32;
      list_.add(std::make_unique<Register>(
          reading.obis, type, ScalerUnit{reading.scaler, reading.unit},
          [&access = access_, c] { return energy_value(access.meter().state().energy, c); }));
    }
    for (const RegisterReading& reading : read_tariff_registers(state.tariffs)) {
      const auto kind = static_cast<EnergyKind>(reading.obis.c - 1);
      const int tariff = reading.obis.e;
      list_.add(std::make_unique<Register>(
          reading.obis, DataType::unsigned32, ScalerUnit{reading.scaler, reading.unit},
          [&access = access_, kind, tariff] {
            return static_cast<std::int64_t>(
                access.meter().state().tariffs.at(tariff, kind).in_units(0));
          }));
    }
  }

  // Demand values are double-long W/var, scaler 0: the type the billing profile captures the
  // maxima with (profile_generic.hpp column_type), so an object and its capture agree.
  void demand() {
    for (std::size_t k = 0; k < demand_kind_count; ++k) {
      const auto c = static_cast<std::uint8_t>(k + 1);
      const Unit unit = k < 2 ? Unit::watt : Unit::var;
      list_.add(std::make_unique<DemandRegister>(
          Obis{1, 0, c, 4, 0, 255}, DataType::integer32, ScalerUnit{0, unit},
          [&access = access_, k] { return demand_readout(access.meter(), k); }));
    }
    for (std::size_t k = 0; k < max_demand_kind_count; ++k) {
      const auto c = static_cast<std::uint8_t>(k + 1);
      list_.add(std::make_unique<Register>(
          Obis{1, 0, c, 2, 0, 255}, DataType::integer32, ScalerUnit{0, Unit::watt},
          [&access = access_, k] {
            return scaled_value(access.meter().state().demand.cumulative_maximum_w[k], 0);
          }));
      for (std::size_t t = 0; t <= tariff_count; ++t) {
        list_.add(std::make_unique<ExtendedRegister>(
            Obis{1, 0, c, 6, static_cast<std::uint8_t>(t), 255}, DataType::integer32,
            ScalerUnit{0, Unit::watt},
            [&access = access_, k, t] {
              return scaled_value(access.meter().state().demand.maximum[k][t].value_w, 0);
            },
            [&access = access_, k, t] {
              const Meter& meter = access.meter();
              return capture_time(meter.state().demand.maximum[k][t].time_utc_us,
                                  meter.config().zone);
            }));
      }
    }
  }

  void instantaneous(Connection connection) {
    using Getter = std::function<double(const Measurement&)>;
    auto add = [this](std::uint8_t c, std::uint8_t e, DataType type, ScalerUnit scaler_unit,
                      Getter value) {
      list_.add(std::make_unique<Register>(
          Obis{1, 0, c, 7, e, 255}, type, scaler_unit,
          [&access = access_, scaler = scaler_unit.scaler, value = std::move(value)] {
            return scaled_value(value(access.latest_measurement()), scaler);
          }));
    };
    constexpr ScalerUnit volts{-1, Unit::volt};
    constexpr ScalerUnit amperes{-2, Unit::ampere};
    constexpr ScalerUnit watts{0, Unit::watt};
    constexpr ScalerUnit vars{0, Unit::var};
    constexpr ScalerUnit volt_amperes{0, Unit::volt_ampere};
    constexpr ScalerUnit power_factor{-3, Unit::count};
    constexpr ScalerUnit hertz{-2, Unit::hertz};
    constexpr ScalerUnit percent{-2, Unit::percent};

    // Totals over every phase slot the connection fills (the 3-wire connection's middle slot
    // stays zero, so its two elements add up to the total).
    auto total = [](const Measurement& m, double PhaseMeasurement::*field) {
      double sum = 0.0;
      for (std::size_t p = 0; p < phase_count(m.connection); ++p)
        sum += m.phases[p].*field;
      return sum;
    };
    auto positive = [](double x) { return x > 0.0 ? x : 0.0; };
    auto negative = [](double x) { return x < 0.0 ? -x : 0.0; };
    const bool per_phase = connection != Connection::three_phase_3w;
    const std::size_t phases = per_phase ? phase_count(connection) : 0;

    // Phase voltages and currents, then the neutral (none without a neutral conductor).
    for (std::size_t p = 0; p < phases; ++p) {
      const auto base = static_cast<std::uint8_t>(20 * p);
      add(static_cast<std::uint8_t>(32 + base), 0, DataType::unsigned16, volts,
          [p](const Measurement& m) { return m.phases[p].voltage_v; });
      add(static_cast<std::uint8_t>(31 + base), 0, DataType::unsigned16, amperes,
          [p](const Measurement& m) { return m.phases[p].current_a; });
    }
    if (per_phase) {
      add(91, 0, DataType::unsigned16, amperes,
          [](const Measurement& m) { return m.neutral_current_a; });
    }
    add(1, 0, DataType::unsigned32, watts, [=](const Measurement& m) {
      return positive(total(m, &PhaseMeasurement::active_power_w));
    });
    add(2, 0, DataType::unsigned32, watts, [=](const Measurement& m) {
      return negative(total(m, &PhaseMeasurement::active_power_w));
    });
    for (std::size_t p = 0; p < phases; ++p) {
      const auto base = static_cast<std::uint8_t>(20 * p);
      add(static_cast<std::uint8_t>(21 + base), 0, DataType::unsigned32, watts,
          [=](const Measurement& m) { return positive(m.phases[p].active_power_w); });
      add(static_cast<std::uint8_t>(22 + base), 0, DataType::unsigned32, watts,
          [=](const Measurement& m) { return negative(m.phases[p].active_power_w); });
    }
    add(3, 0, DataType::unsigned32, vars, [=](const Measurement& m) {
      return positive(total(m, &PhaseMeasurement::reactive_power_var));
    });
    add(4, 0, DataType::unsigned32, vars, [=](const Measurement& m) {
      return negative(total(m, &PhaseMeasurement::reactive_power_var));
    });
    add(9, 0, DataType::unsigned32, volt_amperes,
        [=](const Measurement& m) { return total(m, &PhaseMeasurement::apparent_power_va); });
    // Total power factor P/S, signed like P; 1 with no load (as a phase reports it).
    add(13, 0, DataType::integer16, power_factor, [=](const Measurement& m) {
      const double apparent = total(m, &PhaseMeasurement::apparent_power_va);
      return apparent > 0.0 ? total(m, &PhaseMeasurement::active_power_w) / apparent : 1.0;
    });
    for (std::size_t p = 0; p < phases; ++p) {
      add(static_cast<std::uint8_t>(33 + 20 * p), 0, DataType::integer16, power_factor,
          [p](const Measurement& m) { return m.phases[p].power_factor; });
    }
    add(14, 0, DataType::unsigned16, hertz, [](const Measurement& m) { return m.frequency_hz; });
    // THD (IEC 62056-6-1: E = 124, total harmonic distortion) of each phase's voltage, current.
    constexpr std::uint8_t e_thd = 124;
    for (std::size_t p = 0; p < phases; ++p) {
      const auto base = static_cast<std::uint8_t>(20 * p);
      add(static_cast<std::uint8_t>(32 + base), e_thd, DataType::unsigned16, percent,
          [p](const Measurement& m) { return m.phases[p].voltage_thd_percent; });
      add(static_cast<std::uint8_t>(31 + base), e_thd, DataType::unsigned16, percent,
          [p](const Measurement& m) { return m.phases[p].current_thd_percent; });
    }
  }

 private:
  static DemandReadout demand_readout(const Meter& meter, std::size_t k) {
    const MeterState& state = meter.state();
    const DemandState& demand = state.demand;
    const DemandConfig& config = meter.config().demand;
    const TimeZone& zone = meter.config().zone;
    const std::int64_t sub_period_us =
        std::int64_t{config.period_min} * micros_per_minute / config.sub_periods;
    // The closed sub-periods current_average_w counts, before the running one.
    const std::size_t kept =
        std::min(demand.filled, static_cast<std::size_t>(config.sub_periods) - 1);
    DemandReadout readout;
    readout.current_average =
        scaled_value(demand.current_average_w(config, state.energy, static_cast<EnergyKind>(k)), 0);
    readout.last_average = scaled_value(demand.last_average_w[k], 0);
    readout.capture_time = capture_time(demand.last_average_utc_us, zone);
    readout.start_time_current = to_cosem(
        demand.sub_period_start_utc_us - static_cast<std::int64_t>(kept) * sub_period_us, zone);
    readout.period_s = static_cast<std::uint32_t>(sub_period_us / micros_per_second);
    readout.number_of_periods = static_cast<std::uint16_t>(config.sub_periods);
    return readout;
  }

  ObjectList& list_;
  MeterAccess& access_;
};

}  // namespace

void add_network_objects(ObjectList& list, const NetworkSettings& settings) {
  list.add(std::make_unique<TcpUdpSetup>(settings));
  list.add(std::make_unique<Ipv4Setup>(settings));
}

void add_register_monitors(ObjectList& list, MeterAccess& access) {
  // What the monitors may watch, with the type and scaler a client reads there.
  std::vector<MonitorTarget> targets;
  for (const auto& object : list) {
    if (const auto* served = dynamic_cast<const Register*>(object.get())) {
      targets.push_back({served->logical_name(), served->value_type(), served->scaler_unit()});
    }
  }
  const std::size_t count = access.meter().config().register_monitors.size();
  for (std::size_t e = 0; e < count; ++e)
    list.add(std::make_unique<RegisterMonitorObject>(access, e, targets));
}

ObjectList build_meter_objects(MeterAccess& access, const DeviceIdentity& identity,
                               const std::optional<NetworkSettings>& network) {
  ObjectList list;
  Builder builder(list, access);
  builder.management(identity);
  builder.time_control();
  if (network) add_network_objects(list, *network);
  builder.energy();
  builder.demand();
  builder.instantaneous(access.meter().connection());
  add_register_monitors(list, access);
  add_supply_objects(list, access);
  add_voltage_quality_objects(list, access);
  add_profile_objects(list, access);
  return list;
}

}  // namespace gridmeter::cosem
