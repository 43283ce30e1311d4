#include "cosem/security_setup.hpp"

#include <vector>  // std::vector

namespace gridmeter::cosem {
namespace {

using dlms::ActionResult;
using dlms::Data;

constexpr std::uint8_t suite_0 = 0;
constexpr std::uint8_t key_id_max = 3;  // master key

}  // namespace

SecuritySetupObject::SecuritySetupObject(Obis logical_name, std::uint16_t client_sap,
                                         dlms::ServerSecurity& security)
    : CosemObject(class_id_value, version_value, logical_name),
      client_sap_(client_sap),
      security_(security) {}

dlms::GetDataResult SecuritySetupObject::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  switch (attribute) {
    case 2:
      return Data::enumeration(security_.policy(client_sap_).bits);
    case 3:
      return Data::enumeration(suite_0);
    case 4: {
      const dlms::ClientSecurity* client = security_.state().find_client(client_sap_);
      if (client == nullptr || !client->system_title) return Data::octets({});
      return Data::octets(*client->system_title);
    }
    case 5:
      return Data::octets(security_.server_system_title());
    case 6:
      return Data::array({});
    default:
      return dlms::DataAccessResult::object_undefined;
  }
}

dlms::ActionOutcome SecuritySetupObject::invoke(int method, const std::optional<Data>& parameters) {
  switch (method) {
    case 1:
      return {security_activate(parameters), std::nullopt};
    case 2:
      return {key_transfer(parameters), std::nullopt};
    default:
      return {ActionResult::other_reason, std::nullopt};
  }
}

ActionResult SecuritySetupObject::security_activate(const std::optional<Data>& parameters) {
  // The Blue Book types the policy enum; an unsigned of the same bits is taken too.
  std::optional<std::uint64_t> value;
  if (parameters) {
    if (auto as_enum = parameters->as_enum()) {
      value = *as_enum;
    } else if (parameters->type() == dlms::DataType::unsigned8) {
      value = parameters->as_uint64();
    }
  }
  if (!value) return ActionResult::type_unmatched;
  const dlms::SecurityPolicy policy{static_cast<std::uint8_t>(*value)};
  return security_.activate_policy(client_sap_, policy) ? ActionResult::success
                                                        : ActionResult::other_reason;
}

ActionResult SecuritySetupObject::key_transfer(const std::optional<Data>& parameters) {
  // key_data ::= array of structure { key_id enum, key_wrapped octet-string }.
  if (!parameters || parameters->type() != dlms::DataType::array)
    return ActionResult::type_unmatched;
  std::vector<dlms::WrappedKey> keys;
  for (const Data& element : parameters->elements()) {
    const auto fields = element.elements();
    if (element.type() != dlms::DataType::structure || fields.size() != 2) {
      return ActionResult::type_unmatched;
    }
    const auto id = fields[0].as_enum();
    const auto wrapped = fields[1].as_octets();
    if (!id || !wrapped) return ActionResult::type_unmatched;
    if (*id > key_id_max) return ActionResult::other_reason;
    keys.push_back({static_cast<dlms::KeyId>(*id), {wrapped->begin(), wrapped->end()}});
  }
  return security_.stage_keys(keys) ? ActionResult::success : ActionResult::other_reason;
}

}  // namespace gridmeter::cosem
