#include "cosem/disconnect_control_object.hpp"

#include "cosem/calendar_values.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionOutcome;
using dlms::ActionResult;
using dlms::Data;
using dlms::DataAccessResult;

ActionOutcome outcome(ActionResult result) { return ActionOutcome{result, std::nullopt}; }

}  // namespace

DisconnectControlObject::DisconnectControlObject(MeterAccess& access)
    : CosemObject(class_id_value, 0, disconnect_control_obis), access_(access) {}

AttributeAccess DisconnectControlObject::attribute_access(int attribute) const {
  if (attribute == 4) return AttributeAccess::read_write;
  return CosemObject::attribute_access(attribute);
}

dlms::GetDataResult DisconnectControlObject::get_attribute(
    int attribute, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  const Meter& meter = access_.meter();
  const DisconnectorState& breaker = meter.state().supply.disconnector;
  switch (attribute) {
    case 2:
      return Data::boolean(breaker.output_state);
    case 3:
      return Data::enumeration(static_cast<std::uint8_t>(breaker.control_state));
    default:  // 4: the base class refused the rest
      return Data::enumeration(static_cast<std::uint8_t>(meter.config().disconnector.mode));
  }
}

dlms::DataAccessResult DisconnectControlObject::set_attribute(int /*attribute*/,
                                                              const Data& value) {
  // Attribute 4, control_mode.
  const std::optional<std::uint8_t> mode = value.as_enum();
  if (value.type() != dlms::DataType::enumeration || !mode) {
    return DataAccessResult::type_unmatched;
  }
  if (*mode > control_mode_max) return DataAccessResult::other_reason;
  Meter& meter = access_.meter();
  MeterConfig config = meter.config();
  config.disconnector.mode = *mode;
  return reprogram(meter, config);
}

dlms::ActionOutcome DisconnectControlObject::invoke(int method,
                                                    const std::optional<Data>& parameters) {
  // data ::= integer (0): the Blue Book's only parameter; none at all is taken as it.
  if (parameters && !parameters->is_null()) {
    if (parameters->type() != dlms::DataType::integer8) {
      return outcome(ActionResult::type_unmatched);
    }
    if (parameters->as_int64() != 0) return outcome(ActionResult::other_reason);
  }
  Meter& meter = access_.meter();
  const DisconnectResult result =
      method == 1 ? meter.remote_disconnect() : meter.remote_reconnect();
  return outcome(result == DisconnectResult::refused ? ActionResult::other_reason
                                                     : ActionResult::success);
}

}  // namespace gridmeter::cosem
