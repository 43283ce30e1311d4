#include "app/remote_meter.hpp"

#include <fmt/format.h>

#include "app/cosem_reference.hpp"

namespace gridmeter::app {
namespace {

using dlms::Data;

Result<std::vector<std::pair<int, std::uint8_t>>> access_items(const Data& items,
                                                               std::string_view what) {
  std::vector<std::pair<int, std::uint8_t>> out;
  if (items.type() != dlms::DataType::array) {
    return make_error(fmt::format("object list: {} is not an array", what));
  }
  for (const Data& item : items.elements()) {
    const auto fields = item.elements();
    if (item.type() != dlms::DataType::structure || fields.size() < 2) {
      return make_error(fmt::format("object list: an element of {} is not a structure", what));
    }
    const auto id = fields[0].as_int64();
    // access_mode is an enum (version 1+) or a boolean (method access of version 0).
    std::optional<std::uint64_t> mode = fields[1].as_uint64();
    if (!mode && fields[1].as_enum()) mode = *fields[1].as_enum();
    if (!mode && fields[1].as_bool()) mode = *fields[1].as_bool() ? 1 : 0;
    if (!id || !mode) return make_error(fmt::format("object list: a malformed {} item", what));
    out.emplace_back(static_cast<int>(*id), static_cast<std::uint8_t>(*mode));
  }
  return out;
}

}  // namespace

std::string attribute_name(const Obis& obis, int attribute) {
  return fmt::format("{}:{}", to_string(obis), attribute);
}

Result<std::vector<ListedObject>> parse_object_list(const Data& list) {
  if (list.type() != dlms::DataType::array) return make_error("object list: not an array");
  std::vector<ListedObject> objects;
  objects.reserve(list.elements().size());
  for (const Data& element : list.elements()) {
    const auto fields = element.elements();
    if (element.type() != dlms::DataType::structure || fields.size() != 4) {
      return make_error(
          "object list: an element is not {class_id, version, logical_name, "
          "access_rights}");
    }
    const auto class_id = fields[0].as_uint64();
    const auto version = fields[1].as_uint64();
    const auto obis = fields[2].as_obis();
    if (!class_id || !version || !obis || *class_id > 0xFFFF || *version > 0xFF) {
      return make_error("object list: an element has a malformed class, version or name");
    }
    ListedObject object;
    object.class_id = static_cast<std::uint16_t>(*class_id);
    object.version = static_cast<std::uint8_t>(*version);
    object.obis = *obis;
    const auto rights = fields[3].elements();
    if (fields[3].type() != dlms::DataType::structure || rights.size() < 2) {
      return make_error(
          fmt::format("object list: {} has malformed access rights", to_string(*obis)));
    }
    auto attributes = access_items(rights[0], "attribute_access");
    if (!attributes) return attributes.error();
    auto methods = access_items(rights[1], "method_access");
    if (!methods) return methods.error();
    object.attributes = std::move(*attributes);
    object.methods = std::move(*methods);
    objects.push_back(std::move(object));
  }
  return objects;
}

Status RemoteMeter::load_object_list() {
  auto list = client_.get({15, Obis{0, 0, 40, 0, 0, 255}, 2});
  if (!list) return list.error();
  if (const auto* refused = std::get_if<dlms::DataAccessResult>(&*list)) {
    return make_error(fmt::format("the object list: {}", dlms::to_string(*refused)));
  }
  auto objects = parse_object_list(std::get<Data>(*list));
  if (!objects) return objects.error();
  objects_ = std::move(*objects);
  return {};
}

std::uint16_t RemoteMeter::class_of(const Obis& obis) const {
  for (const ListedObject& object : objects_) {
    if (object.obis == obis) return object.class_id;
  }
  return guess_class_id(obis);
}

Result<dlms::GetDataResult> RemoteMeter::get(const Obis& obis, std::uint16_t class_id,
                                             int attribute,
                                             const std::optional<dlms::AccessSelection>& access) {
  return client_.get({class_id, obis, static_cast<std::int8_t>(attribute)}, access);
}

ScalerUnit RemoteMeter::scaler_unit_of(const Obis& obis, std::uint16_t class_id, int attribute) {
  int source = 0;
  if ((class_id == 3 || class_id == 4) && attribute == 2) source = 3;
  if (class_id == 5 && (attribute == 2 || attribute == 3)) source = 4;
  if (source == 0) return {};
  for (const auto& [known, scaler_unit] : scaler_units_) {
    if (known == obis) return scaler_unit;
  }
  ScalerUnit found;
  auto read = get(obis, class_id, source);
  if (read) {
    if (const auto* value = std::get_if<Data>(&*read)) {
      const auto fields = value->elements();
      if (value->type() == dlms::DataType::structure && fields.size() == 2) {
        const auto scaler = fields[0].as_int64();
        const auto unit = fields[1].as_enum();
        if (scaler && unit) found = ScalerUnit{static_cast<int>(*scaler), *unit, true};
      }
    }
  }
  scaler_units_.emplace_back(obis, found);
  return found;
}

}  // namespace gridmeter::app
