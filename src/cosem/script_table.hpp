// Script table (interface class 9, version 0; IEC 62056-6-2 clause 4.5.2): scripts the meter
// can run, each a list of actions on other objects, run by method 1 `execute`. The meter's
// scripts are its firmware's: the table describes them and runs them through the meter's own
// API; it is not a program a client can rewrite.
//
//   auto billing = end_of_billing_script_table(access);   // 0-0:10.0.1.255
//   billing->get(2, std::nullopt);   // array { structure { long-unsigned 1, array {...} } }
//   billing->action(1, Data::unsigned16(1));   // Meter::billing_reset(): a billing profile entry
//   auto tariffs = tariffication_script_table();          // 0-0:10.0.100.255
//   tariffs->action(1, Data::unsigned16(2));   // other_reason: the calendar selects the tariff
//
// Attribute 2 `scripts`: array of script ::= structure { script_identifier long-unsigned,
// actions array of action_specification }, action_specification ::= structure { service_id
// enum (1 write attribute, 2 execute method), class_id long-unsigned, logical_name
// octet-string, index integer, parameter (any type) }. Read-only: the scripts are fixed.
// Method 1 `execute` (long-unsigned script_identifier): script 0 is the null script (success,
// nothing done, as the Blue Book reserves it); an unknown script answers other_reason.
//
// The two tables gridmeter has:
// - 0-0:10.0.100.255 tariffication: script t (1..8) makes tariff t the one in force, described
//   as "write 0-0:96.14.0.255 (active tariff) attribute 2 := unsigned t". The Activity
//   calendar's day profile actions reference them (script_selector = tariff), and the meter
//   core runs them at each switch. Executed by a client they are refused with other_reason:
//   the meter core has no forced tariff. A real meter would keep the forced tariff only until
//   the calendar's next action; gridmeter's tariff is always the calendar's, so executing a
//   script would either do nothing or claim a tariff change that does not happen.
// - 0-0:10.0.1.255 end of billing period: script 1 is Meter::billing_reset (billing period
//   counter +1, the billing profile captures the registers and maxima, the maxima restart,
//   "billing period reset" is logged). Described as its capture: "execute 0-0:98.1.0.255
//   (billing profile) method 2 (capture)". The Single action schedule 0-0:15.0.0.255 runs the
//   same script at the programmed billing date.
// - 0-0:10.0.106.255 disconnector (IDIS): script 1 disconnect ("execute 0-0:96.3.10.255
//   method 1", remote_disconnect), script 2 reconnect (method 2, remote_reconnect); refused
//   with other_reason where the control mode does not allow them. The Limiter's actions name
//   them; the meter then runs them as its own (local) disconnection and lifting of its hold.
#pragma once

#include <cstdint>     // std::uint16_t, std::int8_t
#include <functional>  // std::function
#include <memory>      // std::unique_ptr
#include <optional>    // std::optional
#include <vector>      // std::vector

#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"

namespace gridmeter::cosem {

inline constexpr Obis tariffication_script_table_obis{0, 0, 10, 0, 100, 255};
inline constexpr Obis end_of_billing_script_table_obis{0, 0, 10, 0, 1, 255};
inline constexpr Obis disconnector_script_table_obis{0, 0, 10, 0, 106, 255};
inline constexpr std::uint16_t disconnect_script = 1;
inline constexpr std::uint16_t reconnect_script = 2;

// action_specification service_id (clause 4.5.2).
enum class ScriptService : std::uint8_t { write_attribute = 1, execute_method = 2 };

struct ScriptAction {
  ScriptService service = ScriptService::write_attribute;
  std::uint16_t class_id = 0;
  Obis logical_name;
  std::int8_t index = 0;  // attribute or method
  dlms::Data parameter;
};

struct Script {
  std::uint16_t identifier = 0;  // 1..65535; 0 is the null script
  std::vector<ScriptAction> actions;
  // Runs the script in the meter. Empty: refused with other_reason (see the tariffication
  // table above).
  std::function<dlms::ActionResult()> execute;
};

class ScriptTable final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 9;

  ScriptTable(Obis logical_name, std::vector<Script> scripts);

  [[nodiscard]] int attribute_count() const override { return 2; }
  [[nodiscard]] int method_count() const override { return 1; }

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::ActionOutcome invoke(int method, const std::optional<dlms::Data>& parameters) override;

 private:
  std::vector<Script> scripts_;
};

// 0-0:10.0.100.255, scripts 1..8.
std::unique_ptr<ScriptTable> tariffication_script_table();
// 0-0:10.0.1.255, script 1 through `access` (which must outlive the object).
std::unique_ptr<ScriptTable> end_of_billing_script_table(MeterAccess& access);
// 0-0:10.0.106.255, scripts 1 and 2 through `access`.
std::unique_ptr<ScriptTable> disconnector_script_table(MeterAccess& access);

}  // namespace gridmeter::cosem
