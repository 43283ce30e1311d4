// ObjectList: the meter's COSEM object model (IEC 62056-6-2 clause 4.1: a logical device is the
// set of interface-class objects it holds, each named by its OBIS code), and
// build_meter_objects(), which binds the meter's registers, clock and profiles to their IDIS
// OBIS codes.
//
//   ObjectList objects = build_meter_objects(access, DeviceIdentity{});
//   CosemObject* a_plus = objects.find(3, Obis{1, 0, 1, 8, 0, 255});   // nullptr if absent
//   a_plus->get(2, std::nullopt);                                       // double-long-unsigned Wh
//   for (const auto& object : objects) list_entry(*object);             // insertion order
//   ObjectList served = build_meter_objects(access, identity, NetworkSettings{});   // + TCP, IPv4
//
// The objects read the meter through `access` on every GET (MeterAccess must outlive the list);
// the list itself holds no meter value. The order of iteration is the order build_meter_objects
// adds them: management objects (SAP assignment and clock among them), time- and event-bound
// control (script tables, special days, activity calendar, billing schedule), the network setup
// when given, energy, tariffs, demand, instantaneous values, profiles; it is what an
// Association LN object_list will show. docs/dlms.md "COSEM object model" lists every object
// with its class, types, scaler and unit.
#pragma once

#include <cstddef>   // std::size_t
#include <cstdint>   // std::uint16_t
#include <memory>    // std::unique_ptr
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include "core/obis.hpp"
#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"
#include "cosem/network_settings.hpp"

namespace gridmeter::cosem {

class ObjectList {
 public:
  using Objects = std::vector<std::unique_ptr<CosemObject>>;

  // Adds `object` at the end. Logical names are unique within a logical device (clause 4.1);
  // a second object of the same name is a bug of the builder (asserted).
  CosemObject& add(std::unique_ptr<CosemObject> object);

  // The object of class `class_id` named `logical_name`, or nullptr. A linear search: a meter's
  // list holds about 150 objects, and a GET costs far more than the comparisons.
  [[nodiscard]] CosemObject* find(std::uint16_t class_id, const Obis& logical_name);
  [[nodiscard]] const CosemObject* find(std::uint16_t class_id, const Obis& logical_name) const;
  // The object named `logical_name`, of whatever class, or nullptr.
  [[nodiscard]] CosemObject* find(const Obis& logical_name);
  [[nodiscard]] const CosemObject* find(const Obis& logical_name) const;

  [[nodiscard]] std::size_t size() const { return objects_.size(); }
  [[nodiscard]] bool empty() const { return objects_.empty(); }
  [[nodiscard]] Objects::const_iterator begin() const { return objects_.begin(); }
  [[nodiscard]] Objects::const_iterator end() const { return objects_.end(); }

 private:
  Objects objects_;
};

// What the meter says about itself.
struct DeviceIdentity {
  std::string manufacturer_flag = "GRD";  // 3 letters, as the FLAG association assigns them
  std::string serial_number = "00000001";
  std::string firmware_version = "gridmeter 0.1.0";
};

// The logical device name (0-0:42.0.0.255): the manufacturer flag and the serial number, cut to
// 16 octets (the COSEM logical device name: a 3-letter flag, then up to 13 octets).
std::string logical_device_name(const DeviceIdentity& identity);

// The DLMS server's TCP-UDP setup (0-0:25.0.0.255) and IPv4 setup (0-0:25.1.0.255), which
// describe `settings` (copied: the application's listener settings, fixed while the list
// exists).
void add_network_objects(ObjectList& list, const NetworkSettings& settings);

// A Register monitor (0-0:16.1.e.255) for each of the meter's configured monitors, watching
// the registers already in `list` (add them after the instantaneous values).
void add_register_monitors(ObjectList& list, MeterAccess& access);

// The supply control's objects (supply_objects.cpp): Disconnect control 0-0:96.3.10.255,
// Limiter 0-0:17.0.0.255 (watching the registers already in `list`), the credit, tamper,
// fraud-sign and pulse-output Data and Register objects.
void add_supply_objects(ObjectList& list, MeterAccess& access);

// Every object of the meter, bound to `access` (docs/dlms.md lists them). The instantaneous
// values exist for the phases the meter's connection has; the Profile generic objects come from
// add_profile_objects (profile_generic.hpp). With `network` (a meter reachable over TCP), the
// network setup objects of add_network_objects come after the time-bound objects.
ObjectList build_meter_objects(MeterAccess& access, const DeviceIdentity& identity,
                               const std::optional<NetworkSettings>& network = std::nullopt);

}  // namespace gridmeter::cosem
