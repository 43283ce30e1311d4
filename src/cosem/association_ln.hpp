// Association LN (interface class 15, version 1; IEC 62056-6-2 clause 4.4.3): the current
// association, 0-0:40.0.0.255, which every client reads as its own, and one object per client
// (0-0:40.0.e.255) that shows that client's association: to the client itself as it stands,
// to others (the management client) as configured, not associated. Each shows the objects the
// client may reach with their access rights (object_list), who the partners are, the
// application context, the negotiated xDLMS parameters and the authentication mechanism.
//
//   AssociationLnObject current(Obis{0, 0, 40, 0, 0, 255}, std::nullopt, binding);
//   current.get_in(context, 2);   // the object list of the client of `context`
//   current.get_in(context, 5);   // {bit-string 24 conformance, 2048, 1024, 6, 0, ""}
//
// Attributes:
//   2 object_list              array of {class_id long-unsigned, version unsigned,
//                              logical_name octet-string, access_rights}
//   3 associated_partners_id   {client_SAP integer, server_SAP long-unsigned}
//   4 application_context_name {2, 16, 756, 5, 8, 1, context}: the structure of 7 elements
//   5 xDLMS_context_info       {conformance bit-string(24), max_receive_pdu_size (the
//                              server's), max_send_pdu_size (the client's), dlms_version_number,
//                              quality_of_service integer, cyphering_info octet-string (empty:
//                              keys are never shown)}
//   6 authentication_mechanism_name {2, 16, 756, 5, 8, 2, mechanism}
//   7 secret                   no access: the LLS password lives in the secrets file, HLS keys
//                              change through Security setup key_transfer
//   8 association_status       enum: 0 non-associated, 1 association-pending, 2 associated
//   9 security_setup_reference octet-string(6): the client's Security setup (0-0:43.0.e.255),
//                              or 000000000000 for a client without one
// Methods: reply_to_HLS_authentication (1) is served by the application layer while an HLS
// association is pending (dlms/association.hpp); invoked here (outside that) it is refused
// with other-reason. change_HLS_secret, add_object, remove_object, add_user and remove_user
// (2..6) are refused: the object list is the meter's, the secrets are the secrets file's.
#pragma once

#include <cstdint>     // std::uint16_t
#include <functional>  // std::function
#include <optional>    // std::optional

#include "cosem/cosem_object.hpp"
#include "dlms/association_context.hpp"

namespace gridmeter::cosem {

// The client a per-client association object belongs to, as configured.
struct AssociationOwner {
  std::uint16_t client_sap = 0;
  dlms::Mechanism mechanism = dlms::Mechanism::lowest;
  dlms::ApplicationContext application_context = dlms::ApplicationContext::ln_no_ciphering;
};

class AssociationLnObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 15;
  static constexpr std::uint8_t version_value = 1;
  struct Binding {
    // The object list a client sees, for the association `context`.
    std::function<dlms::Data(const dlms::AssociationContext&)> object_list;
    // The Security setup of a client SAP, if it has one.
    std::function<std::optional<Obis>(std::uint16_t client_sap)> security_setup;
  };

  // `owner` empty: the current association (0-0:40.0.0.255).
  AssociationLnObject(Obis logical_name, std::optional<AssociationOwner> owner, Binding binding);

  [[nodiscard]] const std::optional<AssociationOwner>& owner() const { return owner_; }

  [[nodiscard]] int attribute_count() const override { return 9; }
  [[nodiscard]] int method_count() const override { return 6; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

  // Attribute `attribute` as the association `context` sees it.
  [[nodiscard]] dlms::GetDataResult get_in(const dlms::AssociationContext& context,
                                           int attribute) const;

 protected:
  // Outside any association (a direct read): the view of a non-associated client.
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  // The association this object shows to the client of `context`.
  [[nodiscard]] dlms::AssociationContext view_for(const dlms::AssociationContext& context) const;

  std::optional<AssociationOwner> owner_;
  Binding binding_;
};

}  // namespace gridmeter::cosem
