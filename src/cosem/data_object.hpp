// Data (interface class 1, version 0; IEC 62056-6-2 clause 4.3.1): one value without scaler or
// unit, attribute 2 `value`, of whatever type the object's OBIS code calls for. No methods.
//
//   DataObject tariff(Obis{0, 0, 96, 14, 0, 255},
//                     [&access] { return Data::unsigned8(...active tariff...); });
//   tariff.get(2, std::nullopt);                       // unsigned 2
//   tariff.set(2, Data::unsigned8(1));                 // read_write_denied: no setter
//
//   DataObject threshold(obis, getter, [&](const Data& v) -> DataAccessResult { ... });
//   threshold.set(2, Data::unsigned16(300));           // the setter validates and applies
//
// The getter runs on every GET, so the value is always the meter's current one. A setter, when
// given, makes attribute 2 read-write; it checks the type (type_unmatched) and the range
// (other_reason) itself, because only it knows what the value means.
#pragma once

#include <functional>  // std::function
#include <optional>    // std::optional

#include "cosem/cosem_object.hpp"

namespace gridmeter::cosem {

class DataObject final : public CosemObject {
 public:
  using Getter = std::function<dlms::Data()>;
  using Setter = std::function<dlms::DataAccessResult(const dlms::Data&)>;

  static constexpr std::uint16_t class_id_value = 1;

  // `getter` must be callable; `setter` may be empty (read-only value).
  DataObject(Obis logical_name, Getter getter, Setter setter = {});

  [[nodiscard]] int attribute_count() const override { return 2; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;

 private:
  Getter getter_;
  Setter setter_;
};

}  // namespace gridmeter::cosem
