// Register monitor (interface class 21, version 0; IEC 62056-6-2 clause 4.5.6), the view of
// one of the meter's register monitors (meter/register_monitor.hpp) at 0-0:16.1.e.255.
//
//   RegisterMonitorObject monitor(access, 0, targets);   // 0-0:16.1.0.255, monitor 0
//   monitor.get(2, std::nullopt);   // thresholds: array { long-unsigned 2530 } (253.0 V)
//   monitor.get(3, std::nullopt);   // structure { long-unsigned 3, octet-string 1-0:32.7.0.255,
//                                   //             integer 2 }
//   monitor.set(2, Data::array({Data::unsigned16(2550)}));   // reprograms the meter
//
// Attribute 2 `thresholds`: array of values of the monitored attribute's type, in its scaler
// (so a client compares them with what it reads there). Attribute 3 `monitored_value`:
// value_definition ::= structure { class_id long-unsigned, logical_name octet-string,
// attribute_index integer }: attribute 2 of the Register (class 3) of the instantaneous value.
// Attribute 4 `actions`: array of action_set ::= structure { action_up, action_down }, each an
// action_item ::= structure { script_logical_name octet-string, script_selector long-unsigned }.
// The meter's scripts: end of billing is script 1 of 0-0:10.0.1.255; no action is the null
// script (selector 0, here of that same table).
//
// All three are writable (for the management client of the security issue; the reading client
// sees them read-only). A write is validated and programmed into the meter (Meter::configure:
// "parameters changed"); a value that names no instantaneous value, an unknown script, a
// count of actions that is not the count of thresholds, or more than 8 thresholds is refused
// with other_reason and changes nothing; a value of the wrong shape with type_unmatched.
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint16_t
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "cosem/attribute_values.hpp"
#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"

namespace gridmeter::cosem {

// The type and scaler of a Register that a monitor may watch (the registers of the object
// list, collected when it is built).
struct MonitorTarget {
  Obis logical_name;
  dlms::DataType type = dlms::DataType::integer32;
  ScalerUnit scaler_unit;
};

// The Register a value of the analysis catalogue (an id or OBIS code) is served as: its
// entry in `targets` (the object list's registers), or for a value the list does not serve
// (a phase the connection lacks) double-long in the catalogue's scaler.
MonitorTarget monitor_target(const std::vector<MonitorTarget>& targets, const std::string& value);

// The instantaneous value of the analysis catalogue a value_definition { class_id 3,
// logical_name, attribute_index 2 } names: its id, or type_unmatched for another shape and
// other_reason for anything but an instantaneous value's Register attribute 2.
dlms::DataAccessResult read_monitored_value(const dlms::Data& value, std::string& out_id);

// value_definition of a catalogue value's Register: structure { long-unsigned 3, octet-string
// OBIS, integer 2 }.
dlms::Data monitored_value_data(const MonitorTarget& target);

// 0-0:16.1.e.255 for monitor e.
Obis register_monitor_obis(std::size_t index);

class RegisterMonitorObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 21;

  RegisterMonitorObject(MeterAccess& access, std::size_t index, std::vector<MonitorTarget> targets);

  [[nodiscard]] int attribute_count() const override { return 4; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;

 private:
  [[nodiscard]] MonitorTarget target_of(const std::string& value) const {
    return monitor_target(targets_, value);
  }

  MeterAccess& access_;
  std::size_t index_;
  std::vector<MonitorTarget> targets_;
};

}  // namespace gridmeter::cosem
