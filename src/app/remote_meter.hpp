// RemoteMeter: a meter at the other end of a DLMS association, as `gridmeter read` sees it:
// its object list (so an OBIS code finds its class), and its values with their scalers and
// units.
//
//   RemoteMeter meter(client);
//   meter.load_object_list();                       // 0-0:40.0.0.255 attribute 2, if readable
//   std::uint16_t class_id = meter.class_of(obis);  // from the list, else guessed
//   ScalerUnit su = meter.scaler_unit_of(obis, class_id, 2);   // {-2, 35}: 0.01 V
#pragma once

#include <cstdint>  // std::uint8_t, std::uint16_t
#include <string>   // std::string
#include <vector>   // std::vector

#include "core/obis.hpp"
#include "core/result.hpp"
#include "dlms/client.hpp"

namespace gridmeter::app {

struct ScalerUnit {
  int scaler = 0;
  std::uint8_t unit = 255;  // 255: no unit
  bool known = false;       // false: the object has no scaler_unit, or it could not be read
};

// One element of an object list (Association LN attribute 2).
struct ListedObject {
  std::uint16_t class_id = 0;
  std::uint8_t version = 0;
  Obis obis;
  std::vector<std::pair<int, std::uint8_t>> attributes;  // id, access_mode
  std::vector<std::pair<int, std::uint8_t>> methods;     // id, access_mode
};

// Reads an object_list value; elements that are not object_list_elements are an error.
Result<std::vector<ListedObject>> parse_object_list(const dlms::Data& list);

class RemoteMeter {
 public:
  explicit RemoteMeter(dlms::Client& client) : client_(client) {}

  // Reads the current association's object list; a meter that refuses it keeps working, with
  // classes guessed from OBIS codes.
  Status load_object_list();
  [[nodiscard]] const std::vector<ListedObject>& objects() const { return objects_; }
  [[nodiscard]] std::uint16_t class_of(const Obis& obis) const;

  Result<dlms::GetDataResult> get(const Obis& obis, std::uint16_t class_id, int attribute,
                                  const std::optional<dlms::AccessSelection>& access = {});
  // The scaler_unit that applies to `attribute` (class 3 and 4: attribute 2 from 3; class 5:
  // attributes 2 and 3 from 4), read once per object.
  ScalerUnit scaler_unit_of(const Obis& obis, std::uint16_t class_id, int attribute);

  dlms::Client& client() { return client_; }

 private:
  dlms::Client& client_;
  std::vector<ListedObject> objects_;
  std::vector<std::pair<Obis, ScalerUnit>> scaler_units_;
};

// "1-0:1.8.0.255" with its attribute: "1-0:1.8.0.255:2".
std::string attribute_name(const Obis& obis, int attribute);

}  // namespace gridmeter::app
