// CosemObject: one object of the meter's COSEM object model (IEC 62056-6-2 clause 4.1: an
// instance of an interface class, identified by its logical name, an OBIS code). COSEM is a
// view of the meter core, not a copy: get() reads the live value, set() validates and applies
// a new one through the meter's own API, action() calls into the meter.
//
//   const CosemObject& clock = *objects.find(8, Obis{0, 0, 1, 0, 0, 255});
//   dlms::GetDataResult time = clock.get(2, std::nullopt);     // Data, or a DataAccessResult
//   dlms::DataAccessResult r = clock.set(2, new_time);          // validated, then applied
//   dlms::ActionOutcome shifted = clock.action(6, Data::integer16(-30));   // shift_time
//
// Attribute 1 (logical_name) is answered by the base class for every object. Which client may
// reach which attribute is the association's business (Association LN object_list access
// rights), not the object's: an object answers whatever it is asked and refuses only what its
// class does not allow (read-only attributes: read_write_denied; wrong types:
// type_unmatched; values out of range: other_reason).
#pragma once

#include <cstdint>   // std::uint16_t
#include <optional>  // std::optional

#include "core/obis.hpp"
#include "dlms/action.hpp"
#include "dlms/data.hpp"
#include "dlms/xdlms_common.hpp"

namespace gridmeter::cosem {

// What an attribute allows (Association LN attribute_access_item access_mode: 0 no access,
// 1 read-only, 2 write-only, 3 read-and-write).
enum class AttributeAccess : std::uint8_t { none = 0, read = 1, write = 2, read_write = 3 };

class CosemObject {
 public:
  CosemObject(std::uint16_t class_id, std::uint8_t version, Obis logical_name)
      : class_id_(class_id), version_(version), logical_name_(logical_name) {}
  virtual ~CosemObject() = default;
  CosemObject(const CosemObject&) = delete;
  CosemObject& operator=(const CosemObject&) = delete;

  [[nodiscard]] std::uint16_t class_id() const { return class_id_; }
  [[nodiscard]] std::uint8_t version() const { return version_; }
  [[nodiscard]] const Obis& logical_name() const { return logical_name_; }
  // Attributes 1..attribute_count() and methods 1..method_count() exist (class definition).
  [[nodiscard]] virtual int attribute_count() const = 0;
  [[nodiscard]] virtual int method_count() const { return 0; }
  // What the class allows on an attribute, before any association restricts it further.
  [[nodiscard]] virtual AttributeAccess attribute_access(int attribute) const;
  // Whether the attribute supports selective access (Profile generic buffer).
  [[nodiscard]] virtual bool selective_access(int /*attribute*/) const { return false; }

  // Attribute 1 for every class; others by the subclass (get_attribute).
  [[nodiscard]] dlms::GetDataResult get(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const;
  dlms::DataAccessResult set(int attribute, const dlms::Data& value);
  dlms::ActionOutcome action(int method, const std::optional<dlms::Data>& parameters);

 protected:
  [[nodiscard]] virtual dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const = 0;
  // Default: read-only (read_write_denied).
  virtual dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value);
  // Default: no methods (object_unavailable... the caller already checked the range).
  virtual dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters);

 private:
  std::uint16_t class_id_;
  std::uint8_t version_;
  Obis logical_name_;
};

}  // namespace gridmeter::cosem
