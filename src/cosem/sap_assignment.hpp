// SAP assignment (interface class 17, version 0; IEC 62056-6-2, Blue Book ed. 16 clause 4.4.5),
// 0-0:41.0.0.255: which logical device answers at which service access point of the physical
// device. gridmeter is one logical device, the management logical device at SAP 1, named by
// logical_device_name(identity) (object_list.hpp), the value of 0-0:42.0.0.255.
//
//   SapAssignment sap(logical_device_name(identity));
//   sap.get(2, std::nullopt);   // array { structure { long-unsigned 1, octet-string
//                               //   "GRD00000001" } }
//   sap.action(1, Data::structure({Data::unsigned16(2), name}));   // other_reason
//
// Attribute 2 `SAP_assignment_list`: array of asslist_element ::= structure { SAP
// long-unsigned, logical_device_name octet-string }; read-only. Method 1
// `connect_logical_device` (asslist_element): the meter has no other logical device to connect
// and its one device stays at SAP 1, so every call is refused with other_reason (type_unmatched
// for a parameter that is not an asslist_element).
#pragma once

#include <cstdint>   // std::uint16_t
#include <optional>  // std::optional
#include <string>    // std::string

#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

inline constexpr Obis sap_assignment_obis{0, 0, 41, 0, 0, 255};
// The management logical device's SAP (IEC 62056-5-3 / the Green Book: SAP 0x01, mandatory).
inline constexpr std::uint16_t management_logical_device_sap = 1;

class SapAssignment final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 17;

  explicit SapAssignment(std::string logical_device_name, Obis logical_name = sap_assignment_obis);

  [[nodiscard]] int attribute_count() const override { return 2; }
  [[nodiscard]] int method_count() const override { return 1; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  // The device's name is fixed for the life of the object list, like 0-0:42.0.0.255's value.
  std::string logical_device_name_;
};

}  // namespace gridmeter::cosem
