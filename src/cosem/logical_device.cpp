#include "cosem/logical_device.hpp"

#include <memory>   // std::make_unique
#include <utility>  // std::move

#include "cosem/data_object.hpp"
#include "cosem/security_setup.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

// access_selectors of a Profile generic buffer: range_descriptor (1) and entry_descriptor (2).
Data access_selectors(const CosemObject& object, int attribute) {
  if (!object.selective_access(attribute)) return Data::null();
  return Data::array({Data::integer8(1), Data::integer8(2)});
}

bool readable(AttributeAccess access) {
  return access == AttributeAccess::read || access == AttributeAccess::read_write;
}

bool writable(AttributeAccess access) {
  return access == AttributeAccess::write || access == AttributeAccess::read_write;
}

}  // namespace

Obis association_name(std::uint8_t instance) { return Obis{0, 0, 40, 0, instance, 255}; }
Obis security_setup_name(std::uint8_t instance) { return Obis{0, 0, 43, 0, instance, 255}; }
Obis invocation_counter_name_of(std::uint8_t instance) { return Obis{0, 0, 43, 1, instance, 255}; }

LogicalDevice::LogicalDevice(ObjectList objects, std::vector<ClientAssignment> clients,
                             dlms::ServerSecurity* security)
    : objects_(std::move(objects)) {
  for (ClientAssignment& assignment : clients) {
    if (assignment.instance != 0) {
      owned_.push_back({association_name(assignment.instance), assignment.client_sap});
      if (assignment.security_setup) {
        owned_.push_back({security_setup_name(assignment.instance), assignment.client_sap});
        owned_.push_back({invocation_counter_name_of(assignment.instance), assignment.client_sap});
      }
    }
    clients_.push_back({std::move(assignment)});
  }
  const AssociationLnObject::Binding binding{
      .object_list =
          [this](const dlms::AssociationContext& context) { return object_list_for(context); },
      .security_setup = [this](std::uint16_t client_sap) -> std::optional<Obis> {
        const Client* client = client_of(client_sap);
        if (client == nullptr || !client->assignment.security_setup ||
            client->assignment.instance == 0 ||
            objects_.find(64, security_setup_name(client->assignment.instance)) == nullptr) {
          return std::nullopt;
        }
        return security_setup_name(client->assignment.instance);
      },
  };
  objects_.add(
      std::make_unique<AssociationLnObject>(current_association_name, std::nullopt, binding));
  for (const Client& client : clients_) {
    const ClientAssignment& assignment = client.assignment;
    if (assignment.instance == 0) continue;
    objects_.add(std::make_unique<AssociationLnObject>(
        association_name(assignment.instance),
        AssociationOwner{assignment.client_sap, assignment.mechanism,
                         assignment.application_context},
        binding));
  }
  if (security != nullptr) add_security_objects(*security);
}

void LogicalDevice::add_security_objects(dlms::ServerSecurity& security) {
  // 0-0:43.1.0.255: the counter the management client continues from, which common clients
  // read with the public client before they associate.
  for (const Client& client : clients_) {
    if (client.rights().role() != ClientRole::management) continue;
    const std::uint16_t sap = client.assignment.client_sap;
    objects_.add(std::make_unique<DataObject>(invocation_counter_name, [&security, sap] {
      return Data::unsigned32(security.last_client_counter(sap));
    }));
    break;
  }
  for (const Client& client : clients_) {
    const ClientAssignment& assignment = client.assignment;
    if (!assignment.security_setup || assignment.instance == 0) continue;
    const std::uint16_t sap = assignment.client_sap;
    objects_.add(std::make_unique<SecuritySetupObject>(security_setup_name(assignment.instance),
                                                       sap, security));
    objects_.add(std::make_unique<DataObject>(
        invocation_counter_name_of(assignment.instance),
        [&security, sap] { return Data::unsigned32(security.last_client_counter(sap)); }));
  }
}

bool LogicalDevice::visible_to(const Client& client, const CosemObject& object) const {
  const Obis& name = object.logical_name();
  // Only 0-0:40.0.e and 0-0:43.x.e can belong to a client: a quick test before the search.
  if (name.c == 40 || name.c == 43) {
    for (const Owned& owned : owned_) {
      if (owned.object != name) continue;
      const bool own = owned.client_sap == client.assignment.client_sap;
      return client.rights().visible(object,
                                     own || client.rights().role() == ClientRole::management);
    }
  }
  return client.rights().visible(object);
}

const LogicalDevice::Client* LogicalDevice::client_of(std::uint16_t client_sap) const {
  for (const Client& client : clients_) {
    if (client.assignment.client_sap == client_sap) return &client;
  }
  return nullptr;
}

bool LogicalDevice::method_allowed(const Client& client, const CosemObject& object,
                                   int method) const {
  if (!visible_to(client, object)) return false;
  switch (object.class_id()) {
    case AssociationLnObject::class_id_value:
      // reply_to_HLS_authentication, for a client that authenticates with HLS; the other
      // methods are not offered.
      return method == 1 && client.assignment.mechanism == dlms::Mechanism::high_gmac;
    case SecuritySetupObject::class_id_value:
      // security_activate and key_transfer; the rest belong to suites 1 and 2.
      return method <= 2 && client.rights().method_access(object, method);
    default:
      return client.rights().method_access(object, method);
  }
}

// object_list_element (Blue Book, Association LN version 1): class, version, name and the
// access rights of every attribute and method, as `client` has them.
Data LogicalDevice::object_list_element(const CosemObject& object, const Client& client) const {
  std::vector<Data> attributes;
  attributes.reserve(static_cast<std::size_t>(object.attribute_count()));
  for (int attribute = 1; attribute <= object.attribute_count(); ++attribute) {
    attributes.push_back(Data::structure({
        Data::integer8(static_cast<std::int8_t>(attribute)),
        Data::enumeration(
            static_cast<std::uint8_t>(client.rights().attribute_access(object, attribute))),
        access_selectors(object, attribute),
    }));
  }
  std::vector<Data> methods;
  methods.reserve(static_cast<std::size_t>(object.method_count()));
  for (int method = 1; method <= object.method_count(); ++method) {
    // method access_mode: 0 no_access, 1 access.
    methods.push_back(
        Data::structure({Data::integer8(static_cast<std::int8_t>(method)),
                         Data::enumeration(method_allowed(client, object, method) ? 1 : 0)}));
  }
  const auto name = object.logical_name().bytes();
  return Data::structure({
      Data::unsigned16(object.class_id()),
      Data::unsigned8(object.version()),
      Data::octets(std::span<const std::uint8_t>(name.data(), name.size())),
      Data::structure({Data::array(std::move(attributes)), Data::array(std::move(methods))}),
  });
}

Data LogicalDevice::object_list_for(const dlms::AssociationContext& context) const {
  const Client* client = client_of(context.client_sap);
  std::vector<Data> elements;
  if (client != nullptr) {
    for (const auto& object : objects_) {
      if (visible_to(*client, *object)) {
        elements.push_back(object_list_element(*object, *client));
      }
    }
  }
  return Data::array(std::move(elements));
}

LogicalDevice::Found LogicalDevice::find_for(const dlms::AssociationContext& context,
                                             std::uint16_t class_id, const Obis& logical_name) {
  Found found;
  const Client* client = client_of(context.client_sap);
  CosemObject* object = client != nullptr ? objects_.find(logical_name) : nullptr;
  if (object == nullptr || !visible_to(*client, *object)) {
    found.error = DataAccessResult::object_undefined;
    return found;
  }
  if (object->class_id() != class_id) {
    found.error = DataAccessResult::object_class_inconsistent;
    return found;
  }
  found.object = object;
  found.client = client;
  return found;
}

dlms::GetDataResult LogicalDevice::get(const dlms::AssociationContext& context,
                                       const dlms::CosemAttributeDescriptor& attribute,
                                       const std::optional<dlms::AccessSelection>& access) {
  const Found found = find_for(context, attribute.class_id, attribute.instance_id);
  if (found.object == nullptr) return found.error;
  const int index = attribute.attribute_id;
  if (index < 1 || index > found.object->attribute_count()) {
    return DataAccessResult::object_undefined;
  }
  if (!readable(found.client->rights().attribute_access(*found.object, index))) {
    return DataAccessResult::read_write_denied;
  }
  // Class 15 is served by AssociationLnObject alone: it answers for the calling association.
  if (found.object->class_id() == AssociationLnObject::class_id_value) {
    if (access) return DataAccessResult::other_reason;  // no selective access on object_list yet
    return static_cast<AssociationLnObject*>(found.object)->get_in(context, index);
  }
  return found.object->get(index, access);
}

dlms::DataAccessResult LogicalDevice::set(const dlms::AssociationContext& context,
                                          const dlms::CosemAttributeDescriptor& attribute,
                                          const std::optional<dlms::AccessSelection>& access,
                                          const Data& value) {
  const Found found = find_for(context, attribute.class_id, attribute.instance_id);
  if (found.object == nullptr) return found.error;
  const int index = attribute.attribute_id;
  if (index < 1 || index > found.object->attribute_count()) {
    return DataAccessResult::object_undefined;
  }
  if (!writable(found.client->rights().attribute_access(*found.object, index))) {
    return DataAccessResult::read_write_denied;
  }
  // No attribute is written with selective access (Blue Book: selection is for reading
  // buffers); a SET that asks for it is refused rather than silently widened.
  if (access) return DataAccessResult::other_reason;
  return found.object->set(index, value);
}

dlms::ActionOutcome LogicalDevice::action(const dlms::AssociationContext& context,
                                          const dlms::CosemMethodDescriptor& method,
                                          const std::optional<Data>& parameters) {
  const Found found = find_for(context, method.class_id, method.instance_id);
  auto refuse = [](dlms::ActionResult why) { return dlms::ActionOutcome{why, std::nullopt}; };
  if (found.object == nullptr) {
    return refuse(found.error == DataAccessResult::object_class_inconsistent
                      ? dlms::ActionResult::object_class_inconsistent
                      : dlms::ActionResult::object_undefined);
  }
  const int index = method.method_id;
  if (index < 1 || index > found.object->method_count()) {
    return refuse(dlms::ActionResult::object_undefined);
  }
  if (!method_allowed(*found.client, *found.object, index)) {
    return refuse(dlms::ActionResult::read_write_denied);
  }
  return found.object->action(index, parameters);
}

}  // namespace gridmeter::cosem
