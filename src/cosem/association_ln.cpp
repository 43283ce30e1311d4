#include "cosem/association_ln.hpp"

#include <utility>  // std::move

#include "dlms/initiate.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;

// The structure form of a COSEM name 2.16.756.5.8.<kind>.<id> (Blue Book, Association LN
// application_context_name and authentication_mechanism_name).
Data cosem_name(std::uint8_t kind, std::uint8_t id) {
  return Data::structure({Data::unsigned8(2), Data::unsigned8(16), Data::unsigned16(756),
                          Data::unsigned8(5), Data::unsigned8(8), Data::unsigned8(kind),
                          Data::unsigned8(id)});
}

constexpr std::uint8_t application_context_kind = 1;
constexpr std::uint8_t mechanism_kind = 2;

}  // namespace

AssociationLnObject::AssociationLnObject(Obis logical_name, std::optional<AssociationOwner> owner,
                                         Binding binding)
    : CosemObject(class_id_value, version_value, logical_name),
      owner_(owner),
      binding_(std::move(binding)) {}

AttributeAccess AssociationLnObject::attribute_access(int attribute) const {
  if (attribute == 7) return AttributeAccess::none;
  return CosemObject::attribute_access(attribute);
}

dlms::AssociationContext AssociationLnObject::view_for(
    const dlms::AssociationContext& context) const {
  if (!owner_ || owner_->client_sap == context.client_sap) return context;
  // Another client's association: what is configured for it, not associated (its live state
  // belongs to its own connection).
  dlms::AssociationContext configured;
  configured.client_sap = owner_->client_sap;
  configured.server_sap = context.server_sap;
  configured.mechanism = owner_->mechanism;
  configured.application_context = owner_->application_context;
  return configured;
}

dlms::ActionOutcome AssociationLnObject::invoke(int method,
                                                const std::optional<dlms::Data>& /*parameters*/) {
  // reply_to_HLS_authentication outside a pending HLS association proves nothing.
  if (method == 1) return {dlms::ActionResult::other_reason, std::nullopt};
  return {dlms::ActionResult::read_write_denied, std::nullopt};
}

dlms::GetDataResult AssociationLnObject::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  return get_in(dlms::AssociationContext{}, attribute);
}

dlms::GetDataResult AssociationLnObject::get_in(const dlms::AssociationContext& calling,
                                                int attribute) const {
  const dlms::AssociationContext context = view_for(calling);
  switch (attribute) {
    case 1: {
      const auto bytes = logical_name().bytes();
      return Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
    }
    case 2:
      return binding_.object_list(context);
    case 3:
      return Data::structure({Data::integer8(static_cast<std::int8_t>(context.client_sap)),
                              Data::unsigned16(context.server_sap)});
    case 4:
      return cosem_name(application_context_kind,
                        static_cast<std::uint8_t>(context.application_context));
    case 5: {
      const auto conformance = context.conformance.octets();
      return Data::structure({
          Data::bit_string(conformance, dlms::Conformance::bit_count),
          Data::unsigned16(context.server_max_receive_pdu_size),
          Data::unsigned16(context.client_max_receive_pdu_size),
          Data::unsigned8(context.dlms_version_number),
          Data::integer8(context.quality_of_service.value_or(0)),
          Data::octets({}),
      });
    }
    case 6:
      return cosem_name(mechanism_kind, static_cast<std::uint8_t>(context.mechanism));
    case 7:
      return dlms::DataAccessResult::read_write_denied;  // secrets are never read
    case 8:
      return Data::enumeration(context.associated ? 2 : context.authentication_pending ? 1 : 0);
    case 9: {
      const std::optional<Obis> setup =
          binding_.security_setup ? binding_.security_setup(context.client_sap) : std::nullopt;
      const auto bytes = setup.value_or(Obis{0, 0, 0, 0, 0, 0}).bytes();
      return Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
    }
    default:
      return dlms::DataAccessResult::object_undefined;
  }
}

}  // namespace gridmeter::cosem
