// Association LN (interface class 15, version 1; IEC 62056-6-2 clause 4.4.3): the current
// association, 0-0:40.0.0.255. Every client reads its own association here: the objects it may
// reach with their access rights (object_list), who the partners are, the application context,
// the negotiated xDLMS parameters and the authentication mechanism.
//
//   AssociationLnObject association(object_list_for);      // object_list_for(context) builds
//   association.get_in(context, 2);                        //   attribute 2 for that client
//   association.get_in(context, 5);   // {bit-string 24 conformance, 2048, 1024, 6, 0, ""}
//
// Attributes:
//   2 object_list              array of {class_id long-unsigned, version unsigned,
//                              logical_name octet-string, access_rights}
//   3 associated_partners_id   {client_SAP integer, server_SAP long-unsigned}
//   4 application_context_name {2, 16, 756, 5, 8, 1, context}: the structure of 7 elements
//   5 xDLMS_context_info       {conformance bit-string(24), max_receive_pdu_size (the
//                              server's), max_send_pdu_size (the client's), dlms_version_number,
//                              quality_of_service integer, cyphering_info octet-string}
//   6 authentication_mechanism_name {2, 16, 756, 5, 8, 2, mechanism}
//   7 secret                   write-only (no client in this issue may write it)
//   8 association_status       enum: 0 non-associated, 1 association-pending, 2 associated
//   9 security_setup_reference octet-string(6): 000000000000 until a Security setup exists
// Methods 1..6 (reply_to_HLS_authentication, change_HLS_secret, add_object, remove_object,
// add_user, remove_user) are refused: HLS and the management client belong to the security
// issue.
#pragma once

#include <functional>  // std::function

#include "cosem/cosem_object.hpp"
#include "dlms/association_context.hpp"

namespace gridmeter::cosem {

class AssociationLnObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 15;
  static constexpr std::uint8_t version_value = 1;
  using ObjectListBuilder = std::function<dlms::Data(const dlms::AssociationContext&)>;

  explicit AssociationLnObject(ObjectListBuilder object_list);

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

 private:
  ObjectListBuilder object_list_;
};

}  // namespace gridmeter::cosem
