// add_supply_objects: the COSEM objects of the meter's supply control (docs/dlms.md "Supply
// control"): the Disconnect control and the Limiter, and Data and Register objects for the
// credit, the tamper inputs, the fraud signs and the S0 pulse output. IDIS has codes for the
// first two only; the others take manufacturer-specific codes (value group C 128,
// IEC 62056-6-1 clause 5.4), listed in docs/dlms.md.
#include <memory>  // std::make_unique
#include <vector>  // std::vector

#include "cosem/data_object.hpp"
#include "cosem/disconnect_control_object.hpp"
#include "cosem/limiter_object.hpp"
#include "cosem/object_list.hpp"
#include "cosem/register.hpp"
#include "cosem/register_monitor_object.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataType;

// Manufacturer-specific groups of value group D under C = 128.
constexpr std::uint8_t tamper_counts_d = 1;  // 0-0:128.1.e.255: openings and detections
constexpr std::uint8_t tamper_states_d = 2;  // 0-0:128.2.e.255: open / present now
constexpr std::uint8_t fraud_counts_d = 3;   // 0-0:128.3.e.255: fraud signs raised
constexpr std::uint8_t pulse_d = 4;          // 0-0:128.4.e.255: S0 pulse output

Obis manufacturer(std::uint8_t d, std::uint8_t e) { return Obis{0, 0, 128, d, e, 255}; }

}  // namespace

void add_supply_objects(ObjectList& list, MeterAccess& access) {
  // What the limiter may watch: the registers already in the list.
  std::vector<MonitorTarget> targets;
  for (const auto& object : list) {
    if (const auto* served = dynamic_cast<const Register*>(object.get())) {
      targets.push_back({served->logical_name(), served->value_type(), served->scaler_unit()});
    }
  }
  list.add(std::make_unique<DisconnectControlObject>(access));
  list.add(std::make_unique<LimiterObject>(access, std::move(targets)));

  auto credit = [&access]() -> const PrepaymentState& {
    return access.meter().state().supply.prepayment;
  };
  auto prepayment = [&access]() -> const PrepaymentConfig& {
    return access.meter().config().prepayment;
  };
  constexpr ScalerUnit watt_hours{0, Unit::watt_hour};
  // The credit is signed: owed energy after a friendly period reads negative.
  list.add(std::make_unique<Register>(credit_obis, DataType::integer32, watt_hours,
                                      [credit] { return credit_wh(credit()); }));
  list.add(std::make_unique<Register>(manufacturer(0, 1), DataType::unsigned32, watt_hours,
                                      [prepayment] { return prepayment().low_credit_wh; }));
  list.add(std::make_unique<Register>(manufacturer(0, 2), DataType::unsigned32, watt_hours,
                                      [prepayment] { return prepayment().emergency_credit_wh; }));
  list.add(std::make_unique<DataObject>(
      manufacturer(0, 3), [credit] { return Data::boolean(credit().emergency_taken); }));
  list.add(std::make_unique<DataObject>(
      last_token_obis, [credit] { return Data::unsigned64(credit().last_token); }));
  list.add(std::make_unique<DataObject>(manufacturer(0, 5), [credit] {
    return integer_data(DataType::unsigned32, static_cast<std::int64_t>(credit().top_up_count));
  }));
  list.add(std::make_unique<Register>(last_top_up_obis, DataType::unsigned32, watt_hours,
                                      [credit] { return credit().last_top_up_wh; }));

  for (std::size_t i = 0; i < tamper_input_count; ++i) {
    const auto e = static_cast<std::uint8_t>(i);
    list.add(std::make_unique<DataObject>(manufacturer(tamper_counts_d, e), [&access, i] {
      return Data::unsigned32(access.meter().state().supply.tamper.counts[i]);
    }));
  }
  for (std::size_t i = 0; i < tamper_input_count; ++i) {
    const auto e = static_cast<std::uint8_t>(i);
    list.add(std::make_unique<DataObject>(manufacturer(tamper_states_d, e), [&access, i] {
      return Data::boolean(access.meter().state().supply.tamper.active[i]);
    }));
  }
  for (std::size_t i = 0; i < fraud_sign_count; ++i) {
    const auto e = static_cast<std::uint8_t>(i);
    list.add(std::make_unique<DataObject>(manufacturer(fraud_counts_d, e), [&access, i] {
      return Data::unsigned32(access.meter().state().supply.fraud.counts[i]);
    }));
  }
  list.add(std::make_unique<DataObject>(manufacturer(pulse_d, 0), [&access] {
    return Data::unsigned64(access.meter().state().supply.pulse_output.emitted);
  }));
  list.add(std::make_unique<DataObject>(manufacturer(pulse_d, 1), [&access] {
    return Data::unsigned32(access.meter().config().pulse_output.constant);
  }));
}

}  // namespace gridmeter::cosem
