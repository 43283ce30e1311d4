// Limiter (interface class 71, version 0; IEC 62056-6-2 clause 4.5.9), the view of the meter's
// load limitation (meter/limiter.hpp, MeterConfig::limiter) at 0-0:17.0.0.255.
//
//   LimiterObject limiter(access, targets);
//   limiter.get(4, std::nullopt);    // threshold_normal in the monitored register's type/scaler
//   limiter.set(6, Data::unsigned32(60));   // min_over_threshold_duration: reprograms the meter
//
// | attr | name | type | access |
// |---|---|---|---|
// | 2 | monitored_value | value_definition { class_id, logical_name, attribute_index } | rw |
// | 3 | threshold_active | the monitored attribute's type | read |
// | 4 | threshold_normal | the monitored attribute's type | rw |
// | 5 | threshold_emergency | the monitored attribute's type | rw |
// | 6 | min_over_threshold_duration | double-long-unsigned, s | rw |
// | 7 | min_under_threshold_duration | double-long-unsigned, s | rw |
// | 8 | emergency_profile | { emergency_profile_id long-unsigned, emergency_activation_time
//                            octet-string (12), emergency_duration double-long-unsigned s } | rw |
// | 9 | emergency_profile_group_id_list | array of long-unsigned | rw |
// | 10 | emergency_profile_active | boolean | read |
// | 11 | actions | { action_over_threshold, action_under_threshold }, each an action_item
//                    { script_logical_name octet-string, script_selector long-unsigned } | rw |
//
// The thresholds travel in the type and scaler of the monitored Register (as the Register
// monitor's do), so a client compares them with what it reads there. The actions name the
// disconnector script table 0-0:10.0.106.255: selector 1 (disconnect) over the threshold,
// 2 (reconnect) under it, 0 (or selector 0 of any table) nothing. The meter runs them as its own
// local disconnection (transition g) and as lifting its hold on reconnection. An activation
// time with every field not specified means no emergency profile. Writes are validated and
// programmed through Meter::configure ("parameters changed"); a value the meter cannot hold
// answers other_reason, a wrong shape type_unmatched, and nothing changes. The limiter runs
// when its programming switches it on ([limiter] in the programming file); these writes change
// its parameters either way.
#pragma once

#include <optional>  // std::optional
#include <vector>    // std::vector

#include "cosem/cosem_object.hpp"
#include "cosem/meter_access.hpp"
#include "cosem/register_monitor_object.hpp"

namespace gridmeter::cosem {

inline constexpr Obis limiter_obis{0, 0, 17, 0, 0, 255};

class LimiterObject final : public CosemObject {
 public:
  static constexpr std::uint16_t class_id_value = 71;

  LimiterObject(MeterAccess& access, std::vector<MonitorTarget> targets);

  [[nodiscard]] int attribute_count() const override { return 11; }
  [[nodiscard]] AttributeAccess attribute_access(int attribute) const override;

 protected:
  [[nodiscard]] dlms::GetDataResult get_attribute(
      int attribute, const std::optional<dlms::AccessSelection>& selection) const override;
  dlms::DataAccessResult set_attribute(int attribute, const dlms::Data& value) override;

 private:
  MeterAccess& access_;
  std::vector<MonitorTarget> targets_;
};

}  // namespace gridmeter::cosem
