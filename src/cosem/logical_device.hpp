// LogicalDevice: the meter's logical device as a DLMS server serves it (IEC 62056-5-3 clause
// 4.1: a logical device is a set of COSEM objects behind one SAP). It implements the
// application layer's ObjectServer over the meter's ObjectList, adds the association objects
// (Association LN: the current one 0-0:40.0.0.255 and one per client 0-0:40.0.e.255), and with
// a ServerSecurity the security objects (Security setup 0-0:43.0.e.255 per client that
// ciphers or uses HLS, the invocation counters 0-0:43.1.0.255 and 0-0:43.1.e.255), and applies
// each client's access rights before an object is asked anything.
//
//   LogicalDevice device(build_meter_objects(access, identity),
//                        {{.client_sap = 0x10, .rights = ClientRights(ClientRole::public_client),
//                          .instance = 1},
//                         {.client_sap = 0x01, .rights = ClientRights(ClientRole::management),
//                          .instance = 3, .mechanism = dlms::Mechanism::high_gmac,
//                          .application_context = dlms::ApplicationContext::ln_ciphering,
//                          .security_setup = true}},
//                        &security);
//   dlms::Association association(settings, device, 0x10, 1);
//
// What a client does not see it cannot reach: an object outside its rights is
// object-undefined (so a client cannot probe which objects exist), an attribute or method its
// rights close is read-write-denied, and an object named with the wrong class is
// object-class-inconsistent. A client always sees its own association and security objects
// and never another client's, except the management client, which sees them all.
#pragma once

#include <cstdint>  // std::uint16_t
#include <utility>  // std::pair
#include <vector>   // std::vector

#include "cosem/access_rights.hpp"
#include "cosem/association_ln.hpp"
#include "cosem/object_list.hpp"
#include "dlms/object_server.hpp"
#include "dlms/server_security.hpp"

namespace gridmeter::cosem {

struct ClientAssignment {
  std::uint16_t client_sap = 0;
  ClientRights rights{};
  // e of the client's own Association LN 0-0:40.0.e.255 and Security setup 0-0:43.0.e.255
  // (IDIS-style: 1 public, 2 reading, 3 management, 4 firmware update); 0: none of its own.
  std::uint8_t instance = 0;
  // As configured, for its Association LN object.
  dlms::Mechanism mechanism = dlms::Mechanism::lowest;
  dlms::ApplicationContext application_context = dlms::ApplicationContext::ln_no_ciphering;
  // Whether it has a Security setup (it ciphers, or authenticates with HLS).
  bool security_setup = false;
};

inline constexpr Obis current_association_name{0, 0, 40, 0, 0, 255};
inline constexpr Obis invocation_counter_name{0, 0, 43, 1, 0, 255};
// 0-0:40.0.e.255, 0-0:43.0.e.255, 0-0:43.1.e.255.
Obis association_name(std::uint8_t instance);
Obis security_setup_name(std::uint8_t instance);
Obis invocation_counter_name_of(std::uint8_t instance);

class LogicalDevice final : public dlms::ObjectServer {
 public:
  // `security` may be null: then no Security setup or invocation counter objects exist.
  LogicalDevice(ObjectList objects, std::vector<ClientAssignment> clients,
                dlms::ServerSecurity* security = nullptr);
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
  struct Client {
    ClientAssignment assignment;
    const ClientRights& rights() const { return assignment.rights; }
  };
  // An association or security object of one client (0-0:40.0.e, 0-0:43.0.e, 0-0:43.1.e).
  struct Owned {
    Obis object;
    std::uint16_t client_sap = 0;
  };
  struct Found {
    CosemObject* object = nullptr;
    const Client* client = nullptr;
    dlms::DataAccessResult error = dlms::DataAccessResult::success;
  };
  // The object for this client, or why there is none for it.
  Found find_for(const dlms::AssociationContext& context, std::uint16_t class_id,
                 const Obis& logical_name);
  [[nodiscard]] const Client* client_of(std::uint16_t client_sap) const;
  // Whether `client` sees `object`: its own association and security objects always, other
  // clients' never (but the management client), everything else by its rights.
  [[nodiscard]] bool visible_to(const Client& client, const CosemObject& object) const;
  [[nodiscard]] bool method_allowed(const Client& client, const CosemObject& object,
                                    int method) const;
  [[nodiscard]] dlms::Data object_list_element(const CosemObject& object,
                                               const Client& client) const;
  void add_security_objects(dlms::ServerSecurity& security);

  ObjectList objects_;
  std::vector<Client> clients_;
  std::vector<Owned> owned_;
};

}  // namespace gridmeter::cosem
