// Disconnect control (interface class 70, version 0; IEC 62056-6-2 clause 4.5.8), the view of
// the meter's breaker (meter/disconnect_control.hpp) at 0-0:96.3.10.255.
//
//   DisconnectControlObject breaker(access);
//   breaker.get(2, std::nullopt);                      // output_state: boolean TRUE (closed)
//   breaker.get(3, std::nullopt);                      // control_state: enum 1 (connected)
//   breaker.action(1, Data::integer8(0));              // remote_disconnect:
//   Meter::remote_disconnect breaker.set(4, Data::enumeration(2));              // control_mode 2:
//   reprograms the meter
//
// | attr | name | type | access |
// |---|---|---|---|
// | 2 | output_state | boolean: TRUE the relay is closed | read |
// | 3 | control_state | enum: 0 disconnected, 1 connected, 2 ready_for_reconnection | read |
// | 4 | control_mode | enum 0..6 | read-write |
// Methods 1 remote_disconnect and 2 remote_reconnect, each with data ::= integer (0) (or no
// parameters): transitions b/c and a/d of the state machine. A method the control mode does
// not allow (mode 0; remote reconnection needs one of a and d) answers other_reason and changes
// nothing; a method that finds the breaker already where it would take it answers success.
// A control_mode write outside 0..6 answers other_reason, another type type_unmatched.
#pragma once

#include <optional>  // std::optional

#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"

namespace gridmeter::cosem {

inline constexpr Obis disconnect_control_obis{0, 0, 96, 3, 10, 255};

class DisconnectControlObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 70;

  explicit DisconnectControlObject(MeterAccess& access);

  [[nodiscard]] int attribute_count() const override { return 4; }
  [[nodiscard]] int method_count() const override { return 2; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  MeterAccess& access_;
};

}  // namespace gridmeter::cosem
