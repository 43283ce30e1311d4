#include "cosem/script_table.hpp"

#include <memory>   // std::make_unique
#include <utility>  // std::move

#include "meter/activity_calendar.hpp"
#include "meter/load_profile.hpp"  // billing_profile_obis
#include "meter/meter.hpp"

namespace gridmeter::cosem {
namespace {

using dlms::ActionOutcome;
using dlms::ActionResult;
using dlms::Data;

constexpr Obis active_tariff_obis{0, 0, 96, 14, 0, 255};
constexpr std::uint16_t class_data = 1;
constexpr std::uint16_t class_profile_generic = 7;
constexpr std::int8_t attribute_value = 2;
constexpr std::int8_t method_capture = 2;
constexpr std::uint16_t class_disconnect_control = 70;
constexpr Obis breaker_obis{0, 0, 96, 3, 10, 255};  // Disconnect control

Data obis_octets(const Obis& obis) {
  const auto bytes = obis.bytes();
  return Data::octets(std::span<const std::uint8_t>(bytes.data(), bytes.size()));
}

Data action_data(const ScriptAction& action) {
  return Data::structure({Data::enumeration(static_cast<std::uint8_t>(action.service)),
                          Data::unsigned16(action.class_id), obis_octets(action.logical_name),
                          Data::integer8(action.index), action.parameter});
}

ActionOutcome outcome(ActionResult result) { return ActionOutcome{result, std::nullopt}; }

}  // namespace

ScriptTable::ScriptTable(Obis logical_name, std::vector<Script> scripts)
    : CosemObject(class_id_value, 0, logical_name), scripts_(std::move(scripts)) {}

dlms::GetDataResult ScriptTable::get_attribute(
    int /*attribute*/, const std::optional<dlms::AccessSelection>& /*selection*/) const {
  // Attribute 2, the only one past logical_name.
  std::vector<Data> scripts;
  scripts.reserve(scripts_.size());
  for (const Script& script : scripts_) {
    std::vector<Data> actions;
    actions.reserve(script.actions.size());
    for (const ScriptAction& action : script.actions)
      actions.push_back(action_data(action));
    scripts.push_back(
        Data::structure({Data::unsigned16(script.identifier), Data::array(std::move(actions))}));
  }
  return Data::array(std::move(scripts));
}

ActionOutcome ScriptTable::invoke(int /*method*/, const std::optional<Data>& parameters) {
  // Method 1, execute (long-unsigned script_identifier).
  if (!parameters || parameters->type() != dlms::DataType::unsigned16) {
    return outcome(ActionResult::type_unmatched);
  }
  const auto identifier = static_cast<std::uint16_t>(parameters->as_uint64().value_or(0));
  if (identifier == 0) return outcome(ActionResult::success);  // the null script
  for (const Script& script : scripts_) {
    if (script.identifier != identifier) continue;
    return outcome(script.execute ? script.execute() : ActionResult::other_reason);
  }
  return outcome(ActionResult::other_reason);
}

std::unique_ptr<ScriptTable> tariffication_script_table() {
  std::vector<Script> scripts;
  for (int tariff = tariff_min; tariff <= tariff_max; ++tariff) {
    const auto t = static_cast<std::uint8_t>(tariff);
    scripts.push_back(
        Script{t,
               {ScriptAction{ScriptService::write_attribute, class_data, active_tariff_obis,
                             attribute_value, Data::unsigned8(t)}},
               {}});
  }
  return std::make_unique<ScriptTable>(tariffication_script_table_obis, std::move(scripts));
}

std::unique_ptr<ScriptTable> end_of_billing_script_table(MeterAccess& access) {
  std::vector<Script> scripts;
  scripts.push_back(Script{1,
                           {ScriptAction{ScriptService::execute_method, class_profile_generic,
                                         billing_profile_obis, method_capture, Data::integer8(0)}},
                           [&access] {
                             access.meter().billing_reset();
                             return ActionResult::success;
                           }});
  return std::make_unique<ScriptTable>(end_of_billing_script_table_obis, std::move(scripts));
}

std::unique_ptr<ScriptTable> disconnector_script_table(MeterAccess& access) {
  // As the head-end's methods: refused where the control mode does not allow them.
  auto result = [](DisconnectResult done) {
    return done == DisconnectResult::refused ? ActionResult::other_reason : ActionResult::success;
  };
  std::vector<Script> scripts;
  scripts.push_back(
      Script{disconnect_script,
             {ScriptAction{ScriptService::execute_method, class_disconnect_control, breaker_obis, 1,
                           Data::integer8(0)}},
             [&access, result] { return result(access.meter().remote_disconnect()); }});
  scripts.push_back(
      Script{reconnect_script,
             {ScriptAction{ScriptService::execute_method, class_disconnect_control, breaker_obis, 2,
                           Data::integer8(0)}},
             [&access, result] { return result(access.meter().remote_reconnect()); }});
  return std::make_unique<ScriptTable>(disconnector_script_table_obis, std::move(scripts));
}

}  // namespace gridmeter::cosem
