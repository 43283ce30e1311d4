#include "cosem/logical_device.hpp"

#include <memory>   // std::make_unique
#include <utility>  // std::move

namespace gridmeter::cosem {
namespace {

using dlms::Data;
using dlms::DataAccessResult;

// access_selectors of a Profile generic buffer: range_descriptor (1) and entry_descriptor (2).
Data access_selectors(const CosemObject& object, int attribute) {
  if (!object.selective_access(attribute)) return Data::null();
  return Data::array({Data::integer8(1), Data::integer8(2)});
}

// object_list_element (Blue Book, Association LN version 1): class, version, name and the
// access rights of every attribute and method, as `role` has them.
Data object_list_element(const CosemObject& object, ClientRole role) {
  std::vector<Data> attributes;
  attributes.reserve(static_cast<std::size_t>(object.attribute_count()));
  for (int attribute = 1; attribute <= object.attribute_count(); ++attribute) {
    attributes.push_back(Data::structure({
        Data::integer8(static_cast<std::int8_t>(attribute)),
        Data::enumeration(static_cast<std::uint8_t>(attribute_access(role, object, attribute))),
        access_selectors(object, attribute),
    }));
  }
  std::vector<Data> methods;
  methods.reserve(static_cast<std::size_t>(object.method_count()));
  for (int method = 1; method <= object.method_count(); ++method) {
    // method access_mode: 0 no_access, 1 access.
    methods.push_back(
        Data::structure({Data::integer8(static_cast<std::int8_t>(method)),
                         Data::enumeration(method_access(role, object, method) ? 1 : 0)}));
  }
  const auto name = object.logical_name().bytes();
  return Data::structure({
      Data::unsigned16(object.class_id()),
      Data::unsigned8(object.version()),
      Data::octets(std::span<const std::uint8_t>(name.data(), name.size())),
      Data::structure({Data::array(std::move(attributes)), Data::array(std::move(methods))}),
  });
}

bool readable(AttributeAccess access) {
  return access == AttributeAccess::read || access == AttributeAccess::read_write;
}

bool writable(AttributeAccess access) {
  return access == AttributeAccess::write || access == AttributeAccess::read_write;
}

}  // namespace

LogicalDevice::LogicalDevice(ObjectList objects, std::vector<ClientAssignment> clients)
    : objects_(std::move(objects)), clients_(std::move(clients)) {
  auto association = std::make_unique<AssociationLnObject>(
      [this](const dlms::AssociationContext& context) { return object_list_for(context); });
  association_ = association.get();
  objects_.add(std::move(association));
}

const ClientRole* LogicalDevice::role_of(std::uint16_t client_sap) const {
  for (const ClientAssignment& client : clients_) {
    if (client.client_sap == client_sap) return &client.role;
  }
  return nullptr;
}

Data LogicalDevice::object_list_for(const dlms::AssociationContext& context) const {
  const ClientRole* role = role_of(context.client_sap);
  std::vector<Data> elements;
  if (role != nullptr) {
    for (const auto& object : objects_) {
      if (visible(*role, *object)) elements.push_back(object_list_element(*object, *role));
    }
  }
  return Data::array(std::move(elements));
}

LogicalDevice::Found LogicalDevice::find_for(const dlms::AssociationContext& context,
                                             std::uint16_t class_id, const Obis& logical_name) {
  Found found;
  const ClientRole* role = role_of(context.client_sap);
  CosemObject* object = role != nullptr ? objects_.find(logical_name) : nullptr;
  if (object == nullptr || !visible(*role, *object)) {
    found.error = DataAccessResult::object_undefined;
    return found;
  }
  if (object->class_id() != class_id) {
    found.error = DataAccessResult::object_class_inconsistent;
    return found;
  }
  found.object = object;
  found.role = *role;
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
  if (!readable(attribute_access(found.role, *found.object, index))) {
    return DataAccessResult::read_write_denied;
  }
  if (found.object == association_) {
    if (access) return DataAccessResult::other_reason;  // no selective access on object_list yet
    return association_->get_in(context, index);
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
  if (!writable(attribute_access(found.role, *found.object, index))) {
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
  if (!method_access(found.role, *found.object, index)) {
    return refuse(dlms::ActionResult::read_write_denied);
  }
  return found.object->action(index, parameters);
}

}  // namespace gridmeter::cosem
