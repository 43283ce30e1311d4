#include "cosem/data_object.hpp"

#include <cassert>  // assert
#include <utility>  // std::move

namespace gridmeter::cosem {

DataObject::DataObject(Obis logical_name, Getter getter, Setter setter)
    : CosemObject(class_id_value, 0, logical_name),
      getter_(std::move(getter)),
      setter_(std::move(setter)) {
  assert(getter_);
}

AttributeAccess DataObject::attribute_access(int attribute) const {
  if (attribute == 2 && setter_) return AttributeAccess::read_write;
  return CosemObject::attribute_access(attribute);
}

dlms::GetDataResult DataObject::get_attribute(
    int /*attribute*/, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  // The base class has answered attribute 1 and refused anything beyond 2.
  return getter_();
}

dlms::DataAccessResult DataObject::set_attribute(int /*attribute*/, const dlms::Data& value) {
  // Reached only for attribute 2 with a setter: attribute_access() says read_write for nothing
  // else.
  return setter_(value);
}

}  // namespace gridmeter::cosem
