// A small ObjectServer for the application layer's tests (association, client).
#pragma once

#include <optional>
#include <vector>

#include "dlms/object_server.hpp"

namespace gridmeter::dlms::testing_support {

// An object model of a few attributes: 1-0:1.8.0.255 (class 3) reads 1234 and is writable;
// 0-0:99.98.0.255 (class 7) attribute 2 reads a long octet-string; class 8 method 6 returns
// its parameter back; everything else is object-undefined.
class FakeObjects final : public ObjectServer {
 public:
  Data long_value = Data::octets(std::vector<std::uint8_t>(300, 0xAB));
  Data written;
  int sets = 0;
  int actions = 0;
  std::optional<Data> last_parameters;
  AssociationContext last_context;

  GetDataResult get(const AssociationContext& context, const CosemAttributeDescriptor& attribute,
                    const std::optional<AccessSelection>& /*access*/) override {
    last_context = context;
    if (attribute.class_id == 3 && attribute.instance_id == Obis{1, 0, 1, 8, 0, 255} &&
        attribute.attribute_id == 2) {
      return Data::unsigned32(1234);
    }
    if (attribute.class_id == 7 && attribute.attribute_id == 2) return long_value;
    return DataAccessResult::object_undefined;
  }
  DataAccessResult set(const AssociationContext& /*context*/,
                       const CosemAttributeDescriptor& attribute,
                       const std::optional<AccessSelection>& /*access*/,
                       const Data& value) override {
    if (attribute.class_id != 3) return DataAccessResult::object_undefined;
    ++sets;
    written = value;
    return DataAccessResult::success;
  }
  ActionOutcome action(const AssociationContext& /*context*/, const CosemMethodDescriptor& method,
                       const std::optional<Data>& parameters) override {
    if (method.class_id != 8) return {ActionResult::object_undefined, std::nullopt};
    ++actions;
    last_parameters = parameters;
    if (parameters) return {ActionResult::success, GetDataResult{*parameters}};
    return {ActionResult::success, std::nullopt};
  }
};

}  // namespace gridmeter::dlms::testing_support
