#include "cosem/access_rights.hpp"

#include <array>  // std::array

namespace gridmeter::cosem {
namespace {

// What the public client may see (IDIS-style: identification and time, and the objects that
// describe the association itself).
constexpr std::array public_objects{
    Obis{0, 0, 42, 0, 0, 255},  // logical device name
    Obis{0, 0, 96, 1, 0, 255},  // serial number
    Obis{1, 0, 0, 2, 0, 255},   // firmware version
    Obis{0, 0, 1, 0, 0, 255},   // clock
    Obis{0, 0, 40, 0, 0, 255},  // current association
    Obis{0, 0, 41, 0, 0, 255},  // SAP assignment
};

AttributeAccess read_part(AttributeAccess access) {
  return access == AttributeAccess::read || access == AttributeAccess::read_write
             ? AttributeAccess::read
             : AttributeAccess::none;
}

}  // namespace

bool visible(ClientRole role, const CosemObject& object) {
  switch (role) {
    case ClientRole::public_client:
      for (const Obis& name : public_objects) {
        if (object.logical_name() == name) return true;
      }
      return false;
    case ClientRole::reader:
      return true;
  }
  return false;
}

AttributeAccess attribute_access(ClientRole role, const CosemObject& object, int attribute) {
  if (!visible(role, object)) return AttributeAccess::none;
  // Both roles only read; a write-only attribute (an association's secret) is closed to them.
  return read_part(object.attribute_access(attribute));
}

bool method_access(ClientRole /*role*/, const CosemObject& /*object*/, int /*method*/) {
  // Neither role invokes methods: actions belong to the management client (security issue).
  return false;
}

}  // namespace gridmeter::cosem
