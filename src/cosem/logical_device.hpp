// LogicalDevice: the meter's logical device as a DLMS server serves it (IEC 62056-5-3 clause
// 4.1: a logical device is a set of COSEM objects behind one SAP). It implements the
// application layer's ObjectServer over the meter's ObjectList, adds the current association
// object (Association LN, 0-0:40.0.0.255), and applies each client's access rights before an
// object is asked anything.
//
//   LogicalDevice device(build_meter_objects(access, identity),
//                        {{0x10, ClientRole::public_client}, {0x20, ClientRole::reader}});
//   dlms::Association association(settings, device, 0x10, 1);
//
// What a client does not see it cannot reach: an object outside its role is object-undefined
// (so a client cannot probe which objects exist), an attribute or method its rights close is
// read-write-denied, and an object named with the wrong class is object-class-inconsistent.
#pragma once

#include <cstdint>  // std::uint16_t
#include <utility>  // std::pair
#include <vector>   // std::vector

#include "cosem/access_rights.hpp"
#include "cosem/association_ln.hpp"
#include "cosem/object_list.hpp"
#include "dlms/object_server.hpp"

namespace gridmeter::cosem {

struct ClientAssignment {
  std::uint16_t client_sap = 0;
  ClientRole role = ClientRole::public_client;
};

class LogicalDevice final : public dlms::ObjectServer {
 public:
  LogicalDevice(ObjectList objects, std::vector<ClientAssignment> clients);
  LogicalDevice(const LogicalDevice&) = delete;
  LogicalDevice& operator=(const LogicalDevice&) = delete;

  dlms::GetDataResult get(const dlms::AssociationContext& context,
                          const dlms::CosemAttributeDescriptor& attribute,
                          const std::optional<dlms::AccessSelection>& access) override;
  dlms::DataAccessResult set(const dlms::AssociationContext& context,
                             const dlms::CosemAttributeDescriptor& attribute,
                             const std::optional<dlms::AccessSelection>& access,
                             const dlms::Data& value) override;
  dlms::ActionOutcome action(const dlms::AssociationContext& context,
                             const dlms::CosemMethodDescriptor& method,
                             const std::optional<dlms::Data>& parameters) override;

  [[nodiscard]] const ObjectList& objects() const { return objects_; }
  // The object_list attribute of the association `context` (Association LN attribute 2).
  [[nodiscard]] dlms::Data object_list_for(const dlms::AssociationContext& context) const;

 private:
  struct Found {
    CosemObject* object = nullptr;
    ClientRole role = ClientRole::public_client;
    dlms::DataAccessResult error = dlms::DataAccessResult::success;
  };
  // The object for this client, or why there is none for it.
  Found find_for(const dlms::AssociationContext& context, std::uint16_t class_id,
                 const Obis& logical_name);
  [[nodiscard]] const ClientRole* role_of(std::uint16_t client_sap) const;

  ObjectList objects_;
  std::vector<ClientAssignment> clients_;
  AssociationLnObject* association_ = nullptr;  // owned by objects_
};

}  // namespace gridmeter::cosem
